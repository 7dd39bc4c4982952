"""Who may use the web app, and how they prove it (docs/web.md, "Who is who"): the access token and the CSRF
token (any wrong one refused, never a server error), the accounts file (its format, its permissions, a broken
one named), the session (its cookie, twelve hours from sign-in) and the size of a post."""

import re
import stat
import time

import pytest
from web_project import signed_in

from sysrev.errors import SysrevError
from sysrev.web import access
from sysrev.web.access import add_user, check_password
from sysrev.web.app import create_app

REVIEWERS = ["alice", "bob"]
PASSWORD = "alice's password"


def _served(project, network):
    """The app as `sysrev serve` makes it: on loopback, or on the network with an account for alice."""
    if network:
        add_user(project, "alice", PASSWORD, REVIEWERS)
    return create_app(project, host="0.0.0.0" if network else "127.0.0.1", token="TESTTOKEN", secret_key="k")


def _sign_in(client, network, name="alice", **query):
    """Sign in as a reviewer does (the token link then the pick page, or the login form): the answer, and the
    session's CSRF token after it (a new one at sign-in)."""
    client.get("/login" if network else "/?token=TESTTOKEN")
    with client.session_transaction() as session:
        csrf = session["csrf"]
    data = {"csrf_token": csrf, "reviewer": name} | ({"password": PASSWORD} if network else {})
    answer = client.post("/login" if network else "/pick", query_string=query, data=data)
    with client.session_transaction() as session:
        return answer, session["csrf"]


@pytest.mark.parametrize("token", ["wrong", "TESTTOKEN2", "testtoken", "é", "TESTTOKENé"])
def test_a_wrong_access_token_is_refused_with_403(app, token):
    # a token hmac cannot compare as text (non-ASCII) was a server error (500), not a refusal
    page = app.test_client().get("/", query_string={"token": token})
    assert page.status_code == 403 and "Access token needed" in page.data.decode()


@pytest.mark.parametrize("given", ["é", "forged", "", "other session"])
def test_a_write_without_this_sessions_csrf_token_is_refused_and_writes_nothing(app, project, given):
    client, _ = signed_in(app, "alice")
    if given == "other session":
        given = signed_in(app, "bob")[1]
    answer = client.post("/screen/title_abstract/decide",
                         data={"csrf_token": given, "record_id": "R000001", "decision": "include"})
    assert answer.status_code == 400 and "CSRF" in answer.data.decode() and "nothing was saved" in answer.data.decode()
    assert not (project.screening_dir / "title_abstract" / "alice.csv").exists()


def test_the_csrf_token_may_come_in_a_header(app, project):
    """The screening page's fetch sends it as X-CSRF-Token."""
    client, csrf = signed_in(app, "alice")
    answer = client.post("/screen/title_abstract/decide", headers={"X-CSRF-Token": csrf},
                         data={"record_id": "R000001", "decision": "include"})
    assert answer.status_code == 302
    assert (project.screening_dir / "title_abstract" / "alice.csv").read_text().count("R000001") == 1


@pytest.fixture
def clock(monkeypatch):
    """The wall clock, moved by hand (the signed session cookie's time stamp follows it)."""
    now = [float(int(time.time()))]  # whole seconds: the twelve hours below are exact
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


@pytest.mark.parametrize("network", [False, True])
def test_a_session_ends_twelve_hours_after_sign_in_even_if_it_changed_since(project, clock, network):
    """Flask signs the cookie anew whenever the session changes (a reviewer choosing an order or skipping a
    record), which restarted its twelve hours: a session used now and then never ended."""
    client = _served(project, network).test_client()
    _, csrf = _sign_in(client, network)
    cookie = client.get_cookie("session")
    assert abs(cookie.expires.timestamp() - clock[0] - 12 * 3600) < 60  # outlives the browser, for 12 hours
    assert "Set-Cookie" not in client.get("/").headers  # and is not sent again while the session is unchanged
    clock[0] += 11 * 3600
    changed = client.post("/screen/title_abstract/order", data={"csrf_token": csrf, "order": "file"})
    assert changed.status_code == 302 and "Set-Cookie" in changed.headers  # the session changed: signed anew
    clock[0] += 3600 - 1
    assert client.get("/").status_code == 200  # and a second short of twelve hours
    clock[0] += 1  # twelve hours after sign-in
    ended = client.get("/")
    if network:
        assert ended.status_code == 302 and ended.headers["Location"].startswith("/login")
    else:
        assert ended.status_code == 403


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
                                            ("localhost", True), ("0.0.0.0", False), ("::", False),
                                            ("192.168.1.20", False), ("review.example.org", False)])
def test_only_loopback_hosts_serve_without_accounts(project, host, loopback):
    assert access.is_loopback(host) is loopback
    if not loopback:
        with pytest.raises(SysrevError) as refused:
            create_app(project, host=host)
        assert str(refused.value) == (f"refusing to serve on {host} without accounts: create one per reviewer with "
                                      "`sysrev serve adduser NAME` (or serve on 127.0.0.1)")


@pytest.mark.parametrize("text, problem", [("{not json", "not valid JSON"),
                                           ("[]", "expected {name: password hash}"),
                                           ('["alice", "hash"]', "expected {name: password hash}"),
                                           ('{"alice": 1}', "expected {name: password hash}")])
def test_a_broken_accounts_file_is_named_and_nobody_signs_in(project, text, problem):
    path = project.root / ".sysrev" / "web-users.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SysrevError) as refused:
        create_app(project, host="0.0.0.0")
    assert str(refused.value).startswith(f"{path}: ") and problem in str(refused.value)


def test_accounts_file_holds_scrypt_hashes_by_name_for_the_owner_only(project):
    add_user(project, "bob", "b" * access.MIN_PASSWORD, REVIEWERS)  # exactly the minimum length: accepted
    path = add_user(project, "alice", PASSWORD, REVIEWERS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()  # one account a line, sorted by name (whatever order they were added in)
    assert len(lines) == 4 and (lines[0], lines[3]) == ("{", "}") and text.endswith("}\n")
    assert lines[1].startswith('  "alice": "scrypt:') and lines[2].startswith('  "bob": "scrypt:')
    assert PASSWORD not in text and "b" * access.MIN_PASSWORD not in text
    assert check_password(project, "bob", "b" * access.MIN_PASSWORD)
    assert not check_password(project, "bob", PASSWORD) and not check_password(project, "carol", "x" * 12)
    add_user(project, "bob", "bob's new password", REVIEWERS)  # a new password replaces the old one
    assert check_password(project, "bob", "bob's new password")
    assert not check_password(project, "bob", "b" * access.MIN_PASSWORD)
    assert check_password(project, "alice", PASSWORD)  # and the other account is kept


@pytest.mark.parametrize("name, password, message", [
    ("alice", "a" * (access.MIN_PASSWORD - 1), "the password must have at least 10 characters"),
    ("mallory", "a long enough password", "'mallory' is not a reviewer in review.toml [screening] reviewers "
                                          "(alice, bob)")])
def test_an_account_is_refused_for_a_short_password_or_a_stranger(project, name, password, message):
    with pytest.raises(SysrevError) as refused:
        add_user(project, name, password, REVIEWERS)
    assert str(refused.value) == message
    assert not (project.root / ".sysrev" / "web-users.json").exists()


def test_tokens_are_fresh_192_bit_url_safe_strings(app):
    tokens = {access.new_token() for _ in range(20)}
    tokens |= {signed_in(app, "alice")[1] for _ in range(3)}  # each session's CSRF token
    assert len(tokens) == 23 and all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in tokens)


def test_the_session_cookie_is_httponly_and_samesite_strict(app):
    cookie = app.test_client().get("/?token=TESTTOKEN").headers["Set-Cookie"]
    assert "; HttpOnly" in cookie and "; SameSite=Strict" in cookie


@pytest.mark.parametrize("size, status", [(2 * 1024 * 1024 - 300, 302), (2 * 1024 * 1024, 413)])
def test_a_post_over_two_megabytes_is_refused_unread(app, project, size, status):
    client, csrf = signed_in(app, "alice")
    answer = client.post("/screen/title_abstract/decide",
                         data={"csrf_token": csrf, "record_id": "R000001", "decision": "include", "note": "x" * size})
    assert answer.status_code == status
    assert (project.screening_dir / "title_abstract" / "alice.csv").exists() is (status == 302)


def test_the_token_link_keeps_the_page_and_its_other_arguments(app):
    client = app.test_client()
    first = client.get("/screen/full_text?token=TESTTOKEN&at=R000001")
    assert first.status_code == 302 and first.headers["Location"] == "/screen/full_text?at=R000001"
    picked = client.get("/pick")
    page = picked.data.decode()
    assert picked.status_code == 200 and "Who is screening?" in page
    assert re.findall(r'name="reviewer" value="(\w+)"', page) == REVIEWERS
    assert "<title>Who are you? · Specialist stroke unit care vs routine care" in page  # review.toml's title


@pytest.mark.parametrize("target, location", [("/rob", "/rob"), ("/screen/full_text?at=R000001",
                                                                 "/screen/full_text?at=R000001"),
                                              ("//evil.example/x", "/"), ("https://evil.example/", "/"),
                                              ("evil.example", "/"), ("", "/")])
def test_after_signing_in_only_a_page_of_this_site_is_next(project, target, location):
    assert _sign_in(_served(project, False).test_client(), False, "bob", next=target)[0].headers["Location"] \
        == location
    network = _served(project, True).test_client()
    assert network.get("/rob").headers["Location"] == "/login?next=/rob"
    assert _sign_in(network, True, next=target)[0].headers["Location"] == location


@pytest.mark.parametrize("network", [False, True])
def test_signing_out_and_the_page_of_the_other_mode(project, network):
    client = _served(project, network).test_client()
    if not network:
        client.get("/?token=TESTTOKEN")
        assert client.get("/login").headers["Location"] == "/pick"  # no accounts on loopback
    _, csrf = _sign_in(client, network)
    if network:
        assert client.get("/pick").status_code == 404  # no name to pick with accounts
        assert client.get("/login").status_code == 200
    assert "<span>alice</span>" in client.get("/").data.decode()
    out = client.post("/logout", data={"csrf_token": csrf})
    assert out.headers["Location"] == ("/login" if network else "/pick")
    assert client.get("/").headers["Location"] == ("/login?next=/" if network else "/pick?next=/")


def test_the_server_answers_on_loopback_and_serves_its_static_files_to_anyone(app):
    """The server `sysrev serve` runs, on a free loopback port: the page without the token is refused, the
    style sheet and script are served (they hold nothing private), and a connection that stalls half-way
    through its request holds up nobody else (a thread per request)."""
    import socket
    import threading
    import urllib.error
    import urllib.request

    from sysrev.web.app import web_server

    server = web_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stalled = socket.create_connection(("127.0.0.1", server.server_port), timeout=10)
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        stalled.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line that ends it
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/", timeout=10)
        assert refused.value.code == 403
        for name, kind in (("app.css", "text/css"), ("app.js", "text/javascript")):
            with urllib.request.urlopen(f"{base}/static/{name}", timeout=10) as answer:
                assert answer.status == 200 and answer.headers["Content-Type"].startswith(kind)
    finally:
        stalled.close()
        server.shutdown()
        thread.join(10)


def test_without_a_secret_key_each_server_signs_its_own_sessions(project):
    """`sysrev serve` gives no key: sessions are signed with a random one, so a cookie from an earlier run of
    the server (or another project's) signs nobody in."""
    first = create_app(project, token="TESTTOKEN")
    client, _ = signed_in(first, "alice")
    assert "<span>alice</span>" in client.get("/").data.decode()
    cookie = client.get_cookie("session").value
    restarted = create_app(project, token="TESTTOKEN").test_client()
    restarted.set_cookie("session", cookie)
    assert restarted.get("/").status_code == 403
