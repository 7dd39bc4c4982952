"""More of the route bodies in detail: the gaps that benchmarks/decorated_mutation.py found once app.py,
pages_evidence.py and pages_rob.py were mutated whole (every mutant, not the twelfth session's sample) — a
failed sign-in's message, and the RoB 2 form's answers, directions, saved notice and proposal address."""

import re

from web_project import signed_in

from sysrev.web.access import add_user
from sysrev.web.app import create_app

ROB = "Indredavik_1991--los"
ANSWERS = ["Y", "PY", "PN", "N", "NI", "NA"]
DIRECTIONS = ["NA", "favours experimental", "favours comparator", "towards null", "away from null", "unpredictable"]


def _select(page, name):
    """The options of the page's select ``name``: (label, selected) in order."""
    start = page.index(f'name="{name}"')
    select = page[start:page.index("</select>", start)]
    return [(label, "selected" in attributes)
            for attributes, label in re.findall(r"<option([^>]*)>([^<]*)</option>", select)]


# ------------------------------------------------------------------------------------------------ app.py

def test_a_failed_sign_in_says_wrong_name_or_password_in_its_alert(project):
    add_user(project, "alice", "alice's password", ["alice", "bob"])
    client = create_app(project, host="0.0.0.0", token="TESTTOKEN", secret_key="k").test_client()
    client.get("/login")
    with client.session_transaction() as session:
        csrf = session["csrf"]
    refused = client.post("/login", data={"csrf_token": csrf, "reviewer": "alice", "password": "not hers at all"})
    assert refused.status_code == 401
    assert '<p role="alert" class="error">Wrong name or password.</p>' in refused.data.decode()
    with client.session_transaction() as session:
        assert "user" not in session


# -------------------------------------------------------------------------------------------- pages_rob.py

def test_the_rob_form_offers_every_answer_with_the_saved_one_selected(app, project):
    client, csrf = signed_in(app, "alice")
    assert client.post(f"/rob/{ROB}", data={"csrf_token": csrf, "D1.1.1": "PY", "D4.4.2": "NI"}).status_code == 302
    page = client.get(f"/rob/{ROB}").data.decode()
    questions = re.findall(r'<select id="[^"]+" name="(D\d\.[\d.]+)">', page)
    assert {"D1.1.1", "D4.4.2", "D5.5.3"} <= set(questions) and len(questions) > 20
    for question in questions:
        saved = {"D1.1.1": "PY", "D4.4.2": "NI"}.get(question)
        assert _select(page, question) == [("—", False)] + [(a, a == saved) for a in ANSWERS], question


def test_the_rob_form_offers_every_direction_with_the_saved_one_selected(app):
    client, csrf = signed_in(app, "alice")
    saved = {"csrf_token": csrf, "D2.direction": "towards null", "overall.direction": "unpredictable"}
    assert client.post(f"/rob/{ROB}", data=saved).status_code == 302
    page = client.get(f"/rob/{ROB}").data.decode()
    for key in ("D1", "D2", "D3", "D4", "D5", "overall"):
        chosen = saved.get(f"{key}.direction")
        assert _select(page, f"{key}.direction") == [("—", False)] + [(d, d == chosen) for d in DIRECTIONS], key


def test_a_saved_rob_form_names_its_file_and_proposes_at_its_own_address(app):
    client, csrf = signed_in(app, "alice")
    saved = client.post(f"/rob/{ROB}", data={"csrf_token": csrf, "D1.1.1": "Y"})
    page = client.get(saved.headers["Location"]).data.decode()
    assert f'<p role="status" class="ok">Saved to {ROB}.toml.</p>' in page
    (address,) = re.findall(r'<form method="post" id="rob-form" data-propose="([^"]*)">', page)
    assert address == f"/rob/{ROB}/propose"
    proposal = client.post(address, data={"csrf_token": csrf, "D2.2.1": "N", "D2.2.2": "N"})
    assert proposal.status_code == 200 and proposal.get_json()["D2"]["applies"]["2.3"] is False
    assert "Saved to" not in client.get(f"/rob/{ROB}").data.decode()  # only right after a save
