"""Two writers of the same file at once must not lose either's update (docs/reliability.md, project lock).

Each test forces the harmful interleaving — both read before either writes — with events between threads;
a wait bounded by a timeout only lets the test finish once the fix makes that interleaving impossible (the
second reader is then held at the project lock until the first has written)."""

import re
import threading

from web_project import signed_in

from sysrev.locking import project_lock
from sysrev.rob.compare import compare_paths
from sysrev.rob.form import Assessment, load_assessment, write_form
from sysrev.web import access, pages_rob
from sysrev.web.access import add_user

BOUND = 3.0  # seconds a thread waits for the other before giving up (only reached once the race is fixed)


def test_two_adduser_at_once_keep_both_accounts(project, monkeypatch):
    both_read = threading.Barrier(2, timeout=BOUND)
    real_load = access.load_users

    def read_then_wait(proj):
        users = real_load(proj)
        try:
            both_read.wait()  # unfixed: both have read the (empty) accounts file before either writes
        except threading.BrokenBarrierError:
            pass  # fixed: the other adduser waits at the lock, so this one goes on alone
        return users

    monkeypatch.setattr(access, "load_users", read_then_wait)
    errors = []

    def adduser(name):
        try:
            add_user(project, name, f"{name}'s long password", ["alice", "bob"])
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=adduser, args=(name,)) for name in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(real_load(project)) == ["alice", "bob"]


def test_rob_save_does_not_undo_a_consensus_written_meanwhile(app, project, tmp_path, monkeypatch):
    """The web save keeps the fields its page does not post (result, sources, notes …) from the file it read;
    `sysrev rob compare --out FORM --project …` (which holds the project lock) writing the consensus between
    that read and the save's write must not be undone."""
    name = "Indredavik_1991--los"
    form = project.rob_dir / f"{name}.toml"
    first, second = tmp_path / "alice.toml", tmp_path / "bob.toml"
    for path, assessor in ((first, "alice"), (second, "bob")):
        write_form(path, Assessment(study="Indredavik 1991", outcome="los", assessor=assessor,
                                    result="MD -0.3 (95% CI -0.9 to 0.3), Table 2", sources=["journal article"]))
    loaded, consensus_written = threading.Event(), threading.Event()
    real_load = pages_rob.load_assessment
    web_thread = []

    def load_then_wait(path):
        assessment = real_load(path)
        if threading.current_thread() in web_thread and not loaded.is_set():
            loaded.set()
            consensus_written.wait(BOUND)  # unfixed: the consensus lands now, between the read and the write
        return assessment

    monkeypatch.setattr(pages_rob, "load_assessment", load_then_wait)
    client, csrf = signed_in(app, "alice")
    responses = []

    def save():
        responses.append(client.post(f"/rob/{name}", data={"csrf_token": csrf, "D1.1.1": "Y"}))

    def write_consensus():
        assert loaded.wait(BOUND)
        with project_lock(project.root):  # what `sysrev rob compare … --out FORM --project ROOT` holds
            compare_paths(first, second, out=form)
        consensus_written.set()

    saver, comparer = threading.Thread(target=save), threading.Thread(target=write_consensus)
    web_thread.append(saver)
    saver.start()
    comparer.start()
    saver.join()
    comparer.join()
    assert [r.status_code for r in responses] == [302]
    final = real_load(form)
    assert final.result == "MD -0.3 (95% CI -0.9 to 0.3), Table 2"
    assert final.sources == ["journal article"]


def _opened(client, name):
    """Open the form page; the version of the file it shows (posted back on save)."""
    page = client.get(f"/rob/{name}").data.decode()
    return re.search(r'name="form_version" value="([0-9a-f]+)"', page).group(1)


def _given(assessment, domain):
    """The answers given in ``domain`` (a form file lists unanswered questions as "")."""
    return {q: a for q, a in assessment.domains[domain].answers.items() if a}


def test_a_save_from_a_page_opened_before_another_reviewers_save_is_refused(app, project):
    """Alice and Bob open the same form; Alice saves first. Bob's page still shows the old answers and
    posts all of them, so his save would replace Alice's answers unseen: it is refused, the file keeps
    Alice's, and once Bob has opened the form again his save goes through."""
    name = "Indredavik_1991--los"
    alice, alice_csrf = signed_in(app, "alice")
    bob, bob_csrf = signed_in(app, "bob")
    alice_opened, bob_opened = _opened(alice, name), _opened(bob, name)

    saved = alice.post(f"/rob/{name}", data={"csrf_token": alice_csrf, "form_version": alice_opened,
                                             "D1.1.1": "Y", "D1.1.1.support": "computer-generated list"})
    assert saved.status_code == 302
    before = (project.rob_dir / f"{name}.toml").read_bytes()
    stale = bob.post(f"/rob/{name}", data={"csrf_token": bob_csrf, "form_version": bob_opened, "D2.2.1": "N"})
    assert stale.status_code == 409
    assert "saved by someone else" in stale.data.decode() and "nothing saved" in stale.data.decode()
    assert (project.rob_dir / f"{name}.toml").read_bytes() == before
    assert _given(load_assessment(project.rob_dir / f"{name}.toml"), "D1") == {"1.1": "Y"}

    again = _opened(bob, name)
    assert bob.post(f"/rob/{name}", data={"csrf_token": bob_csrf, "form_version": again, "D1.1.1": "Y",
                                          "D1.1.1.support": "computer-generated list", "D2.2.1": "N"}
                    ).status_code == 302
    final = load_assessment(project.rob_dir / f"{name}.toml")
    assert _given(final, "D1") == {"1.1": "Y"} and _given(final, "D2") == {"2.1": "N"}
