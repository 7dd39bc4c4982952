"""Item 4: a credential echoed by a database, or carried by an export's URLs, never lands in a project file.

A local Scopus stand-in (loopback only) answers with links that carry the caller's key, as the real API does
(``…?apiKey=<key>&insttoken=<token>``). After a search, an import of a RIS export with such URLs and a dedup,
every file the runs wrote is searched for the sentinel values.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import sysrev.credentials as credentials
from sysrev.cli.main import cli
from sysrev.credentials import scrub_text
from sysrev.records import Record
from sysrev.search.partial import PartialRun

KEY, TOKEN, ACCESS = "SENTINELKEY7f3a9", "SENTINELTOKEN51c2", "SENTINELACCESS88d0"
SECRETS = (KEY, TOKEN, ACCESS)


def _entry(n: int) -> dict:
    eid = f"2-s2.0-8500000000{n}"
    api = f"https://api.elsevier.com/content/abstract/scopus_id/{n}?apiKey={KEY}&insttoken={TOKEN}"
    return {"@_fa": "true", "eid": eid, "dc:identifier": f"SCOPUS_ID:{n}", "prism:url": api,
            "dc:title": f"Ultrasound-guided injection trial number {n} for lumbar pain", "dc:creator": "Kim J.",
            "prism:publicationName": "Pain Physician", "prism:coverDate": "2020-05-01",
            "prism:doi": f"10.1000/sco.{n}", "subtypeDescription": "Article",
            "link": [{"@ref": "self", "@href": api},
                     {"@ref": "scopus", "@href": f"https://www.scopus.com/inward/record.uri?eid={eid}&"
                                                 f"access_token={ACCESS}&origin=inward"}]}


class _Scopus(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        entries = [_entry(1), _entry(2)]
        body = json.dumps({"search-results": {
            "opensearch:totalResults": "2", "opensearch:startIndex": "0", "opensearch:itemsPerPage": "2",
            "cursor": {"@current": "*", "@next": "done"}, "entry": entries,
            "link": [{"@ref": "self", "@href": f"https://api.elsevier.com/content/search/scopus?apiKey={KEY}"}],
        }}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def scopus_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Scopus)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/content/search/scopus"
    server.shutdown()
    server.server_close()


def _files_holding_a_secret(folder) -> list:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
                  and any(secret.encode() in p.read_bytes() for secret in SECRETS))


def test_search_import_and_dedup_store_no_credential(tmp_path, scopus_url, monkeypatch):
    monkeypatch.setenv("SYSREV_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SYSREV_SCOPUS_URL", scopus_url)
    monkeypatch.setenv("ELSEVIER_API_KEY", KEY)
    monkeypatch.setenv("ELSEVIER_INSTTOKEN", TOKEN)
    root = tmp_path / "review"
    root.mkdir()
    (root / "review.toml").write_text('[review]\ntitle = "t"\nquestion = "q"\n', encoding="utf-8")
    runs = root / "searches" / "runs"
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "scopus", "--query", "TITLE(ultrasound)", "--out", str(runs)])
    assert result.exit_code == 0, result.output
    ris = tmp_path / "export.ris"
    ris.write_text("TY  - JOUR\nID  - e1\nTI  - Fluoroscopy-guided facet injection: a cohort study\nPY  - 2019\n"
                   f"UR  - https://api.example.org/record/e1?access_token={ACCESS}&format=ris\n"
                   f"L2  - https://user:{TOKEN}@files.example.org/e1.pdf\nER  - \n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(ris), "--source", "embase", "--project", str(root)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["dedup", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert not any(secret in result.output for secret in SECRETS)
    records = [json.loads(line) for line in (root / "records" / "records.jsonl").read_text().splitlines()]
    assert len(records) == 3
    urls = {r["url"] for r in records}
    assert "https://api.example.org/record/e1?format=ris" in urls  # the rest of a URL is kept
    assert _files_holding_a_secret(tmp_path / "review") == []


def test_a_resumable_run_keeps_no_credential_on_disk(tmp_path):
    partial = PartialRun(tmp_path, "scopus")
    partial.start({"query": "q"}, resume=False)
    partial.add_gap({"detail": f"GET https://x/y?apiKey={KEY} failed"})
    partial.add_batch("b1", [Record(source_id="1", url=f"https://x.org/r?apiKey={KEY}&insttoken={TOKEN}")])
    assert _files_holding_a_secret(tmp_path) == []
    assert partial.kept()[1][0].count("https://x.org/r") == 1


@pytest.mark.parametrize("text, expected", [
    ("https://a.org/x?apiKey=K&httpAccept=json", "https://a.org/x?httpAccept=json"),
    ("https://a.org/x?httpAccept=json&API_KEY=K", "https://a.org/x?httpAccept=json"),
    ("https://a.org/x?a=1&X-ELS-Insttoken=K&b=2", "https://a.org/x?a=1&b=2"),
    ("https://a.org/cb#access_token=K&state=s", "https://a.org/cb#state=s"),
    ("ftp://me:K@a.org/f", "ftp://a.org/f"),
    ("Smith & Jones; the apiKey field & more", "Smith & Jones; the apiKey field & more"),
    ("https://doi.org/10.1000/x?key=value", "https://doi.org/10.1000/x?key=value"),
])
def test_scrub_removes_only_credentials(text, expected):
    assert scrub_text(text) == expected


# Pieces a record's text and URLs are made of, and query parameters, credentials among them.
_PARAMETER = st.builds("".join, st.tuples(st.sampled_from("?&#;"), st.sampled_from(
    ["apiKey", "API_KEY", "insttoken", "X-ELS-Insttoken", "access-token", "password", "key", "httpAccept"]),
    st.just("="), st.sampled_from(["K", "", "a b", "1&c=2"])))
_PIECES = st.one_of(_PARAMETER, st.sampled_from(["https://a.org/x", "ftp://me:pw@a.org/", "?", "&", "#", ";", "=",
                                                 "@", " ", "n", "20", "apiKey", "value", "é", "\n", '"', "<",
                                                 "p=0.05"]))


@given(st.lists(_PIECES, max_size=14).map("".join))
def test_scrub_text_skips_only_texts_the_full_pass_would_leave_alone(text):
    """The quick return (no credential parameter anywhere in the text, no ``@``) gives exactly what cutting the
    text into tokens and scrubbing each one gives."""
    full_pass = credentials._USERINFO.sub(r"\1", credentials._TOKEN.sub(credentials._scrub_token, text))
    assert scrub_text(text) == full_pass
