"""`sysrev fulltext fetch` against the local stand-in services: found, not found, rate limited, server
errors, a paywall page posing as a PDF, resuming, and no credential in anything written."""

import csv
import json

from click.testing import CliRunner
from fulltext_fake_services import PAYWALL_HTML, PDF, Answer, jats

from sysrev.cli.main import cli
from sysrev.fulltext.fetch import fetch_fulltexts, records_to_fetch
from sysrev.fulltext.manifest import read_manifest

TABLE = ("<table-wrap id='t1'><label>Table 1</label><caption><title>Pain</title></caption><table>"
         "<thead><tr><th>Outcome</th><th>US</th><th>FL</th></tr></thead>"
         "<tbody><tr><td>VAS 2 weeks</td><td>3.1 ± 1.2</td><td>3.4 ± 1.5</td></tr></tbody></table></table-wrap>")


def script_open_world(services):
    """r1 open in PMC; r2 found through the ID converter, open in PMC; r3 open in Europe PMC only;
    r4 open PDF through Unpaywall; r5 Unpaywall's PDF link is a paywall page."""
    services.route("/idconv/", Answer.json({"status": "ok", "records": [{"pmid": "222", "pmcid": "PMC2002"}]}),
                   query="ids=222")
    services.route("/idconv/", Answer.json({"status": "ok", "records": [
        {"doi": "10.1000/x", "status": "error", "errmsg": "invalid article id"}]}))
    services.route("/eutils/efetch.fcgi", Answer.xml(jats(tables=TABLE)), query="id=1001")
    services.route("/eutils/efetch.fcgi", Answer.xml(jats()), query="id=2002")
    services.route("/epmc/search", Answer.json({"hitCount": 1, "resultList": {"result": [
        {"doi": "10.1000/three", "pmcid": "PMC3003", "isOpenAccess": "Y", "license": "cc by"}]}}),
                   query="10.1000/three")
    services.route("/epmc/search", Answer.json({"hitCount": 0, "resultList": {"result": []}}))
    services.route("/epmc/PMC3003/fullTextXML", Answer.xml(jats(licence="cc-by-nc")))
    pdf_url = f"{services.url}/hosts/four.pdf"
    services.route("/unpaywall/10.1000/four", Answer.json({
        "doi": "10.1000/four", "is_oa": True, "oa_locations": [],
        "best_oa_location": {"url": pdf_url, "url_for_pdf": pdf_url, "license": "cc-by", "host_type": "repository",
                             "version": "acceptedVersion"}}))
    services.route("/hosts/four.pdf", Answer(200, PDF, "application/pdf"))
    paywall = f"{services.url}/hosts/five.pdf"
    services.route("/unpaywall/10.1000/five", Answer.json({
        "doi": "10.1000/five", "is_oa": True, "oa_locations": [],
        "best_oa_location": {"url": paywall, "url_for_pdf": paywall, "license": None, "host_type": "publisher"}}))
    services.route("/hosts/five.pdf", Answer(200, PAYWALL_HTML, "text/html"))


def test_each_service_in_turn_and_the_manifest(project, services, finder):
    script_open_world(services)
    records = records_to_fetch(project, record_ids=["r1", "r2", "r3", "r4", "r5", "r6"])
    summary = fetch_fulltexts(project, records, finder, now="2026-12-03T10:00:00Z")
    manifest = read_manifest(project)
    assert {rid: e.status for rid, e in manifest.items()} == {
        "r1": "retrieved", "r2": "retrieved", "r3": "retrieved", "r4": "retrieved",
        "r5": "needs_library_access", "r6": "needs_library_access"}
    assert (manifest["r1"].source, manifest["r1"].format) == ("pmc", "xml")
    assert manifest["r1"].licence == "https://creativecommons.org/licenses/by/4.0/"
    assert manifest["r2"].source == "pmc"  # PMID → PMC2002 through the ID converter
    assert (manifest["r3"].source, manifest["r3"].licence) == ("europepmc", "cc-by-nc")
    assert (manifest["r4"].format, manifest["r4"].licence) == ("pdf", "cc-by")
    assert manifest["r4"].source == "unpaywall (repository)"
    assert "not a PDF" in manifest["r5"].note and manifest["r5"].doi_link == "https://doi.org/10.1000/five"
    assert manifest["r6"].doi_link == ""
    # The paywall page was not stored; the PDF was, byte for byte.
    files = project.root / "fulltext" / "files"
    assert sorted(p.name for p in files.iterdir()) == ["r1.xml", "r2.xml", "r3.xml", "r4.pdf"]
    assert (files / "r4.pdf").read_bytes() == PDF
    assert len(summary.retrieved) == 4 and len(summary.needs_library_access) == 2


def test_no_credential_in_any_file_written(project, services, finder):
    script_open_world(services)
    fetch_fulltexts(project, records_to_fetch(project, record_ids=["r1", "r2", "r3", "r4", "r5"]), finder)
    assert any("email" in q for _, q in services.log)  # the services did receive the e-mail address
    for path in project.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"SENTINELKEY123" not in data and b"secret.sentinel" not in data, path


def test_rate_limited_then_served(project, services, finder):
    services.route("/eutils/efetch.fcgi", Answer.json({"error": "API rate limit exceeded"}, status=429),
                   Answer.xml(jats()))
    fetch_fulltexts(project, records_to_fetch(project, record_ids=["r1"]), finder)
    assert read_manifest(project)["r1"].status == "retrieved"
    assert len(services.requests_to("/eutils/efetch.fcgi")) == 2


def test_truncated_xml_is_retried_not_taken_for_metadata_only(project, services, finder):
    whole = jats()
    services.route("/eutils/efetch.fcgi", Answer.xml(whole[: len(whole) // 2]), Answer.xml(whole))
    fetch_fulltexts(project, records_to_fetch(project, record_ids=["r1"]), finder)
    assert read_manifest(project)["r1"].status == "retrieved"


def test_server_error_leaves_the_record_for_the_next_run(project, services, finder):
    services.route("/eutils/efetch.fcgi", Answer.json({"error": "boom"}, status=503))
    summary = fetch_fulltexts(project, records_to_fetch(project, record_ids=["r1"]), finder)
    entry = read_manifest(project)["r1"]
    assert entry.status == "failed" and "503" in entry.note
    assert len(summary.failed) == 1
    services.route("/eutils/efetch.fcgi", Answer.xml(jats()))
    again = fetch_fulltexts(project, records_to_fetch(project, record_ids=["r1"]), finder)
    assert read_manifest(project)["r1"].status == "retrieved" and len(again.retrieved) == 1


def test_metadata_only_pmc_answer_falls_through_to_europepmc(project, services, finder):
    services.route("/eutils/efetch.fcgi", Answer.xml(jats(body=False)))
    services.route("/epmc/PMC1001/fullTextXML", Answer.xml(jats(licence="cc-by")))
    fetch_fulltexts(project, records_to_fetch(project, record_ids=["r1"]), finder)
    entry = read_manifest(project)["r1"]
    assert (entry.status, entry.source) == ("retrieved", "europepmc")
    assert "metadata only" in entry.note


def test_resume_asks_only_for_what_is_not_settled(project, services, finder):
    script_open_world(services)
    records = records_to_fetch(project, record_ids=["r1", "r5"])
    fetch_fulltexts(project, records, finder)
    before = len(services.log)
    summary = fetch_fulltexts(project, records, finder)
    assert len(services.log) == before and summary.already == 2
    # A stored file that changed since (checksum) is fetched again.
    (project.root / "fulltext" / "files" / "r1.xml").write_bytes(b"<article/>")
    summary = fetch_fulltexts(project, records, finder)
    assert [e.record_id for e in summary.retrieved] == ["r1"] and summary.already == 1
    # --recheck asks again for the record that needed library access.
    summary = fetch_fulltexts(project, records, finder, recheck=True)
    assert [e.record_id for e in summary.needs_library_access] == ["r5"]


def test_default_records_are_those_at_full_text(project):
    log = project.screening_dir / "title_abstract" / "alice.csv"
    log.parent.mkdir(parents=True)
    log.write_text("record_id,decision,reason,reviewer,timestamp\n"
                   "r1,include,,alice,2026-01-01T00:00:00Z\nr2,exclude,,alice,2026-01-01T00:00:01Z\n"
                   "r3,maybe,,alice,2026-01-01T00:00:02Z\n", encoding="utf-8")
    assert [r["record_id"] for r in records_to_fetch(project)] == ["r1", "r3"]
    assert len(records_to_fetch(project, stage="title_abstract")) == 6


def test_cli_fetch_json_and_unknown_record(project, services, config, monkeypatch):
    script_open_world(services)
    monkeypatch.setenv("SYSREV_IDCONV_URL", config.idconv_url)
    monkeypatch.setenv("SYSREV_EUTILS_URL", config.eutils_url)
    monkeypatch.setenv("SYSREV_EUROPEPMC_URL", config.europepmc_url)
    monkeypatch.setenv("SYSREV_UNPAYWALL_URL", config.unpaywall_url)
    monkeypatch.setenv("UNPAYWALL_EMAIL", "secret.sentinel@example.org")
    runner = CliRunner()
    result = runner.invoke(cli, ["fulltext", "fetch", "--project", str(project.root), "--record", "r5",
                                 "--record", "r1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["retrieved"], data["needs_library_access"], data["failed"]) == (1, 1, 0)
    assert data["needs_library_access_records"] == [{"record_id": "r5", "doi_link": "https://doi.org/10.1000/five"}]
    with open(project.root / "fulltext" / "manifest.csv", newline="", encoding="utf-8") as fh:
        assert [row["record_id"] for row in csv.DictReader(fh)] == ["r1", "r5"]
    bad = runner.invoke(cli, ["fulltext", "fetch", "--project", str(project.root), "--record", "nope"])
    assert bad.exit_code == 2 and "unknown record ID nope" in bad.output
