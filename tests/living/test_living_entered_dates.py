"""The day each study entered the review (`--order-by entered`), derived from the full-text logs in dual
screening: the later of the agreeing votes, a reconciliation's day, the earliest of a study's reports; records
not (yet) included do not count, a typed date wins, and a study that cannot be placed is named."""

import pytest
from living_project import decide, make_project, record_ids, snapshot_and_dedup, write_studies

from sysrev.errors import SysrevError
from sysrev.living.studies import entered_dates
from sysrev.project import load_project
from sysrev.screening.log import Decision, append_decisions, reconciliation_path


@pytest.fixture
def dual(tmp_path):
    root = make_project(tmp_path / "review")
    toml = root / "review.toml"
    toml.write_text(toml.read_text().replace("[screening]\n", "[screening]\nreviewers_per_record = 2\n"))
    project = snapshot_and_dedup(root, [1, 2, 3, 4, 5])
    ids = record_ids(project)
    r = [ids[str(40000000 + i)] for i in range(1, 6)]
    for reviewer in ("ann", "ben"):
        decide(root, "title_abstract", reviewer, {rid: "include" for rid in r}, timestamp="2026-01-02T09:00:00Z")
    full_text = [("ann", r[0], "include", "2026-03-01"), ("ben", r[0], "include", "2026-03-05"),  # agreed later
                 ("ann", r[4], "include", "2026-02-19"), ("ben", r[4], "include", "2026-02-20"),
                 ("ann", r[1], "include", "2026-02-01"), ("ben", r[1], ("exclude", "not randomised"), "2026-02-02"),
                 ("ann", r[2], "include", "2026-01-10"),  # awaiting the second reviewer
                 ("ann", r[3], ("exclude", "wrong population"), "2026-01-11"),
                 ("ben", r[3], ("exclude", "wrong population"), "2026-01-12")]
    for reviewer, rid, decision, day in full_text:
        decide(root, "full_text", reviewer, {rid: decision}, timestamp=f"{day}T15:30:00Z")
    append_decisions(reconciliation_path(root / "screening", "full_text", "ann"),
                     [Decision(r[1], "include", "", "ann", "2026-02-10T08:00:00Z")])
    write_studies(root, [("Able 2020", "", f"{r[0]}; {r[4]}"), ("Baker 2021", "", r[1]),
                         ("Cole 2022", "", r[2]), ("Dunn 2023", "", r[3])])
    return root


def test_the_day_a_study_entered_from_dual_full_text_screening(dual):
    project = load_project(dual)
    # Able: its reports were agreed on 5 March and 20 February (the later vote each time): the earlier counts.
    # Baker: the reviewers disagreed; the reconciliation of 10 February included it.
    assert entered_dates(project, ["Able 2020", "Baker 2021"]) == ["2026-02-20", "2026-02-10"]


@pytest.mark.parametrize("study", ["Cole 2022", "Dunn 2023"])  # awaiting a second vote; excluded
def test_a_study_none_of_whose_reports_is_included_yet_is_named(dual, study):
    project = load_project(dual)
    with pytest.raises(SysrevError) as refused:
        entered_dates(project, ["Able 2020", study])
    path = dual / "analysis" / "extraction" / "studies.csv"
    assert str(refused.value) == (f"study '{study}' has no 'entered' date in {path} and none of its reports (column "
                                  "'records') is included at full text in the screening logs: link its reports, "
                                  "or type the date in an 'entered' column")


def test_a_typed_date_wins_and_then_the_logs_are_not_needed(dual):
    path = dual / "analysis" / "extraction" / "studies.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    rows = [row + (",2025-12-24" if row.startswith("Cole 2022,") else ",") for row in rows]
    path.write_text("\n".join([header + ",entered", *rows]) + "\n", encoding="utf-8")
    project = load_project(dual)
    assert entered_dates(project, ["Cole 2022", "Baker 2021"]) == ["2025-12-24", "2026-02-10"]
    (dual / "screening" / "full_text" / "ann.csv").unlink()  # only typed dates asked for: no log is read
    assert entered_dates(load_project(dual), ["Cole 2022"]) == ["2025-12-24"]
