"""Application functions: check (see regdoc.app)."""
from __future__ import annotations
