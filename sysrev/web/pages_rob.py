"""RoB 2: the forms, the signalling questions per domain with the algorithm's judgement proposed live, and
the robvis-style plots. Saving writes the same TOML form ``sysrev rob`` reads, through :func:`write_form`,
under the project lock; a save is refused (409, nothing written) when the file changed after its page was
opened, so one reviewer's save never silently replaces another's."""

from __future__ import annotations

import hashlib
import io

from flask import Blueprint, Response, abort, g, jsonify, redirect, render_template, request, url_for

from sysrev.errors import SysrevError
from sysrev.locking import lock_for_path
from sysrev.rob.algorithm import JUDGEMENTS, domain_judgement, overall_judgement
from sysrev.rob.form import DIRECTIONS, Assessment, list_forms, load_assessment, write_form
from sysrev.rob.questions import ALL_ANSWERS, DOMAINS, applies

blueprint = Blueprint("rob", __name__)


def _form_path(name: str):
    """The form file ``name`` (its file stem) inside the project's RoB folder; nothing outside it."""
    for path in list_forms(g.project.rob_dir):
        if path.stem == name:
            return path
    abort(404)


@blueprint.route("/rob")
def index():
    rows, problems = [], []
    for path in list_forms(g.project.rob_dir):
        try:
            assessment = load_assessment(path)
        except SysrevError as exc:
            problems.append(str(exc))
            continue
        rows.append({"name": path.stem, "study": assessment.study, "outcome": assessment.outcome,
                     "assessor": assessment.assessor, "judgements": assessment.judgements()})
    return render_template("rob_list.html", rows=rows, problems=problems, domains=DOMAINS)


@blueprint.route("/rob/<name>")
def form(name):
    assessment = load_assessment(_form_path(name))
    return render_template("rob_form.html", name=name, a=assessment, domains=DOMAINS, answers=ALL_ANSWERS,
                           judgements=JUDGEMENTS, directions=DIRECTIONS, proposal=_proposal(assessment),
                           form_version=_version(assessment))


@blueprint.route("/rob/<name>/propose", methods=["POST"])
def propose(name):
    """The algorithm's judgements for the answers in the posted form (nothing is saved)."""
    assessment = load_assessment(_form_path(name))
    _apply(assessment, request.form)
    return jsonify(_proposal(assessment))


@blueprint.route("/rob/<name>", methods=["POST"])
def save(name):
    path = _form_path(name)
    # Read-modify-write: the fields the page does not post (study, outcome, assessor, result, sources, notes,
    # typed judgements) come from the file, so a locked writer (`sysrev rob compare --out`) must not slip
    # in between the read and the write. Parsing and rendering one form takes milliseconds.
    with lock_for_path(path):
        assessment = load_assessment(path)
        opened = request.form.get("form_version")
        if opened is not None and opened != _version(assessment):
            # The page posts every answer, so saving would silently replace what another reviewer (or an
            # editor) saved after this page was opened: refuse instead, and say how to go on.
            return render_template("error.html", heading="Not saved", message=(
                f"{path.name} was saved by someone else (or edited) after you opened it; nothing saved. Open "
                "the form again to see the saved answers, then redo your changes.")), 409
        _apply(assessment, request.form)
        write_form(path, assessment)
        load_assessment(path)  # what was written reads back (a defect here must not pass silently)
    return redirect(url_for("rob.form", name=name, saved=1))


@blueprint.route("/rob/plot/<kind>.svg")
def plot(kind):
    from sysrev.rob.plots import summary_bars, traffic_light

    rows = []
    for path in list_forms(g.project.rob_dir):
        assessment = load_assessment(path)
        rows.append((f"{assessment.study} ({assessment.outcome})", assessment.judgements()))
    if not rows:
        abort(404)
    if kind == "traffic":
        figure = traffic_light(rows)
    elif kind == "summary":
        figure = summary_bars(rows)
    else:
        abort(404)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


def _version(assessment: Assessment) -> str:
    """What the form file held when read (a hash of its text): the page carries it, the save compares it."""
    return hashlib.sha256(assessment.text.encode("utf-8")).hexdigest()[:16]


def _apply(assessment: Assessment, form) -> None:
    """Put the posted answers, support, overrides and directions into ``assessment``; refuse anything the
    form file could not hold (an unknown answer, an override without justification)."""
    for domain in DOMAINS:
        target = assessment.domains[domain.key]
        for question in domain.questions:
            answer = form.get(f"{domain.key}.{question.id}", "").strip()
            if answer and answer not in ALL_ANSWERS:
                raise SysrevError(f"{domain.key} {question.id}: {answer!r} is not one of {', '.join(ALL_ANSWERS)}; "
                                  "nothing saved")
            if answer:
                target.answers[question.id] = answer
            else:
                target.answers.pop(question.id, None)
            support = " ".join(form.get(f"{domain.key}.{question.id}.support", "").split())
            if support:
                target.support[question.id] = support
            else:
                target.support.pop(question.id, None)
        _override(target, form, domain.key)
    _override(assessment.overall, form, "overall")
    concerns = form.get("overall.several_concerns_high", "")
    assessment.overall.several_concerns_high = {"true": True, "false": False}.get(concerns)


def _override(target, form, key: str) -> None:
    override = form.get(f"{key}.override", "").strip() or None
    if override is not None and override not in JUDGEMENTS:
        raise SysrevError(f"{key}: override {override!r} is not one of {', '.join(JUDGEMENTS)}; nothing saved")
    justification = " ".join(form.get(f"{key}.justification", "").split())
    if override and not justification:
        raise SysrevError(f"{key}: an override needs a written justification; nothing saved")
    direction = form.get(f"{key}.direction", "").strip()
    if direction and direction not in DIRECTIONS:
        raise SysrevError(f"{key}: direction {direction!r} is not one of {', '.join(DIRECTIONS)}; nothing saved")
    target.override, target.justification, target.direction = override, justification, direction


def _proposal(assessment: Assessment) -> dict:
    """Per domain: the algorithm's judgement, the final one, and which questions apply; the overall."""
    out = {}
    for domain in DOMAINS:
        answers = assessment.domains[domain.key].answers
        out[domain.key] = {
            "algorithm": domain_judgement(domain.key, answers),
            "final": assessment.domain(domain.key),
            "applies": {q.id: applies(q, answers) is not False for q in domain.questions},
        }
    out["overall"] = {"algorithm": overall_judgement({k: assessment.domain(k) for k in out},
                                                      assessment.overall.several_concerns_high),
                      "final": assessment.overall_final()}
    return out

