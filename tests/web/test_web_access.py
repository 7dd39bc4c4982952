"""Who may use the web app, and how they prove it (docs/web.md, "Who is who"): the access token and the CSRF
token (any wrong one refused, never a server error)."""

import time

import pytest
from web_project import signed_in

from sysrev.web.access import add_user
from sysrev.web.app import create_app


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
    if network:
        add_user(project, "alice", "alice's password", ["alice", "bob"])
    app = create_app(project, host="0.0.0.0" if network else "127.0.0.1", token="TESTTOKEN", secret_key="k")
    client = app.test_client()
    if network:
        client.get("/login")
        with client.session_transaction() as session:
            csrf = session["csrf"]
        client.post("/login", data={"csrf_token": csrf, "reviewer": "alice", "password": "alice's password"})
    else:
        client.get("/?token=TESTTOKEN")
        with client.session_transaction() as session:
            csrf = session["csrf"]
        client.post("/pick", data={"csrf_token": csrf, "reviewer": "alice"})
    with client.session_transaction() as session:
        csrf = session["csrf"]  # a new one at sign-in
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
