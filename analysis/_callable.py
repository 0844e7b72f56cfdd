"""Modules named after their main function (``analysis.keyness``, ``analysis.emphasis``).

``analysis/__init__`` exports the *function* ``keyness`` lazily. Importing the
submodule (``from analysis.keyness import top_terms``) makes Python bind the
*module* to ``analysis.keyness`` instead. Making such a module callable, as
its function, keeps ``analysis.keyness(corp, ...)`` working either way.
"""
from __future__ import annotations

import sys
import types


def make_callable(module_name: str, function_name: str) -> None:
    """Let the module ``module_name`` be called as its function ``function_name``."""

    class _CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return getattr(self, function_name)(*args, **kwargs)

    _CallableModule.__doc__ = f"Module {module_name}, callable as {function_name}()."
    sys.modules[module_name].__class__ = _CallableModule
