"""Application functions: versioning (see regdoc.app)."""
from __future__ import annotations
