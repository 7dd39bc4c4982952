"""The RoB 2 pages in detail: the list of forms (a broken one named, the others still listed) and its plots, the
proposal as answers and overrides change (which questions apply, the overall judgement), and every field a save
writes or refuses (overrides, justifications, directions, the assessor's confirmation, a stale page)."""

import pytest
from web_project import signed_in

from sysrev.rob.form import Assessment, form_path, load_assessment, write_form

NAME = "Indredavik_1991--los"
DOMAINS = ("D1", "D2", "D3", "D4", "D5")


@pytest.fixture
def alice(app):
    return signed_in(app, "alice")


def _overrides(judgements, **extra):
    """Form fields overriding each domain with a justification (the page's override selects)."""
    data = {}
    for domain, judgement in zip(DOMAINS, judgements, strict=True):
        data |= {f"{domain}.override": judgement, f"{domain}.justification": f"{domain} reasons"}
    return data | extra


def _given(fields):
    """The answers (or support texts) given: the form file lists every question, unanswered ones empty."""
    return {key: value for key, value in fields.items() if value}


def test_the_list_shows_every_forms_judgements_and_names_a_broken_one(alice, project):
    client, csrf = alice
    done = Assessment(study="Garraway 1980", outcome="mortality", assessor="bob")
    for domain in done.domains.values():
        domain.override, domain.justification = "low", "checked"
    write_form(form_path(project.rob_dir, "Garraway 1980", "mortality"), done)
    broken = project.rob_dir / "Broken--los.toml"
    broken.write_text("study = [\n", encoding="utf-8")
    page = client.get("/rob").data.decode()
    assert "Broken--los.toml" in page and 'role="alert"' in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
    garraway = next(r for r in rows if "Garraway 1980" in r)
    assert '<td>mortality</td><td>bob</td>' in garraway and garraway.count(">low</span>") == 6  # five + overall
    indredavik = next(r for r in rows if "Indredavik 1991" in r)
    assert f'href="/rob/{NAME}"' in indredavik and indredavik.count(">pending</span>") == 6
    broken.unlink()
    for kind in ("traffic", "summary"):
        plot = client.get(f"/rob/plot/{kind}.svg")
        assert plot.status_code == 200 and plot.mimetype == "image/svg+xml" and b"<svg" in plot.data
    assert client.get("/rob/plot/pie.svg").status_code == 404
    for path in project.rob_dir.glob("*.toml"):
        path.unlink()
    assert client.get("/rob/plot/traffic.svg").status_code == 404  # nothing to plot
    assert "No RoB 2 forms yet" in client.get("/rob").data.decode()
    assert client.get(f"/rob/{NAME}").status_code == 404


@pytest.mark.parametrize("answers, applies", [
    ({}, True),  # 2.3 depends on 2.1 and 2.2, still unanswered: shown
    ({"D2.2.1": "N"}, True),  # 2.2 still unanswered: shown
    ({"D2.2.1": "N", "D2.2.2": "N"}, False),  # neither participants nor carers aware: 2.3 does not apply
    ({"D2.2.1": "N", "D2.2.2": "PY"}, True),
])
def test_the_proposal_says_which_questions_apply(alice, answers, applies):
    client, csrf = alice
    proposal = client.post(f"/rob/{NAME}/propose", data={"csrf_token": csrf, **answers}).get_json()
    assert proposal["D2"]["applies"]["2.3"] is applies
    assert proposal["D2"]["applies"]["2.1"] is True and proposal["D2"]["algorithm"] is None


@pytest.mark.parametrize("judgements, several, overall", [
    (["low"] * 5, "", "low"),  # low only if every domain is low (RoB 2 guidance)
    (["low", "low", "high", "low", "low"], "", "high"),  # high if any domain is high
    (["some concerns", "low", "low", "low", "low"], "true", "some concerns"),  # one domain: not "several"
    (["some concerns", "some concerns", "low", "low", "low"], "true", "high"),  # confirmed by the assessor
    (["some concerns", "some concerns", "low", "low", "low"], "false", "some concerns"),
    (["some concerns", "some concerns", "low", "low", "low"], "", "some concerns"),
])
def test_the_overall_proposal_follows_the_final_domain_judgements(alice, judgements, several, overall):
    client, csrf = alice
    data = _overrides(judgements, csrf_token=csrf, **{"overall.several_concerns_high": several})
    proposal = client.post(f"/rob/{NAME}/propose", data=data).get_json()
    assert [proposal[d]["final"] for d in DOMAINS] == judgements and proposal["D1"]["algorithm"] is None
    assert proposal["overall"] == {"algorithm": overall, "final": overall}
    overridden = client.post(f"/rob/{NAME}/propose", data=data | {"overall.override": "high",
                                                                   "overall.justification": "the team's view"})
    assert overridden.get_json()["overall"] == {"algorithm": overall, "final": "high"}


def test_a_save_writes_overrides_directions_and_the_confirmation_and_clears_what_was_emptied(alice, project):
    client, csrf = alice
    path = project.rob_dir / f"{NAME}.toml"
    first = _overrides(["some concerns"] * 5, csrf_token=csrf, **{
        "D1.1.1": "Y", "D1.1.1.support": "  sealed   envelopes \n (Methods) ", "D2.direction": "towards null",
        "D1.justification": "  allocation\n partly  concealed ", "overall.several_concerns_high": "true",
        "overall.override": "high", "overall.justification": "several domains"})
    assert client.post(f"/rob/{NAME}", data=first).status_code == 302
    saved = load_assessment(path)
    assert _given(saved.domains["D1"].answers) == {"1.1": "Y"}
    assert _given(saved.domains["D1"].support) == {"1.1": "sealed envelopes (Methods)"}
    assert (saved.domains["D1"].override, saved.domains["D1"].justification) == ("some concerns",
                                                                                 "allocation partly concealed")
    assert saved.domains["D2"].direction == "towards null" and saved.domains["D3"].direction == ""
    assert saved.overall.several_concerns_high is True
    assert (saved.overall.override, saved.overall.justification) == ("high", "several domains")
    # The page posts every field: what it posts empty is cleared in the file.
    second = {"csrf_token": csrf, "overall.several_concerns_high": "false"}
    assert client.post(f"/rob/{NAME}", data=second).status_code == 302
    saved = load_assessment(path)
    assert _given(saved.domains["D1"].answers) == {} and _given(saved.domains["D1"].support) == {}
    assert (saved.domains["D1"].override, saved.domains["D1"].justification) == (None, "")
    assert saved.domains["D2"].direction == "" and saved.overall.override is None
    assert saved.overall.several_concerns_high is False
    assert client.post(f"/rob/{NAME}", data={"csrf_token": csrf}).status_code == 302
    assert load_assessment(path).overall.several_concerns_high is None  # not said either way


@pytest.mark.parametrize("field, value, message", [
    ("D1.1.2", "Yes", "D1 1.2: 'Yes' is not one of Y, PY, PN, N, NI, NA; nothing saved"),
    ("D3.override", "severe", "D3: override 'severe' is not one of low, some concerns, high; nothing saved"),
    ("overall.override", "low", "overall: an override needs a written justification; nothing saved"),
    ("D4.direction", "sideways", "D4: direction 'sideways' is not one of NA, favours experimental, favours "
                                 "comparator, towards null, away from null, unpredictable; nothing saved"),
])
def test_a_save_refuses_what_the_form_file_could_not_hold(alice, project, field, value, message):
    client, csrf = alice
    path = project.rob_dir / f"{NAME}.toml"
    before = path.read_text(encoding="utf-8")
    refused = client.post(f"/rob/{NAME}", data={"csrf_token": csrf, "D1.1.1": "Y", field: value})
    assert refused.status_code == 400 and message in refused.data.decode().replace("&#39;", "'")
    assert path.read_text(encoding="utf-8") == before


def test_a_save_from_a_page_opened_before_the_file_changed_is_refused(alice, project):
    client, csrf = alice
    path = project.rob_dir / f"{NAME}.toml"
    opened = client.get(f"/rob/{NAME}").data.decode().split('name="form_version" value="')[1].split('"')[0]
    assert client.post(f"/rob/{NAME}", data={"csrf_token": csrf, "form_version": opened, "D1.1.1": "Y"}
                       ).headers["Location"] == f"/rob/{NAME}?saved=1"
    changed = path.read_text(encoding="utf-8")
    stale = client.post(f"/rob/{NAME}", data={"csrf_token": csrf, "form_version": opened, "D1.1.1": "N"})
    assert stale.status_code == 409 and f"{NAME}.toml was saved by someone else" in stale.data.decode()
    assert path.read_text(encoding="utf-8") == changed


def test_a_minimal_hand_written_form_is_saved(alice, project):
    """A form file with only the study and the outcome (no question listed) takes the answers posted."""
    client, csrf = alice
    path = project.rob_dir / "Hand--los.toml"
    path.write_text('study = "Hand 2001"\noutcome = "los"\n', encoding="utf-8")
    assert client.post("/rob/Hand--los", data={"csrf_token": csrf, "D1.1.1": "Y"}).status_code == 302
    saved = load_assessment(path)
    assert (saved.study, _given(saved.domains["D1"].answers), _given(saved.domains["D1"].support)) == (
        "Hand 2001", {"1.1": "Y"}, {})
