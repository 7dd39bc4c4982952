"""The `sysrev` command line: one small module per command group, registered in :mod:`sysrev.cli.main`."""
