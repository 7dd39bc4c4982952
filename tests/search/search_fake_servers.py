"""Local stand-ins for NCBI E-utilities and the Elsevier Scopus Search API, for tests and benchmarks.

:class:`FakeServer` listens on 127.0.0.1 on an ephemeral port and answers

* ``/esearch.fcgi`` and ``/efetch.fcgi`` from a :class:`SyntheticPubmed` corpus of any size (dates,
  history server, the 9,999-record limit) or from recorded real responses (``replay``);
* ``/content/search/scopus`` from a :class:`SyntheticScopus` corpus (cursor or start/count paging, the
  5,000-result start limit, quota headers, Elsevier's error bodies).

Faults are queued with :meth:`FakeServer.fault` and served in order to the next matching request: HTTP 429
with NCBI's JSON body, 500/502/503, a response slower than the client's timeout, a body cut off mid-record,
an ``<ERROR>`` element, an expired WebEnv. ``enforce_rate`` makes the server answer 429 to any request beyond
that many in the last second, as NCBI does.
"""

import bisect
import json
import re
import threading
import time
from collections import deque
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

NCBI_429 = '{"error":"API rate limit exceeded","api-key":"%s","count":"%d","limit":"%d"}'
LIMIT = 9999
DOCTYPE = ('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
           '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">')
ESEARCH_DOCTYPE = ('<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
                   '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">')
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


class SyntheticPubmed:
    """``n`` PubMed records with publication dates spread over [start, end] and entry dates after them."""

    def __init__(self, n, start=date(2000, 1, 1), end=date(2024, 12, 31), first_pmid=30000000, same_day=False,
                 minimal=False):
        self.minimal = minimal  # bare articles (PMID, title, date): cheaper to parse in large tests
        days = (end - start).days + 1
        self.records = []
        for i in range(n):
            pdat = start if same_day else start + timedelta(days=(i * 7919) % days)
            edat = pdat + timedelta(days=i % 30)
            self.records.append((str(first_pmid + i), pdat, edat))
        self.by_pmid = {r[0]: r for r in self.records}
        self._sorted = {}
        for field, index in (("pdat", 1), ("edat", 2)):
            ordered = sorted(self.records, key=lambda r: r[index])
            self._sorted[field] = ([r[index] for r in ordered], [r[0] for r in ordered])

    def search(self, term, field=None, mindate=None, maxdate=None) -> list:
        """PMIDs matching ``term`` (any term matches everything except ones containing 'nohits') in the window."""
        if "nohits" in term.lower():
            return []
        field = field or "pdat"
        lo_date = _parse(mindate) if mindate else date.min
        hi_date = _parse(maxdate, end=True) if maxdate else date.max
        dates, pmids = self._sorted[field]
        found = pmids[bisect.bisect_left(dates, lo_date):bisect.bisect_right(dates, hi_date)]
        clause = re.search(r'"([\d/]+)"\[PDAT\] : "([\d/]+)"\[PDAT\]', term)
        if clause:
            lo, hi = _parse(clause.group(1)), _parse(clause.group(2), end=True)
            found = [p for p in found if lo <= self.by_pmid[p][1] <= hi]
        return sorted(found, reverse=True)

    def article(self, pmid) -> str:
        _, pdat, _ = self.by_pmid[pmid]
        i = int(pmid)
        if self.minimal:
            return (f'<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>'
                    f'<PubDate><Year>{pdat.year}</Year></PubDate></JournalIssue></Journal>'
                    f'<ArticleTitle>Article {pmid}</ArticleTitle></Article></MedlineCitation></PubmedArticle>')
        if i % 10 == 3:
            pub_date = f"<MedlineDate>{pdat.year} {_MONTHS[pdat.month - 1]}-{_MONTHS[pdat.month % 12]}</MedlineDate>"
        else:
            pub_date = f"<Year>{pdat.year}</Year><Month>{_MONTHS[pdat.month - 1]}</Month><Day>{pdat.day:02d}</Day>"
        return (
            f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
            f'<Article PubModel="Print"><Journal><ISSN IssnType="Print">1234-5678</ISSN>'
            f'<JournalIssue CitedMedium="Print"><Volume>{i % 50}</Volume><Issue>{i % 12 + 1}</Issue>'
            f'<PubDate>{pub_date}</PubDate></JournalIssue><Title>Journal of Synthetic Studies</Title>'
            f'<ISOAbbreviation>J Synth Stud</ISOAbbreviation></Journal>'
            f'<ArticleTitle>Effect of <i>intervention</i> {pmid} on back pain.</ArticleTitle>'
            f'<Pagination><MedlinePgn>575-86</MedlinePgn></Pagination>'
            f'<ELocationID EIdType="doi" ValidYN="Y">10.1000/SYN.{pmid}</ELocationID>'
            f'<Abstract><AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Background of '
            f'<sup>{pmid}</sup>.</AbstractText><AbstractText Label="RESULTS" NlmCategory="RESULTS">'
            f'Pain fell by 2 points (p &lt; 0.05).</AbstractText></Abstract>'
            f'<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Smith</LastName><ForeName>Jane A'
            f'</ForeName><Initials>JA</Initials></Author><Author ValidYN="Y"><LastName>Müller</LastName>'
            f'<Initials>K</Initials></Author><Author ValidYN="Y"><CollectiveName>SYNTH Trial Group'
            f'</CollectiveName></Author></AuthorList><Language>eng</Language>'
            f'<PublicationTypeList><PublicationType UI="D016449">Randomized Controlled Trial</PublicationType>'
            f'</PublicationTypeList></Article></MedlineCitation><PubmedData><ArticleIdList>'
            f'<ArticleId IdType="pubmed">{pmid}</ArticleId><ArticleId IdType="doi">10.1000/SYN.{pmid}</ArticleId>'
            f'</ArticleIdList></PubmedData></PubmedArticle>'
        )

    def efetch_xml(self, pmids) -> bytes:
        body = "".join(self.article(p) for p in pmids)
        return f'<?xml version="1.0" ?>\n{DOCTYPE}\n<PubmedArticleSet>{body}</PubmedArticleSet>\n'.encode()


def _parse(text, end=False) -> date:
    parts = [int(p) for p in re.split(r"[/-]", text)]
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        if end:
            nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return nxt - timedelta(days=1)
        return date(parts[0], parts[1], 1)
    return date(*parts)


def esearch_xml(count, webenv="", query_key="", translation="", nohits_term=None) -> bytes:
    history = f"<QueryKey>{query_key}</QueryKey><WebEnv>{webenv}</WebEnv>" if webenv else ""
    errors = ""
    if nohits_term:
        errors = (f"<ErrorList><PhraseNotFound>{nohits_term}</PhraseNotFound></ErrorList>"
                  "<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>")
    return (f'<?xml version="1.0" encoding="UTF-8" ?>\n{ESEARCH_DOCTYPE}\n<eSearchResult><Count>{count}</Count>'
            f"<RetMax>0</RetMax><RetStart>0</RetStart>{history}<IdList/><TranslationSet/>"
            f"<QueryTranslation>{translation}</QueryTranslation>{errors}</eSearchResult>\n").encode()


class SyntheticScopus:
    """``n`` Scopus entries with publication years spread over [first_year, last_year]."""

    def __init__(self, n, first_year=2000, last_year=2024, cursor_allowed=True):
        span = last_year - first_year + 1
        self.entries = [(f"2-s2.0-{85000000000 + i}", first_year + (i * 7) % span) for i in range(n)]
        self.cursor_allowed = cursor_allowed

    def search(self, query, date_param=None) -> list:
        if "nohits" in query.lower():
            return []
        found = self.entries
        if date_param:
            lo, _, hi = date_param.partition("-")
            lo, hi = int(lo), int(hi or lo)
            found = [e for e in found if lo <= e[1] <= hi]
        return found

    @staticmethod
    def entry(eid, year) -> dict:
        n = eid.rsplit("-", 1)[1]
        return {
            "@_fa": "true", "eid": eid, "dc:identifier": f"SCOPUS_ID:{n}",
            "dc:title": f"Ultrasound <inf>guided</inf> injection study {n}", "dc:creator": "Christidis K.",
            "prism:publicationName": "Pain Physician", "prism:issn": "15333159", "prism:volume": "21",
            "prism:issueIdentifier": "3", "prism:pageRange": "575-86", "prism:coverDate": f"{year}-05-01",
            "prism:doi": f"10.1000/SCO.{n}", "pubmed-id": str(int(n) % 100000000),
            "subtypeDescription": "Article",
            "link": [{"@_fa": "true", "@ref": "scopus", "@href": f"https://www.scopus.com/record?eid={eid}"}],
        }


class _State:
    def __init__(self):
        self.pubmed = None
        self.scopus = None
        self.replay = {}  # endpoint → list of (status, headers, body) served in order, last one repeated
        self.faults = deque()
        self.history = {}
        self.log = []  # (time, path, params, status)
        self.posted = []  # paths requested with POST
        self.enforce_rate = None
        self.recent = deque()
        self.slow_seconds = 1.0
        self.quota = None  # Scopus: remaining requests (None: unlimited)
        self.quota_reset = 0
        self.expected_key = None  # Scopus: the API key that is valid
        self.lock = threading.Lock()
        self.counter = 0


class FakeServer:
    """The server; use as a context manager or call :meth:`start`/:meth:`stop`."""

    def __init__(self, pubmed=None, scopus=None, enforce_rate=None):
        self.state = _State()
        self.state.pubmed = pubmed
        self.state.scopus = scopus
        self.state.enforce_rate = enforce_rate
        state = self.state

        class Handler(_Handler):
            pass

        Handler.state = state
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    @property
    def scopus_url(self) -> str:
        return self.url + "content/search/scopus"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    __enter__ = start

    def __exit__(self, *exc):
        self.stop()

    def fault(self, endpoint, kind, times=1, **options):
        """Queue ``times`` faults of ``kind`` for the next requests to ``endpoint`` (esearch/efetch/scopus);
        ``match={"retstart": "0"}`` limits them to requests with those parameters."""
        for _ in range(times):
            self.state.faults.append({"endpoint": endpoint, "kind": kind, **options})

    def requests(self, endpoint=None) -> list:
        return [entry for entry in self.state.log if endpoint is None or entry[1] == endpoint]


class _Handler(BaseHTTPRequestHandler):
    state: _State
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.state.posted.append(urlparse(self.path).path)
        length = int(self.headers.get("Content-Length") or 0)
        self._dispatch(parse_qs(self.rfile.read(length).decode()))

    def do_GET(self):
        self._dispatch(parse_qs(urlparse(self.path).query))

    def _dispatch(self, query):
        params = {k: v[0] for k, v in query.items()}
        if "webenv" in params:  # NCBI's parameter names are case-insensitive; Bio.Entrez sends "webenv"
            params["WebEnv"] = params["webenv"]
        path = urlparse(self.path).path
        endpoint = {"/esearch.fcgi": "esearch", "/efetch.fcgi": "efetch",
                    "/content/search/scopus": "scopus"}.get(path, "unknown")
        state = self.state
        if path == "/stats":  # counts for a benchmark running the server in another process
            statuses = {}
            for entry in list(state.log):
                statuses[str(entry[3])] = statuses.get(str(entry[3]), 0) + 1
            body = json.dumps({"requests": len(state.log), "statuses": statuses,
                               "log": [[t, endpoint, status] for t, endpoint, _, status in state.log]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        with state.lock:
            now = time.monotonic()
            fault = next((f for f in state.faults if f["endpoint"] == endpoint
                          and all(params.get(k) == v for k, v in f.get("match", {}).items())), None)
            if fault is not None:
                state.faults.remove(fault)
            over = False
            if state.enforce_rate:
                while state.recent and now - state.recent[0] >= 1.0:
                    state.recent.popleft()
                over = len(state.recent) >= state.enforce_rate
                state.recent.append(now)
        if over:
            body = (NCBI_429 % ("127.0.0.1", len(state.recent), state.enforce_rate)).encode()
            return self._send(429, body, "application/json", endpoint, params)
        if fault is not None:
            done = self._fault(fault, endpoint, params)
            if done:
                return
        if endpoint in state.replay:
            responses = state.replay[endpoint]
            status, headers, body = responses.pop(0) if len(responses) > 1 else responses[0]
            return self._send(status, body, headers.get("Content-Type", "text/xml"), endpoint, params, headers)
        handler = {"esearch": self._esearch, "efetch": self._efetch, "scopus": self._scopus}.get(endpoint)
        if handler is None:
            return self._send(404, b"not found", "text/plain", endpoint, params)
        handler(params, fault)

    def _fault(self, fault, endpoint, params) -> bool:
        """Serve a fault; return False when the normal answer should follow (slow, truncate, expire)."""
        kind = fault["kind"]
        if kind == "429":
            body = (NCBI_429 % (params.get("api_key", "127.0.0.1"), 4, 3)).encode()
            headers = {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else {}
            self._send(429, body, "application/json", endpoint, params, headers)
            return True
        if kind in ("500", "502", "503"):
            self._send(int(kind), b"<html><body>Service unavailable</body></html>", "text/html", endpoint, params)
            return True
        if kind == "error":
            body = f"<eFetchResult><ERROR>{fault.get('message', 'Search Backend failed')}</ERROR></eFetchResult>"
            self._send(200, body.encode(), "text/xml", endpoint, params)
            return True
        if kind == "body":
            self._send(fault.get("status", 200), fault["body"], fault.get("type", "text/xml"), endpoint, params,
                       fault.get("headers", {}))
            return True
        if kind == "slow":
            time.sleep(fault.get("seconds", self.state.slow_seconds))
        if kind == "expire":
            self.state.history.clear()
        return False

    def _esearch(self, params, fault):
        corpus = self.state.pubmed
        term = params.get("term", "")
        pmids = corpus.search(term, params.get("datetype"), params.get("mindate"), params.get("maxdate"))
        webenv = ""
        if params.get("usehistory") == "y" and pmids:
            with self.state.lock:
                self.state.counter += 1
                webenv = f"MCID_fake{self.state.counter:06d}"
                self.state.history[webenv] = pmids[:LIMIT]
        body = esearch_xml(len(pmids), webenv, "1" if webenv else "", f"{term}[All Fields]",
                           nohits_term=term if not pmids else None)
        self._send(200, body, "text/xml", "esearch", params, fault=fault)

    def _efetch(self, params, fault):
        pmids = self.state.history.get(params.get("WebEnv"))
        if pmids is None:
            body = b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>\n"
            return self._send(200, body, "text/xml", "efetch", params)
        start, count = int(params.get("retstart", 0)), int(params.get("retmax", 20))
        body = self.state.pubmed.efetch_xml(pmids[start:start + count])
        self._send(200, body, "text/xml", "efetch", params, fault=fault)

    def _scopus(self, params, fault):
        state = self.state
        corpus = state.scopus
        key = self.headers.get("X-ELS-APIKey")
        headers = {}
        if state.quota is not None:
            state.quota -= 1
            headers = {"X-RateLimit-Limit": "20000", "X-RateLimit-Remaining": str(max(state.quota, 0)),
                       "X-RateLimit-Reset": str(state.quota_reset)}
            if state.quota < 0:
                headers["X-ELS-Status"] = "QUOTA_EXCEEDED - Quota Exceeded"
                body = b'{"error-response":{"error-code":"TOO_MANY_REQUESTS","error-message":"Quota Exceeded"}}'
                return self._send(429, body, "application/json", "scopus", params, headers)
        if state.expected_key is not None and key != state.expected_key:
            body = (b'{"error-response":{"error-code":"APIKEY_INVALID",'
                    b'"error-message":"The provided apiKey is invalid."}}')
            return self._send(401, body, "application/json", "scopus", params, headers)
        found = corpus.search(params.get("query", ""), params.get("date"))
        count = int(params.get("count", 25))
        if "cursor" in params:
            if not corpus.cursor_allowed:
                body = (b'{"service-error":{"status":{"statusCode":"AUTHORIZATION_ERROR",'
                        b'"statusText":"Use of the cursor parameter is restricted"}}}')
                return self._send(403, body, "application/json", "scopus", params, headers)
            start = 0 if params["cursor"] == "*" else int(params["cursor"].removeprefix("c"))
        else:
            start = int(params.get("start", 0))
            if start + count > 5000 and found:
                body = (b'{"service-error":{"status":{"statusCode":"INVALID_INPUT","statusText":'
                        b'"Exceeds the maximum number allowed for the service level"}}}')
                return self._send(400, body, "application/json", "scopus", params, headers)
        page = found[start:start + count]
        results = {"opensearch:totalResults": str(len(found)), "opensearch:startIndex": str(start),
                   "opensearch:itemsPerPage": str(len(page)),
                   "entry": [corpus.entry(eid, year) for eid, year in page] if page else
                   [{"@_fa": "true", "error": "Result set was empty"}]}
        if "cursor" in params:
            results["cursor"] = {"@current": params["cursor"], "@next": f"c{start + len(page)}"}
        body = json.dumps({"search-results": results}).encode()
        self._send(200, body, "application/json", "scopus", params, headers, fault=fault)

    def _send(self, status, body, content_type, endpoint, params, headers=None, fault=None):
        declared = len(body)
        if fault is not None and fault["kind"] == "truncate":
            body = body[: int(len(body) * fault.get("fraction", 0.5))]
            declared = len(body)
        cut_connection = fault is not None and fault["kind"] == "cut"
        if cut_connection:
            body = body[: len(body) // 2]
        self.state.log.append((time.monotonic(), endpoint, params, status))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(declared))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if cut_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if cut_connection:
            self.close_connection = True
