"""The route bodies in detail, each test closing a gap that benchmarks/decorated_mutation.py found (a mutant of
a route's body that every other web test let pass): what the page shows, its status, what gets written, and
the message a refusal gives."""

import json
import re
import time

import pytest
from web_project import drop_study, signed_in

from sysrev.web.access import add_user
from sysrev.web.app import create_app

PASSWORD = "alice's password"


@pytest.fixture
def clock(monkeypatch):
    """The wall clock, moved by hand (the signed session cookie's time stamp follows it)."""
    now = [float(int(time.time()))]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def _network(project):
    """The app on the network, with an account for alice."""
    add_user(project, "alice", PASSWORD, ["alice", "bob"])
    return create_app(project, host="0.0.0.0", token="TESTTOKEN", secret_key="k")


def _authorised(app):
    """A client past the token link, no reviewer chosen yet; the session's CSRF token."""
    client = app.test_client()
    client.get("/?token=TESTTOKEN")
    with client.session_transaction() as session:
        return client, session["csrf"]


def _edit_reviewers(project, reviewers):
    config = project.config_path.read_text(encoding="utf-8")
    listed = re.search(r"^reviewers = \[.*\]$", config, flags=re.M).group(0)
    project.config_path.write_text(config.replace(listed, f"reviewers = {json.dumps(reviewers)}"), encoding="utf-8")


# ------------------------------------------------------------------------------------------------ app.py

def test_the_forms_of_a_page_carry_the_sessions_csrf_token_and_a_post_with_it_is_saved(app, project):
    client, csrf = signed_in(app, "alice")
    page = client.get("/screen/title_abstract").data.decode()
    assert f'<meta name="csrf-token" content="{csrf}">' in page
    carried = set(re.findall(r'name="csrf_token" value="([^"]*)"', page))
    assert carried == {csrf}
    answer = client.post("/screen/title_abstract/decide",
                         data={"csrf_token": carried.pop(), "record_id": "R000001", "decision": "include"})
    assert answer.status_code == 302
    assert "R000001,include" in (project.screening_dir / "title_abstract" / "alice.csv").read_text(encoding="utf-8")


def test_a_page_before_sign_in_carries_an_empty_csrf_token(app):
    page = app.test_client().get("/").data.decode()
    assert '<meta name="csrf-token" content="">' in page


def test_every_page_names_sysrevs_version_in_its_footer(app):
    from sysrev import __version__

    client, _ = signed_in(app, "alice")
    for url in ("/", "/pick", "/rob"):
        assert f"<footer>sysrev {__version__} · every page writes" in client.get(url).data.decode()


def test_a_pick_without_a_name_is_refused_naming_the_empty_name(app):
    client, csrf = _authorised(app)
    refused = client.post("/pick", data={"csrf_token": csrf})
    assert refused.status_code == 400 and "Unknown reviewer &#39;&#39;." in refused.data.decode()


def test_the_pick_page_lists_the_reviewers_without_a_message_and_again_after_a_refusal(app):
    client, csrf = _authorised(app)
    page = client.get("/pick").data.decode()
    assert re.findall(r'name="reviewer" value="(\w+)"', page) == ["alice", "bob"] and 'role="alert"' not in page
    refused = client.post("/pick", data={"csrf_token": csrf, "reviewer": "mallory"}).data.decode()
    assert '<p role="alert" class="error">Unknown reviewer &#39;mallory&#39;.</p>' in refused
    assert re.findall(r'name="reviewer" value="(\w+)"', refused) == ["alice", "bob"]  # choose again


def test_a_sign_in_without_a_password_is_refused_not_a_server_error(project):
    client = _network(project).test_client()
    client.get("/login")
    with client.session_transaction() as session:
        csrf = session["csrf"]
    refused = client.post("/login", data={"csrf_token": csrf, "reviewer": "alice"})
    assert refused.status_code == 401 and "Wrong name or password." in refused.data.decode()


def test_a_token_session_without_a_reviewer_also_ends_after_twelve_hours(app, clock):
    client, _ = _authorised(app)
    clock[0] += 12 * 3600 - 1
    assert client.get("/pick").status_code == 200
    clock[0] += 1
    ended = client.get("/pick")
    assert ended.status_code == 403 and "Access token needed" in ended.data.decode()


def test_the_csrf_refusal_says_what_happened_and_what_to_do(app):
    client, _ = signed_in(app, "alice")
    refused = client.post("/screen/title_abstract/decide", data={"record_id": "R000001", "decision": "include"})
    assert refused.status_code == 400
    assert ("This form has expired or did not come from this app (CSRF check). Reload the page and try again; "
            "nothing was saved.") in refused.data.decode()
    assert "<h1>Not saved</h1>" in refused.data.decode()


@pytest.mark.parametrize("token", ["a token of the old server", "XXXX", "None"])
def test_a_sign_in_form_from_before_a_restart_is_refused_as_expired(project, token):
    """The server restarted (a new session key) between opening the sign-in page and sending it: the form's token
    matches no session (no token at all, however guessable, passes then), and the answer says so, not a 500."""
    client = _network(project).test_client()
    refused = client.post("/login", data={"csrf_token": token, "reviewer": "alice", "password": PASSWORD})
    assert refused.status_code == 400 and "This form has expired" in refused.data.decode()
    with client.session_transaction() as session:
        assert "user" not in session


def test_a_reviewer_removed_from_review_toml_is_signed_out_and_stays_out_when_put_back(app, project):
    bob, _ = signed_in(app, "bob")
    _edit_reviewers(project, ["alice", "carol"])
    assert bob.get("/").headers["Location"] == "/pick?next=/"
    with bob.session_transaction() as session:
        assert "user" not in session
    _edit_reviewers(project, ["alice", "bob"])
    assert bob.get("/").headers["Location"] == "/pick?next=/"  # bob must choose his name again


def test_the_sign_in_pages_cookie_lasts_twelve_hours_and_is_not_sent_again(project, clock):
    client = _network(project).test_client()
    first = client.get("/login")
    assert first.status_code == 200 and "Set-Cookie" in first.headers
    cookie = client.get_cookie("session")
    assert cookie.expires is not None and abs(cookie.expires.timestamp() - clock[0] - 12 * 3600) < 60
    assert "Set-Cookie" not in client.get("/login").headers


def test_the_token_link_to_an_unknown_page_signs_in_and_leads_to_the_dashboard(app):
    client = app.test_client()
    answer = client.get("/no/such/page?token=TESTTOKEN&x=1")
    assert answer.status_code == 302 and answer.headers["Location"] == "/?x=1"
    assert client.get("/").headers["Location"] == "/pick?next=/"  # signed in: now choose a reviewer


def test_the_sign_in_page_gives_a_192_bit_csrf_token_and_keeps_it_until_sign_in(project):
    client = _network(project).test_client()
    page = client.get("/login").data.decode()
    (token,) = re.findall(r'name="csrf_token" value="([^"]*)"', page)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    assert re.findall(r'name="csrf_token" value="([^"]*)"', client.get("/login").data.decode()) == [token]


# ------------------------------------------------------------------------------------------ pages_dedup.py

PAIR = {"record_a": "pubmed:40000002", "record_b": "pubmed:40000003"}


def test_the_pairs_table_is_headed_by_both_records(app):
    client, _ = signed_in(app, "alice")
    page = client.get("/duplicates").data.decode()
    assert ('<th scope="col">Field</th><th scope="col">pubmed:40000002</th><th scope="col">pubmed:40000003</th>'
            in page)


@pytest.mark.parametrize("fields, message", [
    ({"record_b": "pubmed:40000003"}, '<p role="alert" class="error"> / pubmed:40000003 is not an undecided pair'),
    ({"record_a": "pubmed:40000002"}, "pubmed:40000002 /  is not an undecided pair in records/dedup_queue.csv; "
                                      "nothing saved"),
    (PAIR, "decision must be one of same, different, related, not &#39;&#39;"),
])
def test_a_pair_decision_missing_a_field_is_refused_naming_what_was_sent(app, project, fields, message):
    client, csrf = signed_in(app, "alice")
    refused = client.post("/duplicates/decide", data={"csrf_token": csrf, **fields})
    assert refused.status_code == 400 and message in refused.data.decode()
    assert not (project.records_dir / "dedup_decisions.csv").exists()


def test_a_pair_decided_leads_back_to_the_duplicates_page(app):
    client, csrf = signed_in(app, "alice")
    decided = client.post("/duplicates/decide", data={"csrf_token": csrf, **PAIR, "decision": "same"})
    assert decided.status_code == 302 and decided.headers["Location"] == "/duplicates"


# --------------------------------------------------------------------------------------- pages_evidence.py

DL_TITLE = "Length of stay, random effects DerSimonian-Laird (MD with pooled SD, Normand 1999)"


def test_each_analysis_is_headed_by_its_title_with_its_forest_and_funnel_plots(app):
    client, _ = signed_in(app, "alice")
    page = client.get("/evidence").data.decode()
    assert f'<h2 id="h-los_dl">{DL_TITLE} <span class="status reproduced">reproduced</span></h2>' in page
    assert f'<img src="/evidence/los_dl/forest.svg" alt="Forest plot of {DL_TITLE}">' in page
    assert f'<img src="/evidence/los_dl/funnel.svg" alt="Funnel plot of {DL_TITLE}">' in page


def test_the_funnel_plot_is_an_svg_drawing(app):
    client, _ = signed_in(app, "alice")
    funnel = client.get("/evidence/los_dl/funnel.svg")
    assert funnel.status_code == 200 and funnel.headers["Content-Type"].startswith("image/svg+xml")
    assert funnel.data.startswith(b"<?xml") and b"<svg" in funnel.data


@pytest.mark.parametrize("kept, funnel", [(2, False), (3, True)])
def test_a_funnel_plot_needs_three_studies(app, project, kept, funnel):
    for study in ("Montreal-Home", "Montreal-Transfer", "Newcastle", "Orpington-Mild", "Orpington-Moderate",
                  "Orpington-Severe", "Umea")[:9 - kept]:
        drop_study(project, study)
    client, _ = signed_in(app, "alice")
    page = client.get("/evidence").data.decode()
    assert '<img src="/evidence/los_dl/forest.svg"' in page  # pooled, with its forest plot
    assert ('<img src="/evidence/los_dl/funnel.svg"' in page) is funnel


def test_a_forest_plot_is_shown_once_meta_run_has_drawn_it(app, project):
    (project.results_dir / "los_dl.svg").unlink()
    client, csrf = signed_in(app, "alice")
    page = client.get("/evidence").data.decode()
    assert "/evidence/los_dl/forest.svg" not in page and '<img src="/evidence/los_dl/funnel.svg"' in page
    assert client.get("/evidence/los_dl/forest.svg").status_code == 404
    assert client.post("/evidence/run", data={"csrf_token": csrf}).status_code == 302  # the page's button
    assert '<img src="/evidence/los_dl/forest.svg"' in client.get("/evidence").data.decode()


def test_the_funnel_plot_keeps_its_legend_beyond_the_figures_page(app, project):
    from sysrev.analyses.run import run_project
    from sysrev.meta.plots.funnel import funnel_figure

    client, _ = signed_in(app, "alice")
    svg = client.get("/evidence/los_dl/funnel.svg").data.decode()
    width = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', svg).group(1))
    (outcome,) = [o for o in run_project(project, write=False) if o.spec.name == "los_dl"]
    page_width = funnel_figure(outcome.result, title=outcome.spec.title).get_size_inches()[0] * 72
    assert width > page_width + 10  # the legend, right of the axes, is drawn, not cut off at the page's edge


def test_an_analysis_of_an_outcome_nobody_extracted_says_so(app, project):
    with project.analyses_path.open("a", encoding="utf-8") as fh:
        fh.write('\n[analyses.pain]\ntitle = "Pain"\noutcome = "pain"\nmeasure = "MD"\nmethod = "IV"\n'
                 'model = "fixed"\n')
    client, _ = signed_in(app, "alice")
    page = client.get("/evidence").data.decode()
    section = page[page.index('<section id="pain"'):]
    assert '<pre class="result">' not in section[:section.index("</section>")]  # nothing pooled
    assert ("<p class=\"note\">no extraction row has outcome &#39;pain&#39; (outcomes in the extraction files: los); "
            "check `outcome` in ") in section[:section.index("</section>")]


def test_an_analysis_without_a_published_target_shows_none(app, project):
    with project.analyses_path.open("a", encoding="utf-8") as fh:
        fh.write('\n[analyses.los_plain]\ntitle = "Length of stay, no target"\noutcome = "los"\nmeasure = "MD"\n'
                 'method = "IV"\nmodel = "fixed"\npooled_sd = true\n')
    client, _ = signed_in(app, "alice")
    page = client.get("/evidence").data.decode()
    section = page[page.index('<section id="los_plain"'):]
    section = section[:section.index("</section>")]
    assert "Published target" not in section and '<pre class="result">' in section
    assert "Published target: -14.10 [-24.45, -3.75]" in page  # los_dl's


# -------------------------------------------------------------------------------------------- pages_rob.py

ROB = "Indredavik_1991--los"


def test_a_stale_rob_save_is_headed_not_saved_and_says_how_to_go_on(app, project):
    client, csrf = signed_in(app, "alice")
    opened = re.search(r'name="form_version" value="([0-9a-f]+)"', client.get(f"/rob/{ROB}").data.decode()).group(1)
    path = project.rob_dir / f"{ROB}.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # edited meanwhile
    stale = client.post(f"/rob/{ROB}", data={"csrf_token": csrf, "form_version": opened, "D1.1.1": "Y"})
    page = stale.data.decode()
    assert stale.status_code == 409 and "<h1>Not saved</h1>" in page
    assert (f"{ROB}.toml was saved by someone else (or edited) after you opened it; nothing saved. Open the form "
            "again to see the saved answers, then redo your changes.") in page


def test_the_rob_form_offers_each_judgement_as_an_override(app):
    client, _ = signed_in(app, "alice")
    page = client.get(f"/rob/{ROB}").data.decode()
    for key in ("D1", "D2", "D3", "D4", "D5", "overall"):
        select = page[page.index(f'name="{key}.override"'):]
        select = select[:select.index("</select>")]
        assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["— none —", "low", "some concerns", "high"]


@pytest.mark.parametrize("kind, draw", [("traffic", "traffic_light"), ("summary", "summary_bars")])
def test_the_rob_plots_are_cropped_to_the_drawing_as_the_terminals_files_are(app, project, tmp_path, kind, draw):
    from sysrev.rob import plots
    from sysrev.rob.form import list_forms, load_assessment

    client, _ = signed_in(app, "alice")
    web = client.get(f"/rob/plot/{kind}.svg")
    assert web.status_code == 200 and web.headers["Content-Type"].startswith("image/svg+xml")
    rows = [(f"{a.study} ({a.outcome})", a.judgements()) for a in map(load_assessment, list_forms(project.rob_dir))]
    (written,) = plots.save_figure(getattr(plots, draw)(rows), tmp_path / "plot.svg")  # as `sysrev rob plot`

    def size(svg):
        return re.search(r'<svg [^>]*width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()

    assert size(web.data.decode()) == size(written.read_text(encoding="utf-8"))


# -------------------------------------------------------------------------------------- pages_screening.py

@pytest.mark.parametrize("stage, label", [("title_abstract", "Title/abstract"), ("full_text", "Full text")])
def test_the_conflicts_page_names_its_stage(app, stage, label):
    client, _ = signed_in(app, "alice")
    page = client.get(f"/conflicts/{stage}").data.decode()
    assert f"<title>Conflicts · {label} ·" in page and f"<h1>Conflicts at {label.lower()}</h1>" in page


JSON = {"Accept": "application/json"}


def test_the_record_ahead_asked_for_without_the_record_on_screen_is_refused_naming_it(app):
    client, _ = signed_in(app, "alice")
    refused = client.get("/screen/full_text/next", headers=JSON)
    assert refused.status_code == 400
    assert refused.get_json() == {"error": "record '' is not in your full text queue"}


def test_a_stage_with_nothing_left_says_so_under_its_name(app):
    client, _ = signed_in(app, "alice")
    page = client.get("/screen/full_text").data.decode()  # nothing has reached full text
    assert "<title>Full text screening ·" in page and "<h1>Full text: nothing left for you</h1>" in page


def _conflict(project, record_id="R000003"):
    from sysrev.screening.log import Decision, append_decisions, log_path

    for reviewer, decision in (("alice", "include"), ("bob", "exclude")):
        append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                         [Decision(record_id, decision, "", reviewer, "2026-12-03T10:00:00Z", f"{reviewer}'s note")])


def test_a_conflict_shows_each_reviewers_decision_and_a_form_that_settles_it_at_its_stage(app, project):
    _conflict(project)
    client, csrf = signed_in(app, "alice")
    page = client.get("/conflicts/title_abstract").data.decode()
    votes = re.findall(r'<tr><th scope="row">(\w+)</th><td>(\w+)</td><td>[^<]*</td><td>([^<]*)</td>', page)
    assert votes == [("alice", "include", "alice&#39;s note"), ("bob", "exclude", "bob&#39;s note")]
    (action,) = re.findall(r'<form method="post" action="(/conflicts/[^"]+)"', page)
    assert action == "/conflicts/title_abstract/resolve"
    settled = client.post(action, data={"csrf_token": csrf, "record_id": "R000003", "decision": "include"})
    assert settled.status_code == 302
    assert (project.screening_dir / "title_abstract" / "reconciliation" / "alice.csv").is_file()


def test_settling_without_a_record_is_refused_naming_the_empty_record(app, project):
    _conflict(project)
    client, csrf = signed_in(app, "alice")
    refused = client.post("/conflicts/title_abstract/resolve", data={"csrf_token": csrf, "decision": "include"})
    assert refused.status_code == 400
    assert ('<p role="alert" class="error">record &#39;&#39; is not a conflict you can settle; nothing saved</p>'
            in refused.data.decode())
    assert not (project.screening_dir / "title_abstract" / "reconciliation").exists()


@pytest.mark.parametrize("suffix, kind", [("pdf", "application/pdf"), ("xml", "application/xml")])
def test_a_stored_paper_is_served_as_its_format(app, project, monkeypatch, suffix, kind):
    """As the manifest's format says, whatever the machine's MIME table would guess from the name (Python's own
    table says text/xml for .xml; here it guesses neither)."""
    import mimetypes

    from sysrev.fulltext.manifest import Entry, sha256, write_manifest

    mimetypes.guess_type("paper.pdf")  # the table read, before it is changed for this test
    for name in (".pdf", ".xml"):
        monkeypatch.setitem(mimetypes.types_map, name, "application/octet-stream")
    from sysrev.screening.log import Decision, append_decisions, log_path

    for reviewer in ("alice", "bob"):
        append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                         [Decision("R000001", "include", "", reviewer, "2026-12-03T10:00:00Z")])
    data = b"%PDF-1.4 a stored paper" if suffix == "pdf" else b"<article>a stored paper</article>"
    stored = project.root / "fulltext" / "files" / f"R000001.{suffix}"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(data)
    write_manifest(project, {"R000001": Entry("R000001", "retrieved", source="pmc", format=suffix,
                                              file=f"files/R000001.{suffix}", sha256=sha256(data))})
    client, _ = signed_in(app, "alice")
    paper = client.get("/paper/R000001")
    assert paper.status_code == 200 and paper.data == data
    assert paper.headers["Content-Type"].split(";")[0] == kind


def test_a_decision_without_a_record_is_refused_naming_the_empty_record(app, project):
    client, csrf = signed_in(app, "alice")
    refused = client.post("/screen/title_abstract/decide", headers=JSON, data={"csrf_token": csrf,
                                                                               "decision": "include"})
    assert refused.status_code == 400
    assert refused.get_json() == {"error": "record '' is not in your title/abstract queue; nothing saved"}
    assert not (project.screening_dir / "title_abstract" / "alice.csv").exists()
