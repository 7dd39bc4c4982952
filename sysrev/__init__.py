"""sysrev: a systematic review and meta-analysis as code, kept living."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sysrev")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
