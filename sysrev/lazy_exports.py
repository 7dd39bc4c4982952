"""Names a package exports but imports only on first use (PEP 562 module ``__getattr__``).

A package whose engine needs heavy libraries (numpy, rapidfuzz, LIBLINEAR) still lets a light submodule — a
stage name, a decisions file — be imported cheaply, so `sysrev … --help` and the command lists stay fast.
"""

import importlib
import sys


def lazy_exports(package: str, exports: dict) -> tuple:
    """``(__getattr__, __dir__)`` for ``package``: each name in ``exports`` (name → submodule) is imported from
    its submodule when first asked for."""

    def __getattr__(name):
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{exports[name]}"), name)

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
