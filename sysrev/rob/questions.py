"""The RoB 2 tool's structure: five domains, their signalling questions, allowed answers and when each applies.

Source: Higgins JPT, Savović J, Page MJ, Sterne JAC (eds). *Revised Cochrane risk-of-bias tool for randomized
trials (RoB 2)*, full guidance document, version of 22 August 2019 (riskofbias.info), for an individually
randomized, parallel-group trial and the *effect of assignment to intervention* (the "intention-to-treat"
effect); summarised in Sterne JAC et al., BMJ 2019;366:l4898 (Table 1: the domains) and the Cochrane Handbook
v6, chapter 8 (sections 8.4–8.8). Question numbers, answer options and the "If … to …" conditions follow the
guidance's signalling-question boxes.

The ``topic`` strings are short paraphrases written for this project, not the published wording: RoB 2 is
licensed CC BY-NC-ND 4.0, so its text is not copied here. Assessors answer against the exact wording at
https://www.riskofbias.info (see docs/rob.md).
"""

from __future__ import annotations

from dataclasses import dataclass

YES = frozenset({"Y", "PY"})
NO = frozenset({"N", "PN"})
NI = "NI"
NA = "NA"
# Y = yes, PY = probably yes, PN = probably no, N = no, NI = no information, NA = not applicable.
ANSWERS = ("Y", "PY", "PN", "N", "NI")
ALL_ANSWERS = ANSWERS + (NA,)


@dataclass(frozen=True)
class Condition:
    """When a conditional question applies: ``mode`` "any"/"all" of ``questions`` answered within ``answers``."""

    questions: tuple[str, ...]
    answers: frozenset[str]
    mode: str = "any"

    @property
    def text(self) -> str:
        """The condition as the guidance prints it, e.g. "If Y/PY/NI to 2.1 or 2.2"."""
        order = [a for a in ("Y", "PY", "N", "PN", "NI") if a in self.answers]  # the guidance's order
        joiner = " or " if self.mode == "any" else " and "
        return f"If {'/'.join(order)} to {joiner.join(self.questions)}"


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    condition: Condition | None = None
    allowed: tuple[str, ...] = ANSWERS


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    questions: tuple[Question, ...]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)


def _if(questions, answers, mode="any") -> Condition:
    if isinstance(questions, str):
        questions = (questions,)
    return Condition(tuple(questions), frozenset(answers), mode)


_YNI = YES | {NI}
_NNI = NO | {NI}

DOMAINS: tuple[Domain, ...] = (
    Domain("D1", "Bias arising from the randomization process", (
        Question("1.1", "Was the allocation sequence random?"),
        Question("1.2", "Was the allocation sequence concealed until participants were enrolled and assigned?"),
        Question("1.3", "Do baseline differences between groups suggest a problem with randomization?"),
    )),
    Domain("D2", "Bias due to deviations from intended interventions (effect of assignment)", (
        Question("2.1", "Were participants aware of their assigned intervention during the trial?"),
        Question("2.2", "Were carers and people delivering the interventions aware of the assignment?"),
        Question("2.3", "Were there deviations from the intended intervention that arose because of the trial "
                 "context?", _if(("2.1", "2.2"), _YNI)),
        Question("2.4", "Were these deviations likely to have affected the outcome?", _if("2.3", YES)),
        Question("2.5", "Were these deviations balanced between groups?", _if("2.4", _YNI)),
        Question("2.6", "Was an appropriate analysis used to estimate the effect of assignment?"),
        Question("2.7", "Was there potential for a substantial impact of failing to analyse participants in "
                 "the group to which they were randomized?", _if("2.6", _NNI)),
    )),
    Domain("D3", "Bias due to missing outcome data", (
        Question("3.1", "Were outcome data available for all, or nearly all, randomized participants?"),
        # 3.2 has no "No information" option in the guidance.
        Question("3.2", "Is there evidence that the result was not biased by missing outcome data?",
                 _if("3.1", _NNI), allowed=("Y", "PY", "PN", "N")),
        Question("3.3", "Could missingness in the outcome depend on its true value?", _if("3.2", NO)),
        Question("3.4", "Is it likely that missingness in the outcome depended on its true value?",
                 _if("3.3", _YNI)),
    )),
    Domain("D4", "Bias in measurement of the outcome", (
        Question("4.1", "Was the method of measuring the outcome inappropriate?"),
        Question("4.2", "Could measurement or ascertainment of the outcome have differed between groups?"),
        Question("4.3", "Were outcome assessors aware of the intervention received by participants?",
                 _if(("4.1", "4.2"), _NNI, mode="all")),
        Question("4.4", "Could assessment of the outcome have been influenced by knowledge of the intervention "
                 "received?", _if("4.3", _YNI)),
        Question("4.5", "Is it likely that assessment of the outcome was influenced by knowledge of the "
                 "intervention received?", _if("4.4", _YNI)),
    )),
    Domain("D5", "Bias in selection of the reported result", (
        Question("5.1", "Were the data analysed in accordance with a pre-specified plan finalised before "
                 "unblinded outcome data were available?"),
        Question("5.2", "Was the result likely selected from multiple eligible outcome measurements (scales, "
                 "definitions, time points)?"),
        Question("5.3", "Was the result likely selected from multiple eligible analyses of the data?"),
    )),
)

DOMAIN_KEYS = tuple(d.key for d in DOMAINS)
DOMAIN_BY_KEY = {d.key: d for d in DOMAINS}
SHORT_NAMES = {
    "D1": "Randomization process",
    "D2": "Deviations from intended interventions",
    "D3": "Missing outcome data",
    "D4": "Measurement of the outcome",
    "D5": "Selection of the reported result",
}


def applies(question: Question, answers: dict[str, str]) -> bool | None:
    """Whether ``question`` applies given the other ``answers`` (True/False), or None when that is unknown
    because an answer it depends on is still missing. An "NA" answer matches no condition."""
    cond = question.condition
    if cond is None:
        return True
    values = [answers.get(q) or None for q in cond.questions]
    hits = [v in cond.answers for v in values if v is not None]
    missing = any(v is None for v in values)
    if cond.mode == "any":
        if any(hits):
            return True
        return None if missing else False
    if not all(hits):
        return False
    return None if missing else True
