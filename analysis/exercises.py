"""Checked exercises (placeholder)."""
from __future__ import annotations

__all__ = ["write_class_notebooks"]


def write_class_notebooks(out):
    raise NotImplementedError
