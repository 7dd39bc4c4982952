"""The other commands' helpers in detail (`sysrev extract`, `meta`, `rob`, `grade`, `prisma`, `init`, `export`,
`search` and the top-level group): what each prints, to which stream, with which exit code, and what it parses,
writes or leaves unwritten."""

from click.testing import CliRunner

from sysrev.cli.main import cli


def _invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


# ------------------------------------------------------------------------------------------------ sysrev prisma


def test_prisma_previous_counts_must_be_numbers_and_not_negative(tmp_path):
    (tmp_path / "review.toml").write_text('[review]\ntitle = "T"\n', encoding="utf-8")
    for value, message in (("eight", "use STUDIES or STUDIES:REPORTS, e.g. 8 or 8:11"),
                           ("8:x", "use STUDIES or STUDIES:REPORTS, e.g. 8 or 8:11"),
                           ("-1", "counts cannot be negative"), ("3:-1", "counts cannot be negative")):
        result = _invoke("prisma", "--previous", value, "--project", tmp_path)
        assert result.exit_code == 2, (value, result.output)
        assert result.stderr.endswith(f"error: Invalid value: {message}\n"), (value, result.stderr)
