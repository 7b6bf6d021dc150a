"""Application functions: resolutions (see regdoc.app)."""
from __future__ import annotations
