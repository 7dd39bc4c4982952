"""sysrev: a systematic review and meta-analysis as code, kept living."""


def __getattr__(name):
    """``__version__``, read from the installed package's metadata on first use (PEP 562): importlib.metadata
    costs more than the whole of ``sysrev --help``, which has no use for it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("sysrev")
    except PackageNotFoundError:  # running from a source tree that was not installed
        value = "0.0.0+source"
    globals()["__version__"] = value
    return value
