"""The open-access services asked for a paper, in order: PubMed Central, Europe PMC, Unpaywall.

* **NCBI PMC ID Converter** (https://pmc.ncbi.nlm.nih.gov/tools/id-converter-api/): ``GET ?ids=…&format=json``
  answers ``{"records": [{"pmid": …, "pmcid": "PMC…", "doi": …}]}`` (a record not in PMC has no ``pmcid``
  and may carry ``"status": "error"``).
* **PMC through E-utilities** (EFetch ``db=pmc&id=<number>``): the JATS XML of the article. For an article
  outside the open-access subset it answers HTTP 200 with the front matter only, so a document without
  ``<body>`` is *not* a full text.
* **Europe PMC REST API** (https://europepmc.org/RestfulWebService): ``GET /search?query=DOI:"…"
  &resultType=core&format=json`` finds the PMCID, open-access flag and licence of a DOI;
  ``GET /{PMCID}/fullTextXML`` gives the JATS XML of an open-access article, HTTP 404 otherwise.
* **Unpaywall** (https://unpaywall.org/products/api): ``GET /v2/{doi}?email=…`` answers ``is_oa``,
  ``best_oa_location`` and ``oa_locations`` (``url_for_pdf``, ``url``, ``license``, ``host_type``,
  ``version``); HTTP 404 for an unknown DOI. The PDF itself comes from the location's host, and a "PDF" link
  that answers with a web page (a publisher's paywall or cookie wall) is detected and not kept.

Base URLs come from the environment (``SYSREV_IDCONV_URL``, ``SYSREV_EUTILS_URL``, ``SYSREV_EUROPEPMC_URL``,
``SYSREV_UNPAYWALL_URL``) so tests run against a local stand-in. The e-mail address Unpaywall requires is
``UNPAYWALL_EMAIL`` (else ``NCBI_EMAIL``); like every credential it comes from the environment or the user's
config file and is never written to the project: stored URLs carry no credential parameters.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from urllib.parse import quote
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from sysrev.errors import InputError
from sysrev.fulltext.jats import is_full_text, licence_of, tree
from sysrev.search.config import load_config
from sysrev.search.http import DEFAULT_REQUEST_DEADLINE, BadBody, HttpClient, HttpError
from sysrev.search.ratelimit import shared_limiter

DEFAULT_IDCONV_URL = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
DEFAULT_EUROPEPMC_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest/"
DEFAULT_UNPAYWALL_URL = "https://api.unpaywall.org/v2/"
# Requests per second: NCBI's policy (3 without a key, 10 with one); a polite pace for the others.
NCBI_RATE, NCBI_RATE_WITH_KEY, OTHER_RATE = 3.0, 10.0, 5.0


@dataclass(frozen=True)
class FulltextConfig:
    """Where each service is and the credentials sent to it (never shown by ``repr``)."""

    idconv_url: str = DEFAULT_IDCONV_URL
    eutils_url: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    europepmc_url: str = DEFAULT_EUROPEPMC_URL
    unpaywall_url: str = DEFAULT_UNPAYWALL_URL
    ncbi_api_key: str = field(default="", repr=False)
    ncbi_email: str = field(default="", repr=False)
    ncbi_tool: str = "sysrev"
    unpaywall_email: str = field(default="", repr=False)
    # One request, all its retries included (``[search] request_deadline``, ``SYSREV_REQUEST_DEADLINE``).
    request_deadline: float = DEFAULT_REQUEST_DEADLINE

    def secrets(self) -> list[str]:
        return [s for s in (self.ncbi_api_key, self.ncbi_email, self.unpaywall_email) if s]


def load_fulltext_config(env=None) -> FulltextConfig:
    """The configuration from the environment over the user config file (as the search clients read it)."""
    env = os.environ if env is None else env
    search = load_config(env)
    return FulltextConfig(
        idconv_url=env.get("SYSREV_IDCONV_URL") or DEFAULT_IDCONV_URL,
        eutils_url=search.eutils_url,
        europepmc_url=env.get("SYSREV_EUROPEPMC_URL") or DEFAULT_EUROPEPMC_URL,
        unpaywall_url=env.get("SYSREV_UNPAYWALL_URL") or DEFAULT_UNPAYWALL_URL,
        ncbi_api_key=search.ncbi_api_key, ncbi_email=search.ncbi_email, ncbi_tool=search.ncbi_tool,
        unpaywall_email=(env.get("UNPAYWALL_EMAIL") or search.ncbi_email or "").strip(),
        request_deadline=search.request_deadline,
    )


@dataclass(frozen=True)
class Found:
    """An open copy: its bytes, format (``xml`` JATS or ``pdf``), the service, a credential-free URL, licence."""

    content: bytes
    fmt: str
    source: str
    url: str
    licence: str


@dataclass
class Lookup:
    """What the services said about one record: the copy found, or why there is none (one line each)."""

    found: Found | None = None
    notes: list[str] = field(default_factory=list)


class OpenAccessFinder:
    """Asks the services in order for one record's open copy; one HTTP client per service, rate-limited."""

    def __init__(self, config: FulltextConfig, *, timeout=(10.0, 60.0), max_attempts=4, backoff=1.0):
        self.config = config
        ncbi_rate = NCBI_RATE_WITH_KEY if config.ncbi_api_key else NCBI_RATE
        options = dict(secrets=config.secrets(), timeout=timeout, max_attempts=max_attempts, backoff=backoff,
                       request_deadline=config.request_deadline)
        self.ncbi = HttpClient(shared_limiter("eutils", ncbi_rate), **options)
        self.europepmc = HttpClient(shared_limiter("europepmc", OTHER_RATE), **options)
        self.unpaywall = HttpClient(shared_limiter("unpaywall", OTHER_RATE), **options)
        self.hosts = HttpClient(shared_limiter("oa-hosts", OTHER_RATE), **options)

    def find(self, record: dict) -> Lookup:
        """The first open copy of ``record`` (PMC, then Europe PMC, then Unpaywall), or notes on why none.

        A service that fails after its retries raises :class:`HttpError` (:class:`DeadlineExceeded` when its
        answers took longer than the request deadline): the record is then left for the next run rather than
        wrongly listed as having no open copy.
        """
        lookup = Lookup()
        doi = (record.get("doi") or "").strip()
        pmid = str(record.get("pmid") or "").strip()
        pmcid = _pmcid(record.get("pmcid"))
        if not pmcid and (pmid or doi):
            pmcid = self.pmcid_for(pmid or doi)
            lookup.notes.append(f"PMC ID converter: {pmcid or 'not in PMC'}")
        if pmcid:
            found = self.from_pmc(pmcid)
            if found:
                lookup.found = found
                return lookup
            lookup.notes.append(f"PMC: {pmcid} has no open full text (metadata only)")
        epmc_pmcid = pmcid or (self.europepmc_pmcid(doi) if doi else "")
        if epmc_pmcid:
            found = self.from_europepmc(epmc_pmcid)
            if found:
                lookup.found = found
                return lookup
            lookup.notes.append(f"Europe PMC: no open full text for {epmc_pmcid}")
        if not doi:
            lookup.notes.append("Unpaywall: the record has no DOI")
            return lookup
        if not self.config.unpaywall_email:
            lookup.notes.append("Unpaywall: not asked (set UNPAYWALL_EMAIL or NCBI_EMAIL)")
            return lookup
        lookup.found = self.from_unpaywall(doi, lookup.notes)
        return lookup

    # ------------------------------------------------------------------------------------------- services

    def pmcid_for(self, identifier: str) -> str:
        params = {"ids": identifier, "format": "json", "tool": self.config.ncbi_tool}
        if self.config.ncbi_email:
            params["email"] = self.config.ncbi_email
        try:
            response = self.ncbi.get(self.config.idconv_url, params=params, check=_json_body)
        except HttpError as exc:
            if exc.status in (400, 404):
                return ""
            raise
        for item in _json(response).get("records", []) or []:
            pmcid = _pmcid(item.get("pmcid"))
            if pmcid:
                return pmcid
        return ""

    def from_pmc(self, pmcid: str) -> Found | None:
        number = pmcid[3:]
        params = {"db": "pmc", "id": number, "retmode": "xml", "tool": self.config.ncbi_tool}
        if self.config.ncbi_email:
            params["email"] = self.config.ncbi_email
        if self.config.ncbi_api_key:
            params["api_key"] = self.config.ncbi_api_key
        url = self.config.eutils_url.rstrip("/") + "/efetch.fcgi"
        response = self.ncbi.get(url, params=params, check=_xml_body)
        if not is_full_text(response.content):
            return None
        return Found(response.content, "xml", "pmc", f"{url}?db=pmc&id={number}", licence_of(response.content))

    def europepmc_pmcid(self, doi: str) -> str:
        url = self.config.europepmc_url.rstrip("/") + "/search"
        params = {"query": f'DOI:"{doi}"', "resultType": "core", "format": "json"}
        answer = _json(self.europepmc.get(url, params=params, check=_json_body))
        results = (answer.get("resultList") or {}).get("result") or []
        for item in results:
            if _pmcid(item.get("pmcid")) and str(item.get("isOpenAccess", "")).upper() == "Y":
                return _pmcid(item.get("pmcid"))
        return ""

    def from_europepmc(self, pmcid: str) -> Found | None:
        url = f"{self.config.europepmc_url.rstrip('/')}/{pmcid}/fullTextXML"
        try:
            response = self.europepmc.get(url, check=_xml_body)
        except HttpError as exc:
            if exc.status == 404:
                return None
            raise
        if not is_full_text(response.content):
            return None
        return Found(response.content, "xml", "europepmc", url, licence_of(response.content))

    def from_unpaywall(self, doi: str, notes: list[str]) -> Found | None:
        url = self.config.unpaywall_url.rstrip("/") + "/" + quote(doi, safe="/")
        try:
            data = _json(self.unpaywall.get(url, params={"email": self.config.unpaywall_email},
                                                check=_json_body))
        except HttpError as exc:
            if exc.status == 404:
                notes.append("Unpaywall: DOI unknown")
                return None
            raise
        if not data.get("is_oa"):
            notes.append("Unpaywall: no open-access copy known")
            return None
        locations = [data.get("best_oa_location")] + list(data.get("oa_locations") or [])
        tried = set()
        for location in locations:
            pdf_url = (location or {}).get("url_for_pdf") or ""
            if not pdf_url or pdf_url in tried:
                continue
            tried.add(pdf_url)
            try:
                response = self.hosts.get(pdf_url)
            except HttpError as exc:
                notes.append(f"Unpaywall location {pdf_url}: {exc}")
                continue
            if not response.content.startswith(b"%PDF-"):
                kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
                notes.append(f"Unpaywall location {pdf_url}: answered {kind}, not a PDF (a paywall or "
                             "landing page); not kept")
                continue
            return Found(response.content, "pdf", f"unpaywall ({location.get('host_type') or 'host'})",
                         pdf_url, location.get("license") or "")
        if not tried:
            notes.append("Unpaywall: open copy known but no PDF link (landing page only)")
        return None


def _pmcid(value) -> str:
    text = str(value or "").strip().upper()
    if text.isdigit():
        text = "PMC" + text
    return text if text.startswith("PMC") and text[3:].isdigit() else ""


def _json_body(response) -> None:
    """Retry an answer that is not JSON (cut off in transit, an HTML error page from a proxy)."""
    try:
        json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadBody("the answer is not JSON") from None


def _xml_body(response) -> None:
    """Retry an answer that is not well-formed XML; one declaring entities is refused, not retried."""
    try:
        tree(response.content)
    except DefusedXmlException:
        raise HttpError("the answer declares XML entities; refused", status=response.status_code) from None
    except (ParseError, ValueError, InputError):  # InputError: an encoding that cannot be read
        raise BadBody("the answer is not well-formed XML") from None


def _json(response) -> dict:
    data = json.loads(response.content.decode("utf-8"))
    return data if isinstance(data, dict) else {}
