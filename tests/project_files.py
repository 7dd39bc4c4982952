"""A project folder written file by file, for the command tests that need only a few of a project's files."""


def project_with(root, **files):
    """A project folder: a minimal review.toml and ``files`` (``analysis__extraction__pain.csv`` names a nested
    path: ``__`` stands for ``/``)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "review.toml").write_text('[review]\ntitle = "Test review"\n', encoding="utf-8")
    for name, text in files.items():
        path = root / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
