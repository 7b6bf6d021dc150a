"""Application functions: documents (see regdoc.app)."""
from __future__ import annotations
