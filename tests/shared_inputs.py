"""Inputs several test files build the same way: a small labelled screening set, and one trial's records as
three databases give them (two of which a reviewer must decide on)."""

import csv

# One trial's record, and the same title, authors and year in two other journals without volume or pages: dedup
# queues them for a reviewer ("same title, author and year but a different journal").
TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-86")
DOUBT = dict(TRIAL, journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
             authors=["Smith, J.", "Doe, Joan"])
THIRD = dict(TRIAL, journal="Interventional Pain Reports", volume="", issue="", pages="", authors=["Smith, J."])


def write_labelled_set(path, n: int, relevant) -> None:
    """``path`` as a labelled screening set (``title,abstract,label_included``) of ``n`` records on two unrelated
    topics; the ``relevant`` rows share their vocabulary."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["title", "abstract", "label_included"])
        for i in range(n):
            if i in relevant:
                writer.writerow([f"Ultrasound guided nerve block trial {i}",
                                 "Randomised trial of ultrasound guidance for regional anaesthesia.", 1])
            else:
                writer.writerow([f"Soil nitrogen survey {i}", f"Crop yields and fertiliser in field {i % 7}.", 0])
