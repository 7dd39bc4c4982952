"""Who may use the web app, and how they prove it (docs/web.md, "Who is who"): the access token and the CSRF
token (any wrong one refused, never a server error)."""

import pytest
from web_project import signed_in


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
