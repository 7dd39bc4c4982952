"""The same-trial list both screens show under a record: titles, gone records, the reviewer's own decisions."""

from sysrev.screening.same_trial import GONE, NO_TITLE, LinkedReport, linked_reports

RECORD = {"record_id": "R1", "extra": {"dedup_related": [
    {"record_id": "R2", "reason": "both name trial NCT01234567 (R1 and R2)"},
    {"record_id": "R3", "reason": "the registration lists this publication (PMID 12345)"},
    {"record_id": "R4", "reason": "both name trial NCT01234567"},
    {"record_id": "R5", "reason": "looks like a comment or reply and the article it discusses"}]}}
TITLES = {"R2": "The registration", "R3": ""}  # R4 is no longer among the records


def test_each_linked_record_with_its_title_the_reason_and_the_reviewers_own_decision():
    reports = linked_reports(RECORD, lambda rid: TITLES[rid], {"R2": "include", "R9": "exclude"})
    assert reports == [
        LinkedReport("R2", "The registration", "both name trial NCT01234567", "include"),
        LinkedReport("R3", NO_TITLE, "the registration lists this publication", None),
        LinkedReport("R4", GONE, "both name trial NCT01234567", None)]  # a comment's link is not a trial's


def test_a_record_without_trial_links_has_none():
    assert linked_reports({"record_id": "R1"}, TITLES.__getitem__, {}) == []
