"""A local stand-in for the open-access services (loopback only), answering in their documented shapes.

Where each shape comes from:

* PMC ID Converter — https://pmc.ncbi.nlm.nih.gov/tools/id-converter-api/ : JSON ``{"status": "ok",
  "responseDate": …, "request": …, "records": [{"pmcid": "PMC…", "pmid": "…", "doi": "…"}]}``; an ID that is
  not in PMC comes back as a record without ``pmcid`` (``"status": "error", "errmsg": "invalid article id"``).
* E-utilities EFetch ``db=pmc`` — https://www.ncbi.nlm.nih.gov/books/NBK25499/ : ``<pmc-articleset>`` with one
  JATS ``<article>``; for an article outside the open-access subset only ``<front>`` (no ``<body>``), HTTP 200.
* Europe PMC REST — https://europepmc.org/RestfulWebService : ``/search?query=DOI:"…"&resultType=core
  &format=json`` → ``{"hitCount": n, "resultList": {"result": [{"pmcid", "isOpenAccess": "Y"|"N",
  "license", …}]}}``; ``/{PMCID}/fullTextXML`` → JATS ``<article>`` or HTTP 404.
* Unpaywall v2 — https://unpaywall.org/data-format : ``/v2/{doi}?email=…`` → ``{"doi", "is_oa",
  "best_oa_location": {"url", "url_for_pdf", "license", "host_type", "version"}, "oa_locations": [...]}``;
  HTTP 404 ``{"HTTP_status_code": 404, "error": true, "message": "… isn't in Unpaywall"}`` for an unknown DOI.

Each route is a list of answers served in turn (the last one repeats), so a test can script "429, then
the document". Every request is logged with its path and query for assertions.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PAYWALL_HTML = b"<!DOCTYPE html><html><head><title>Access through your institution</title></head>" \
               b"<body>Purchase this article</body></html>"


def jats(body=True, title="A randomised trial", tables="", licence="https://creativecommons.org/licenses/by/4.0/"):
    """A minimal PMC-style JATS article; without ``body`` only the front matter, as PMC answers for
    articles outside the open-access subset."""
    front = (f"<front><article-meta><title-group><article-title>{title}</article-title></title-group>"
             f"<permissions><license xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"{licence}\">"
             "<license-p>Open access.</license-p></license></permissions></article-meta></front>")
    content = f"<body><sec><p>Methods.</p>{tables}</sec></body>" if body else ""
    return (f"<?xml version=\"1.0\"?><pmc-articleset><article>{front}{content}</article></pmc-articleset>"
            ).encode()


class Answer:
    def __init__(self, status=200, body=b"", content_type="application/json", headers=None):
        self.status, self.body, self.content_type = status, body, content_type
        self.headers = headers or {}

    @classmethod
    def json(cls, obj, status=200):
        return cls(status, json.dumps(obj).encode(), "application/json")

    @classmethod
    def xml(cls, data, status=200):
        return cls(status, data, "text/xml")


class FakeServices:
    """Routes: ``{path: [Answer, ...]}``, or ``{(path, query-substring): [...]}`` for query-dependent ones."""

    def __init__(self):
        self.routes = {}
        self.log = []
        self._lock = threading.Lock()
        services = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                with services._lock:
                    services.log.append((parts.path, parse_qs(parts.query)))
                    answer = services._answer(parts.path, parts.query)
                self.send_response(answer.status)
                if answer.content_type is not None:  # None: an answer without a Content-Type
                    self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # polled every 50 ms, so that shutting the stand-in down costs no half second per test
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def route(self, path, *answers, query=None):
        self.routes[(path, query)] = list(answers)

    def _answer(self, path, query):
        from urllib.parse import unquote

        decoded = unquote(query)
        routes = sorted(self.routes.items(), key=lambda item: item[0][1] is None)  # query-specific first
        for (route_path, route_query), answers in routes:
            if route_path == path and (route_query is None or route_query in decoded):
                return answers.pop(0) if len(answers) > 1 else answers[0]
        return Answer.json({"error": "not found"}, status=404)

    def requests_to(self, path):
        return [q for p, q in self.log if p == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
