"""Application functions: scoring (see regdoc.app)."""
from __future__ import annotations
