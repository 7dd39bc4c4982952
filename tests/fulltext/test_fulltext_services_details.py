"""The open-access services one by one, against the local stand-ins: the configuration read from the
environment, the exact requests made (identifiers, parameters, credentials only where they belong), the
note each service leaves when it has no open copy, what is retried or refused, and the clients' pace."""

import dataclasses

import pytest
from fulltext_fake_services import PAYWALL_HTML, PDF, Answer, jats

from sysrev.fulltext.services import FulltextConfig, OpenAccessFinder, load_fulltext_config
from sysrev.search import ratelimit
from sysrev.search.http import HttpError

EMAIL, KEY = "secret.sentinel@example.org", "SENTINELKEY123"
NOT_FOUND = '{"error": "not found"}'


@pytest.mark.parametrize("env, expected", [
    ({}, FulltextConfig()),
    ({"SYSREV_IDCONV_URL": "http://i/", "SYSREV_EUTILS_URL": "http://e/", "SYSREV_EUROPEPMC_URL": "http://p/",
      "SYSREV_UNPAYWALL_URL": "http://u/", "NCBI_EMAIL": "n@x.org", "NCBI_API_KEY": "K", "NCBI_TOOL": "mine"},
     FulltextConfig("http://i/", "http://e/", "http://p/", "http://u/", "K", "n@x.org", "mine", "n@x.org")),
    ({"UNPAYWALL_EMAIL": " u@x.org ", "NCBI_EMAIL": "n@x.org"},
     FulltextConfig(ncbi_email="n@x.org", unpaywall_email="u@x.org")),
    ({"SYSREV_REQUEST_DEADLINE": "45"}, FulltextConfig(request_deadline=45.0)),
])
def test_configuration_from_the_environment(tmp_path, env, expected):
    config = load_fulltext_config({"SYSREV_CONFIG": str(tmp_path / "none.toml"), **env})
    assert config == expected
    assert FulltextConfig().idconv_url == "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
    assert (FulltextConfig().europepmc_url, FulltextConfig().unpaywall_url) == (
        "https://www.ebi.ac.uk/europepmc/webservices/rest/", "https://api.unpaywall.org/v2/")


def test_credentials_are_never_shown():
    config = FulltextConfig(ncbi_api_key=KEY, ncbi_email="n@x.org", unpaywall_email=EMAIL)
    assert KEY not in repr(config) and "n@x.org" not in repr(config) and EMAIL not in repr(config)
    assert config.secrets() == [KEY, "n@x.org", EMAIL]
    assert FulltextConfig(unpaywall_email=EMAIL).secrets() == [EMAIL]


def test_clients_pace_retries_and_shared_budgets(config, monkeypatch):  # (conftest: no limiter made yet)
    finder = OpenAccessFinder(config)
    clients = [finder.ncbi, finder.europepmc, finder.unpaywall, finder.hosts]
    assert [c.limiter.rate for c in clients] == [10.0, 5.0, 5.0, 5.0]  # NCBI: 10 requests/s with an API key
    assert [c.limiter for c in clients] == [ratelimit.shared_limiter(name, 1.0) for name in
                                            ("eutils", "europepmc", "unpaywall", "oa-hosts")]
    assert {(c.timeout, c.max_attempts, c.backoff, tuple(c.secrets), c.request_deadline) for c in clients} == {
        ((10.0, 60.0), 4, 1.0, (KEY, EMAIL, EMAIL), 300.0)}
    assert {c.request_deadline for c in vars(OpenAccessFinder(dataclasses.replace(
        config, request_deadline=7.5))).values() if hasattr(c, "request_deadline")} == {7.5}
    quick = OpenAccessFinder(config, timeout=(1.0, 2.0), max_attempts=2, backoff=0.5)
    assert {(c.timeout, c.max_attempts, c.backoff) for c in (quick.ncbi, quick.europepmc, quick.unpaywall,
                                                             quick.hosts)} == {((1.0, 2.0), 2, 0.5)}
    monkeypatch.setattr(ratelimit, "_registry", {})
    assert OpenAccessFinder(dataclasses.replace(config, ncbi_api_key="")).ncbi.limiter.rate == 3.0


def test_pmc_requests_carry_the_credentials_the_stored_url_none(services, config, finder):
    services.route("/idconv/", Answer.json({"records": [{"pmid": "222", "status": "error"},
                                                        {"pmid": "222", "pmcid": "pmc2002"}]}))
    services.route("/eutils/efetch.fcgi", Answer.xml(jats()))
    lookup = finder.find({"pmid": 222, "doi": "10.1000/two"})  # the PMID is asked for, not the DOI
    assert lookup.notes == ["PMC ID converter: PMC2002"]
    assert lookup.found == dataclasses.replace(
        lookup.found, fmt="xml", source="pmc", url=f"{services.url}/eutils/efetch.fcgi?db=pmc&id=2002",
        licence="https://creativecommons.org/licenses/by/4.0/", content=jats())
    assert services.log == [
        ("/idconv/", {"ids": ["222"], "format": ["json"], "tool": ["sysrev"], "email": [EMAIL]}),
        ("/eutils/efetch.fcgi", {"db": ["pmc"], "id": ["2002"], "retmode": ["xml"], "tool": ["sysrev"],
                                 "email": [EMAIL], "api_key": [KEY]})]
    services.log.clear()
    plain = OpenAccessFinder(dataclasses.replace(config, ncbi_email="", ncbi_api_key="", ncbi_tool="mine"),
                             max_attempts=1)
    assert plain.find({"doi": "10.1000/two"}).found.source == "pmc"
    assert services.log == [("/idconv/", {"ids": ["10.1000/two"], "format": ["json"], "tool": ["mine"]}),
                            ("/eutils/efetch.fcgi", {"db": ["pmc"], "id": ["2002"], "retmode": ["xml"],
                                                     "tool": ["mine"]})]


def unpaywall_locations(services):
    """The best location's host fails, the next repeats it, one answers a web page, the last a PDF."""
    urls = [f"{services.url}/hosts/{name}.pdf" for name in ("gone", "wall", "ok")]
    services.route("/unpaywall/10.1000/u", Answer.json({
        "is_oa": True, "best_oa_location": {"url_for_pdf": urls[0], "host_type": "publisher"},
        "oa_locations": [None, {"url": "https://landing"}, {"url_for_pdf": urls[0]}, {"url_for_pdf": urls[1]},
                         {"url_for_pdf": urls[2], "license": None}]}))
    services.route("/hosts/wall.pdf", Answer(200, PAYWALL_HTML, "text/html; charset=utf-8"))
    services.route("/hosts/ok.pdf", Answer(200, PDF, None))
    return urls


NO_PMC = "PMC ID converter: not in PMC"
# record, the services' answers (path, answer, query), the source found (None: none), the notes
SCENARIOS = [
    ({"pmcid": "1001"}, [("/eutils/efetch.fcgi", Answer.xml(jats(body=False)), None),
                         ("/epmc/PMC1001/fullTextXML", Answer.xml(jats(body=False)), None)],
     None, ["PMC: PMC1001 has no open full text (metadata only)", "Europe PMC: no open full text for PMC1001",
            "Unpaywall: the record has no DOI"]),
    ({"doi": "10.1000/e"}, [("/idconv/", Answer.json([]), None),
                            ("/epmc/search", Answer.json({"resultList": {"result": [
                                {"pmcid": "PMC5", "isOpenAccess": "N"}, {"pmcid": "6", "isOpenAccess": "y"}]}}),
                             'query=DOI:"10.1000/e"&resultType=core&format=json'),
                            ("/epmc/PMC6/fullTextXML", Answer.xml(jats(licence="cc-by")), None)],
     "europepmc", [NO_PMC]),
    ({"doi": "10.1000/u"}, [("/idconv/", Answer.json({"error": "bad id"}, status=400), None),
                            ("/epmc/search", Answer.json({"resultList": None}), None),
                            ("/unpaywall/10.1000/u", Answer.json({"error": True}, status=404), None)],
     None, [NO_PMC, "Unpaywall: DOI unknown"]),
    ({"doi": "10.1000/u"}, [("/epmc/search", Answer.json({}), None),
                            ("/unpaywall/10.1000/u", Answer.json({"is_oa": False}), None)],
     None, [NO_PMC, "Unpaywall: no open-access copy known"]),
    ({"doi": "10.1000/u"}, [("/epmc/search", Answer.json({}), None),
                            ("/unpaywall/10.1000/u", Answer.json({"is_oa": True, "best_oa_location": None,
                                                                  "oa_locations": [{"url": "https://landing"}]}),
                             None)],
     None, [NO_PMC, "Unpaywall: open copy known but no PDF link (landing page only)"]),
    ({}, [], None, ["Unpaywall: the record has no DOI"]),
    # a PMID only, not in PMC (a malformed PMCID is none): Europe PMC is not searched without a DOI
    ({"pmid": "9"}, [("/idconv/", Answer.json({"records": [{"pmcid": "PMCID-pending"}, {"pmcid": "PMC"}]}), None)],
     None, [NO_PMC, "Unpaywall: the record has no DOI"]),
]


@pytest.mark.parametrize("record, answers, source, notes", SCENARIOS)
def test_each_service_notes_why_it_has_no_copy(services, finder, record, answers, source, notes):
    for path, answer, query in answers:
        services.route(path, answer, query=query)
    lookup = finder.find(record)
    assert (lookup.found and lookup.found.source, lookup.notes) == (source, notes)
    if source:
        assert (lookup.found.url, lookup.found.licence) == (f"{services.url}/epmc/PMC6/fullTextXML", "cc-by")
    if not record:
        assert services.log == []


def test_unpaywall_locations_tried_in_turn(services, finder):
    services.route("/epmc/search", Answer.json({}))
    gone, wall, ok = unpaywall_locations(services)
    lookup = finder.find({"doi": "10.1000/u"})
    assert lookup.notes == [NO_PMC, f"Unpaywall location {gone}: {gone}: HTTP 404: {NOT_FOUND}",
                            f"Unpaywall location {wall}: answered text/html, not a PDF (a paywall or landing "
                            "page); not kept"]
    assert lookup.found == dataclasses.replace(lookup.found, content=PDF, fmt="pdf", source="unpaywall (host)",
                                               url=ok, licence="")
    assert len(services.requests_to("/hosts/gone.pdf")) == 1  # a location repeated is not asked again
    assert services.requests_to("/unpaywall/10.1000/u") == [{"email": [EMAIL]}]


def test_unpaywall_doi_quoted_and_a_page_without_content_type(services, finder):
    services.route("/epmc/search", Answer.json({}))
    page = f"{services.url}/hosts/page.pdf"
    services.route("/unpaywall/10.1000/a%20b", Answer.json({"is_oa": True, "best_oa_location": {
        "url_for_pdf": page}}))
    services.route("/hosts/page.pdf", Answer(200, b"<html></html>", None))
    assert finder.find({"doi": " 10.1000/a b "}).notes[-1] == (f"Unpaywall location {page}: answered unknown type, "
                                                              "not a PDF (a paywall or landing page); not kept")


def test_unpaywall_not_asked_without_an_email_address(services, config):
    services.route("/epmc/search", Answer.json({}))
    finder = OpenAccessFinder(dataclasses.replace(config, unpaywall_email=""), max_attempts=1)
    assert finder.find({"doi": "10.1000/u"}).notes == [NO_PMC, "Unpaywall: not asked (set UNPAYWALL_EMAIL or "
                                                               "NCBI_EMAIL)"]
    assert services.requests_to("/unpaywall/10.1000/u") == []


@pytest.mark.parametrize("record, failing", [
    ({"pmid": "1"}, "/idconv/"), ({"pmcid": "PMC1"}, "/eutils/efetch.fcgi"), ({"doi": "10.1/x"}, "/epmc/search"),
    ({"pmcid": "PMC1"}, "/epmc/PMC1/fullTextXML"), ({"doi": "10.1/x"}, "/unpaywall/10.1/x"),
])
def test_a_service_that_keeps_failing_raises_after_its_retries(services, finder, record, failing):
    services.route("/eutils/efetch.fcgi", Answer.xml(jats(body=False)))
    services.route("/epmc/search", Answer.json({}))
    services.route(failing, Answer(503, f"busy: {EMAIL} {KEY}".encode(), "text/plain"))
    with pytest.raises(HttpError) as error:
        finder.find(record)
    assert error.value.status == 503 and len(services.requests_to(failing)) == 3
    assert EMAIL not in str(error.value) and KEY not in str(error.value) and "busy: *** ***" in str(error.value)


OPEN_EPMC = Answer.json({"resultList": {"result": [{"pmcid": "PMC7", "isOpenAccess": "Y"}]}})


@pytest.mark.parametrize("record, path, bad, good, problem", [
    ({"pmid": "9"}, "/idconv/", b"not json", Answer.json({"records": []}), "the answer is not JSON"),
    ({"doi": "10.1/x"}, "/epmc/search", b"{cut", OPEN_EPMC, "the answer is not JSON"),
    ({"pmcid": "PMC7"}, "/epmc/PMC7/fullTextXML", jats()[:60], Answer.xml(jats()), "the answer is not well-formed XML"),
    ({"doi": "10.1/x"}, "/unpaywall/10.1/x", b"\xff\xfe", Answer.json({"is_oa": False}), "the answer is not JSON"),
])
def test_unusable_answers_retried_then_given_up(services, finder, record, path, bad, good, problem):
    services.route("/eutils/efetch.fcgi", Answer.xml(jats(body=False)))
    services.route("/epmc/search", Answer.json({}))
    services.route("/epmc/PMC7/fullTextXML", Answer.xml(jats(body=False)))
    services.route(path, Answer(200, bad, "text/plain"), good)
    finder.find(record)
    assert len(services.requests_to(path)) == 2
    services.route(path, Answer(200, bad, "text/plain"))
    with pytest.raises(HttpError, match=rf"unusable response \({problem}\); gave up after 3 attempts"):
        finder.find(record)


def test_base_urls_without_a_trailing_slash(services):
    bare = FulltextConfig(idconv_url=f"{services.url}/idconv/", eutils_url=f"{services.url}/NCBIX",
                          europepmc_url=f"{services.url}/EPMCX", unpaywall_url=f"{services.url}/UPWX",
                          unpaywall_email=EMAIL)
    services.route("/EPMCX/search", OPEN_EPMC)
    services.route("/UPWX/10.1/x", Answer.json({"is_oa": False}))
    services.route("/NCBIX/efetch.fcgi", Answer.xml(jats()))
    finder = OpenAccessFinder(bare, max_attempts=1)
    assert finder.find({"doi": "10.1/x"}).notes == [NO_PMC, "Europe PMC: no open full text for PMC7",
                                                    "Unpaywall: no open-access copy known"]
    assert finder.find({"pmcid": "PMC8"}).found.url == f"{services.url}/NCBIX/efetch.fcgi?db=pmc&id=8"
    assert [path for path, _ in services.log] == ["/idconv/", "/EPMCX/search", "/EPMCX/PMC7/fullTextXML",
                                                  "/UPWX/10.1/x", "/NCBIX/efetch.fcgi"]


def test_entities_refused_at_once(services, finder):
    services.route("/idconv/", Answer.json({"records": [{"pmcid": "PMC9"}]}))
    services.route("/eutils/efetch.fcgi", Answer.xml(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a/>'))
    with pytest.raises(HttpError, match="^the answer declares XML entities; refused$") as error:
        finder.find({"pmid": "9"})
    assert error.value.status == 200
    assert len(services.requests_to("/eutils/efetch.fcgi")) == 1
