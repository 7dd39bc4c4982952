"""An issue field that holds a record counter (e.g. EndNote's record number) is ignored, not used as a veto.

With the counter read as issues every duplicate pair of such an export differs in its issue, and the issue
veto would keep them all apart; a real issue field, whose numbers repeat, keeps its veto.
"""

import csv
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sysrev.dedup import load_records
from sysrev.dedup.engine import deduplicate
from sysrev.dedup.keys import record_keys
from sysrev.dedup.record_counters import MIN_RECORDS, ignore_counter_issues
from sysrev.records import Record

TOPICS = ["tuberculous pleurisy", "hepatectomy nutrition", "pleural thickening", "oesophagectomy leakage",
          "malignant effusion", "asthma inhaler adherence", "sepsis fluid resuscitation", "lung cancer screening",
          "sleep apnoea pressure", "ventilator pneumonia", "pulmonary embolism dosing", "cystic fibrosis airway",
          "smoking cessation counselling", "influenza vaccination elderly", "bronchiolitis infants saline",
          "pneumothorax aspiration", "sarcoidosis steroids", "silicosis miners", "altitude oedema prevention",
          "chronic cough gabapentin", "lung transplant rejection", "mesothelioma pleurodesis",
          "thoracoscopy sedation", "empyema fibrinolysis", "bronchiectasis macrolides", "croup dexamethasone",
          "pertussis booster", "emphysema valves", "tracheostomy timing", "spirometry coaching"]
SURNAMES = ["Zhou", "Ziegler", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Haddad", "Kowalski", "Silva",
            "Nguyen", "Rossi", "Berg", "Kaur", "Mensah", "Duarte", "Ivanova", "Park", "Ahmed", "Schmidt", "Lopez",
            "Dubois", "Costa", "Jensen", "Murphy", "Sato", "Weber", "Ortiz", "Popescu", "Yilmaz"]


def _records(issues, duplicate_of=None):
    """One record per topic, then a copy of each record listed in ``duplicate_of``; ``issues`` are the issue
    fields in the final order."""
    base = [dict(title=f"A randomised trial of {topic} in adults", authors=[f"{SURNAMES[i]}, A."], year=2000 + i % 20,
                 journal="Respiratory Medicine", volume=str(10 + i), pages=f"{100 + 10 * i}-{105 + 10 * i}")
            for i, topic in enumerate(TOPICS)]
    rows = base + [dict(base[i]) for i in (duplicate_of or [])]
    return [Record(source_id=str(n), issue=str(issue), **row) for n, (row, issue) in enumerate(zip(rows, issues))]


def _merged(records, **kw):
    return sorted(sorted(c) for c in deduplicate(records, progress=False, **kw).clusters if len(c) > 1)


def test_a_counter_in_the_issue_field_does_not_keep_duplicates_apart():
    copies = [0, 5, 9]
    counter = list(range(1, len(TOPICS) + len(copies) + 1))
    random.Random(1).shuffle(counter)
    records = _records(counter, copies)
    result = deduplicate(records, progress=False)
    assert sorted(sorted(c) for c in result.clusters if len(c) > 1) == [[0, 30], [5, 31], [9, 32]]
    (message,) = [msg for _, msg in result.problems if "record counter" in msg]
    assert f"gives {len(records)} records {len(records)} different numbers running from 1 to {len(records)}" in message


def test_a_real_issue_field_keeps_its_veto():
    issues = [1 + n % 6 for n in range(len(TOPICS))] + [2, 1, 5]  # the copies in other issues than 1, 6, 4
    assert _merged(_records(issues, [0, 5, 9])) == []


def test_a_counter_is_recognised_per_origin():
    copies = [0, 5, 9]
    n = len(TOPICS) + len(copies)
    counted = _records(range(1, n + 1), copies)
    # another export of other items (pages 1000 further on) with real issues; its copies are in other issues
    real = _records([1 + i % 6 for i in range(len(TOPICS))] + [2, 1, 5], copies)
    for r in real:
        r.source_id += "b"
        first, last = r.pages.split("-")
        r.pages = f"{int(first) + 1000}-{int(last) + 1000}"
    origins = ["endnote.csv"] * n + ["pubmed.nbib"] * n
    result = deduplicate(counted + real, origins=origins, progress=False)
    assert sorted(sorted(c) for c in result.clusters if len(c) > 1) == [[0, 30], [5, 31], [9, 32]]
    assert [msg.split(" gives")[0] for _, msg in result.problems if "record counter" in msg] == [
        "the issue field of endnote.csv"]


def _counter_ignored(values) -> bool:
    records = [Record(source_id=str(i), title=f"t{i}", issue=v) for i, v in enumerate(values)]
    keys = [record_keys(r) for r in records]
    return bool(ignore_counter_issues(records, keys, ["f"] * len(records)))


def test_too_few_records_gaps_and_non_numbers_are_no_counter():
    assert _counter_ignored([str(i) for i in range(1, MIN_RECORDS + 1)])
    assert not _counter_ignored([str(i) for i in range(1, MIN_RECORDS)])
    assert not _counter_ignored([str(2 * i) for i in range(1, 41)])  # 40 values spread over 79 numbers
    assert not _counter_ignored([str(i) for i in range(1, 40)] + ["3-4"])
    assert _counter_ignored([str(i) for i in range(1, 41) if i % 5])  # every fifth deleted: still a counter
    # a superscript or non-Latin digit is no plain number (str.isdigit says it is; int() refuses '²')
    assert not _counter_ignored([str(i) for i in range(1, 40)] + ["²"])
    assert not _counter_ignored([str(i) for i in range(1, 40)] + ["٣"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 24), min_size=MIN_RECORDS + 5, max_size=200), st.randoms(use_true_random=False))
def test_monthly_or_fortnightly_issue_numbers_are_never_taken_for_a_counter(issues, rnd):
    """At least 25 records whose issues lie in 1..24 repeat some number, so the field is always kept."""
    rnd.shuffle(issues)
    assert not _counter_ignored([str(i) for i in issues])


@settings(max_examples=100, deadline=None)
@given(st.integers(MIN_RECORDS, 400), st.integers(1, 5000), st.randoms(use_true_random=False))
def test_any_running_count_in_any_order_is_recognised(count, start, rnd):
    values = [str(v) for v in range(start, start + count)]
    rnd.shuffle(values)
    assert _counter_ignored(values)


def test_dedup_files_reports_the_counter_and_merges_the_copies(tmp_path):
    """FILE mode: the origin is the file; the warning names it, and the copies end in one cluster each."""
    from click.testing import CliRunner

    from sysrev.cli.main import cli

    records = _records(range(1, len(TOPICS) + 3), [3, 7])
    export = tmp_path / "endnote_export.csv"
    with open(export, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "title", "authors", "year", "journal", "volume", "number", "pages"])
        for r in records:
            writer.writerow([f"r{r.source_id}", r.title, "; ".join(r.authors), r.year, r.journal, r.volume, r.issue,
                             r.pages])
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(cli, ["dedup", str(export), "--clusters", str(out)])
    assert result.exit_code == 0, result.output
    assert f"the issue field of {export} gives 32 records 32 different numbers running from 1 to 32" in result.output
    with open(out, encoding="utf-8", newline="") as fh:
        cluster = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(fh)}
    assert cluster["r3"] == cluster["r30"] and cluster["r7"] == cluster["r31"]
    assert len(set(cluster.values())) == len(TOPICS)


def test_project_dedup_judges_each_search_run_on_its_own(project):
    """Project mode: the origin is the search run; a counter in one imported export leaves the other runs'
    issues in force."""
    from click.testing import CliRunner
    from project_snapshots import snapshot

    from sysrev.cli.main import cli

    fields = ("title", "authors", "year", "journal", "volume", "issue", "pages")
    counted = [{f: getattr(r, f) for f in fields} | {"source_id": r.source_id}
               for r in _records(range(1, len(TOPICS) + 3), [3, 7])]
    snapshot(project, "endnote-library", "file", counted)
    # PubMed's copy of record 0 in another issue: two items of one volume, as the issue veto says
    snapshot(project, "pubmed-main", "pubmed", [counted[0] | {"source_id": "9001", "issue": "7"},
                                                counted[0] | {"source_id": "9002", "issue": "8"}], hours=1)
    result = CliRunner().invoke(cli, ["dedup", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "endnote-library gives 32 records 32 different numbers running from 1 to 32" in result.output
    assert "pubmed-main gives" not in result.output
    clusters = {}
    for record in load_records(project):
        for source in record["sources"]:
            clusters[f"{source['source']}:{source['source_id']}"] = record["record_id"]
    assert clusters["file:3"] == clusters["file:30"] and clusters["file:7"] == clusters["file:31"]
    assert clusters["pubmed:9001"] != clusters["pubmed:9002"]
