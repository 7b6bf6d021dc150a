"""Application functions: workspace (see regdoc.app)."""
from __future__ import annotations
