"""Data of the small test review shared by the screening tests (a uniquely named module, importable from
any test of this folder without clashing with other areas' conftest modules)."""

import textwrap

REVIEW_TOML = textwrap.dedent("""
    [review]
    title = "Test review"

    [[databases]]
    name = "PubMed"
    strategy = "searches/pubmed.toml"

    [[databases]]
    name = "Scopus"
    strategy = "searches/scopus.toml"

    [screening]
    reviewers = ["alice", "bob", "carol"]
    exclusion_reasons = ["wrong population", "wrong comparator", "not randomised", "full text not retrieved"]
    highlight_terms = ["ultrasound", "fluoroscop", "randomi"]
    """)

TITLES = [
    "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection: a randomized trial",
    "Fluoroscopic facet joint injection in chronic low back pain",
    "Sacroiliac joint injections guided by ultrasound: randomised comparison with fluoroscopy",
    "A survey of spine surgeons",
    "Transforaminal epidural steroid injection under ultrasound",
    "Cost analysis of imaging in pain clinics",
    "Medial branch block with ultrasound guidance: a randomized controlled trial",
    "CT-guided versus fluoroscopy-guided lumbar injections",
]


def record_dict(i, title):
    return {"record_id": f"r{i:02d}", "source_id": str(30000000 + i), "title": title,
            "abstract": f"Background: {title}. Methods: patients were randomized. Results: pain fell.",
            "authors": ["Kim, Jae", "Park, Soo"], "year": 2010 + i, "journal": "Pain Physician",
            "doi": f"10.1000/test.{i}", "pmid": str(30000000 + i),
            "sources": [{"run": "pubmed", "source": "pubmed", "source_id": str(30000000 + i)}]}
