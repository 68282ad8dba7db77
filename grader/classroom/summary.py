"""Class summary: counts, score distribution, questions, pass rate per check, commonest mistakes.

``summarize`` is pure (rows in, a dict out: the content of summary.json); ``write_plots`` and
``to_markdown`` render it. Every score is the automatic one, out of the automatic maximum; the
points graded by hand are stated apart, in every table. matplotlib is imported only for the plots
and is optional (``pip install 'grader[plots]'``: said in summary.md and by the command when it is
missing); a bulk run starts importing it in the background (``preload_plotting``) while the class
is being graded.
"""

from __future__ import annotations

import math
import statistics
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Optional, Sequence

from .gradebook import Row

PLOTS_MISSING = "matplotlib is not installed: pip install 'grader[plots]' to draw them"
MAX_BINS = 200


def histogram(scores: Sequence[float], maximum: float) -> dict[str, Any]:
    """One bin per point (per half point when some scores have halves), from 0 to the maximum
    included: bin k holds the scores in [k w, (k+1) w), so a 26 among 28s has its own bar."""
    halves = any(abs(2 * s - round(2 * s)) < 1e-9 and abs(s - round(s)) > 1e-9 for s in scores)
    width = 0.5 if halves else 1.0
    top = max([maximum, *scores]) if scores else maximum
    if top / width > MAX_BINS:
        width = float(math.ceil(top / (MAX_BINS / 2)))
    count = int(math.floor(top / width + 1e-9)) + 1
    counts = [0] * count
    for s in scores:
        counts[min(count - 1, max(0, int(math.floor(s / width + 1e-9))))] += 1
    return {"width": width, "bins": [round(k * width, 4) for k in range(count + 1)], "counts": counts}


def summarize(rows: Sequence[Row], problems: Sequence[str], *, maximum: Optional[float] = None, manual: float = 0.0,
              questions: Optional[dict[str, tuple[float, float]]] = None, older: Sequence[str] = (),
              foreign: Optional[dict[str, list[str]]] = None, notes: Sequence[str] = (),
              regrade: str = "") -> dict[str, Any]:
    """The class's summary. ``maximum``: the automatic maximum and ``manual`` the points graded by
    hand (of the worksheet; else from the first report); ``questions``: each question's automatic
    maximum and points by hand; ``older``: students graded with an older version of the worksheet,
    ``regrade`` the command that regrades them; ``foreign``: reports of other worksheets left out."""
    reports = [r.report for r in rows if r.report is not None]
    scores = [r.score for r in reports]
    if maximum is None:
        maximum = reports[0].automatic_max if reports else 0.0
        manual = reports[0].manual_pending if reports else 0.0
    per_question: dict[str, list[float]] = {}
    per_check: dict[str, Any] = {}
    failing: Counter[str] = Counter()
    mistakes: Counter[str] = Counter()
    mistake_text: dict[str, str] = {}
    for report in reports:
        for q in report.questions:
            per_question.setdefault(q.id, []).append(q.score)
        made: dict[str, str] = {}  # a student's mistakes, each once however many checks show it
        for c in report.checks:
            if c.status == "manual":
                continue
            entry = per_check.setdefault(c.id, {"passed": 0, "total": 0, "statuses": Counter()})
            entry["total"] += 1
            entry["passed"] += c.status == "passed"
            entry["statuses"][c.status] += 1
            if c.status != "passed":
                failing[c.id] += 1
            for hint_id, text in c.hints:
                made.setdefault(hint_id, text)
        for hint_id, text in made.items():
            mistakes[hint_id] += 1
            mistake_text[hint_id] = text
    if questions is None:
        questions = {q.id: (q.max_score - q.manual, q.manual) for q in (reports[0].questions if reports else ())}
    counts = {"graded": sum(r.status == "graded" for r in rows), "did_not_load": sum(r.status == "load_error" for r in rows),
              "unreadable": sum(r.status == "unreadable" for r in rows), "not_graded": sum(r.status == "error" for r in rows)}
    return {
        "students": len(rows),
        "counts": counts,  # a partition of the students
        "graded": counts["graded"],
        "did_not_load": counts["did_not_load"],
        "unreadable": [{"student_id": r.student_id, "message": r.message} for r in rows if r.status == "unreadable"],
        "not_graded": [{"student_id": r.student_id, "message": r.message} for r in rows if r.status == "error"],
        "late": [r.student_id for r in rows if r.late],
        "discovery_problems": list(problems),
        "max_score": maximum,  # automatic
        "manual_max": manual,
        "max_with_manual": round(maximum + manual, 6),
        "score": {
            "students": len(scores),  # with a score: graded, or did not load (0)
            "mean": statistics.fmean(scores) if scores else None,
            "median": statistics.median(scores) if scores else None,
            "min": min(scores) if scores else None,
            "max": max(scores) if scores else None,
            "histogram": histogram(scores, maximum),
        },
        "questions": {qid: {"automatic_max": auto, "by_hand": hand,
                            "mean": statistics.fmean(per_question[qid]) if per_question.get(qid) else None,
                            "median": statistics.median(per_question[qid]) if per_question.get(qid) else None}
                      for qid, (auto, hand) in questions.items()},
        "checks": {cid: {"pass_rate": v["passed"] / v["total"], "passed": v["passed"], "students": v["total"],
                         "statuses": dict(v["statuses"])} for cid, v in per_check.items()},
        "commonest_failures": [{"check": cid, "students": n} for cid, n in failing.most_common(10)],
        "commonest_mistakes": [{"mistake": mid, "students": n, "hint": mistake_text[mid]}
                               for mid, n in mistakes.most_common(10)],
        "older_version": {"students": list(older), "regrade": regrade} if older else None,
        "other_worksheets": dict(foreign or {}),
        "notes": list(notes),
        "plots": [],
        "plots_missing": None,
    }


def _figure_class() -> Any:
    """matplotlib's ``Figure``, or None when matplotlib is not installed. Figures are made without
    pyplot: no backend is chosen and no global state changes, so a notebook that calls the library
    keeps its own backend and figures."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure


def preload_plotting() -> threading.Thread:
    """Start importing matplotlib in a background thread (about 0.35 s of the end of a bulk run
    otherwise); ``write_plots`` waits for it. Start it only once this process forks no more
    children: a fork while another thread holds an import lock can deadlock the child."""
    thread = threading.Thread(target=_figure_class, name="grader-preload-matplotlib", daemon=True)
    thread.start()
    return thread


def score_figure(summary: dict[str, Any], Figure: Any) -> Any:
    """The score distribution: a bar per point (or half point), each labelled with its count."""
    hist = summary["score"]["histogram"]
    width, counts = hist["width"], hist["counts"]
    fig = Figure(figsize=(max(6.0, 0.22 * len(counts) + 1.5), 3.5))
    ax = fig.subplots()
    centres = [hist["bins"][k] + (width / 2 if width > 1 else 0) for k in range(len(counts))]  # a bar on its score
    bars = ax.bar(centres, counts, width=0.85 * width, edgecolor="black")
    ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=1, fontsize=8)
    ax.set_xlabel(f"automatic score, out of {summary['max_score']:g}")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)  # whole students, no 0.5 ticks
    ax.set_ylim(0, max(counts + [1]) * 1.15)
    ax.set_title("Score distribution")
    fig.tight_layout()
    return fig


def pass_rate_figure(summary: dict[str, Any], Figure: Any) -> Any:
    """The pass rate of every automatic check, each bar labelled with its percentage."""
    checks = summary["checks"]
    names = list(checks)[::-1]
    rates = [100 * checks[n]["pass_rate"] for n in names]
    fig = Figure(figsize=(6.5, 0.3 * len(names) + 1))
    ax = fig.subplots()
    bars = ax.barh(names, rates, color="tab:green")
    ax.bar_label(bars, labels=[f"{r:.0f}%" for r in rates], padding=2, fontsize=8)
    ax.set_xlim(0, 112)
    ax.set_xlabel(f"% of the {summary['score']['students']} students with a score who pass it")
    ax.set_title("Pass rate per check")
    fig.tight_layout()
    return fig


def write_plots(summary: dict[str, Any], folder: Path, preloaded: Optional[threading.Thread] = None) -> list[str]:
    """PNG plots of the summary; none (and no error) when matplotlib is not installed: the caller
    says so (``PLOTS_MISSING``)."""
    if preloaded is not None:
        preloaded.join()
    Figure = _figure_class()
    if Figure is None:
        return []
    score_figure(summary, Figure).savefig(folder / "scores.png", dpi=100)
    written = ["scores.png"]
    if summary["checks"]:
        pass_rate_figure(summary, Figure).savefig(folder / "pass_rates.png", dpi=100)
        written.append("pass_rates.png")
    return written


WORDS = {
    "en": {"summary": "class summary",
           "counts": "{n} students: {g} graded, {d} did not load (scored 0), {u} unreadable (no score), {e} not graded "
                     "(no score); each student is in one of these.",
           "late": "Handed in late: {ids}.",
           "score": "Automatic score of the {s} students with one, out of {m}{hand}: mean {mean}, median {median}, "
                    "min {lo}, max {hi}.",
           "hand": " ({h} more points are graded by hand, {t} in all)",
           "noplots": "Plots not drawn: {why}.",
           "questions": "Questions (automatic points; the points graded by hand are apart)",
           "qhead": "| question | automatic max | mean | median | graded by hand |",
           "rates": "Pass rate per check (automatic checks)", "rhead": "| check | pass rate | students passing |",
           "mistakes": "Commonest known mistakes (each student counted once per mistake)",
           "mhead": "| mistake | students | hint |", "inputs": "Inputs that could not be used",
           "errors": "Not graded: the worksheet or the grader failed",
           "older": "Graded with an older version of the worksheet",
           "oldertext": "{k} graded with an older version of the worksheet or its reference, and kept as they "
                        "were: {ids}. To regrade them: `{cmd}`.",
           "foreign": "Left out: reports of another worksheet",
           "foreigntext": "{k} reports in this folder were graded with the worksheet '{w}' and are not in this "
                          "summary nor in the gradebooks: {ids}.",
           "notes": "Gradebooks"},
    "fr": {"summary": "bilan de la classe",
           "counts": "{n} élèves : {g} notés, {d} ne se chargent pas (note 0), {u} illisibles (sans note), "
                     "{e} non notés (sans note) ; chaque élève est dans un seul de ces cas.",
           "late": "Rendus en retard : {ids}.",
           "score": "Note automatique des {s} élèves qui en ont une, sur {m}{hand} : moyenne {mean}, médiane "
                    "{median}, min {lo}, max {hi}.",
           "hand": " ({h} points de plus sont notés à la main, {t} en tout)",
           "noplots": "Graphiques non tracés : {why}.",
           "questions": "Questions (points automatiques ; les points notés à la main à part)",
           "qhead": "| question | max automatique | moyenne | médiane | notés à la main |",
           "rates": "Taux de réussite par vérification (vérifications automatiques)",
           "rhead": "| vérification | taux de réussite | élèves qui la passent |",
           "mistakes": "Erreurs connues les plus fréquentes (chaque élève compté une fois par erreur)",
           "mhead": "| erreur | élèves | indice |", "inputs": "Entrées inutilisables",
           "errors": "Non notées : la fiche ou le correcteur a échoué",
           "older": "Notés avec une version antérieure de la fiche",
           "oldertext": "Élèves notés avec une version antérieure de la fiche ou de sa référence ({n}), gardés tels "
                        "quels : {ids}. Pour les renoter : `{cmd}`.",
           "foreign": "Laissés de côté : comptes rendus d'une autre fiche",
           "foreigntext": "{k} comptes rendus de ce dossier ont été notés avec la fiche « {w} » et ne sont ni dans "
                          "ce bilan ni dans les carnets de notes : {ids}.",
           "notes": "Carnets de notes"},
}


def _value(x: Optional[float], fmt: str = "g") -> str:
    return "" if x is None else format(x, fmt)


def to_markdown(summary: dict[str, Any], plots: list[str], title: str, lang: str = "en") -> str:
    w = WORDS.get(lang, WORDS["en"])
    score, counts = summary["score"], summary.get("counts", {})
    lines = [f"# {title}: {w['summary']}", "",
             w["counts"].format(n=summary["students"], g=counts.get("graded", summary["graded"]),
                                d=summary["did_not_load"], u=len(summary["unreadable"]), e=len(summary["not_graded"])), ""]
    if summary.get("late"):
        lines += [w["late"].format(ids=", ".join(summary["late"])), ""]
    if score["mean"] is not None:
        hand = w["hand"].format(h=f"{summary['manual_max']:g}", t=f"{summary['max_with_manual']:g}") \
            if summary.get("manual_max") else ""
        lines += [w["score"].format(s=score.get("students", ""), m=f"{summary['max_score']:g}", hand=hand,
                                    mean=f"{score['mean']:.2f}", median=f"{score['median']:g}", lo=f"{score['min']:g}",
                                    hi=f"{score['max']:g}"), ""]
    lines += [f"![{p}]({p})" for p in plots]
    if summary.get("plots_missing"):
        lines += [w["noplots"].format(why=summary["plots_missing"])]
    lines += ["", f"## {w['questions']}", "", w["qhead"], "|---|---|---|---|---|"]
    lines += [f"| {q} | {v['automatic_max']:g} | {_value(v['mean'], '.2f')} | {_value(v['median'])} | "
              f"{v['by_hand']:g} |" for q, v in summary["questions"].items()]
    lines += ["", f"## {w['rates']}", "", w["rhead"], "|---|---|---|"]
    lines += [f"| {c} | {100 * v['pass_rate']:.0f}% | {v.get('passed', '')} / {v.get('students', '')} |"
              for c, v in summary["checks"].items()]
    if summary["commonest_mistakes"]:
        lines += ["", f"## {w['mistakes']}", "", w["mhead"], "|---|---|---|"]
        lines += [f"| {m['mistake']} | {m['students']} | {m['hint']} |" for m in summary["commonest_mistakes"]]
    if summary.get("older_version"):
        older = summary["older_version"]
        count = len(older["students"])
        lines += ["", f"## {w['older']}", "", w["oldertext"].format(k="1 student" if count == 1 else f"{count} students",
                                                                    n=count,
                                                                    ids=", ".join(older["students"]),
                                                                    cmd=older["regrade"])]
    if summary.get("other_worksheets"):
        lines += ["", f"## {w['foreign']}", ""]
        lines += [w["foreigntext"].format(k=len(ids), w=other, ids=", ".join(ids))
                  for other, ids in summary["other_worksheets"].items()]
    if summary.get("notes"):
        lines += ["", f"## {w['notes']}", ""] + [f"- {n}" for n in summary["notes"]]
    if summary["discovery_problems"] or summary["unreadable"]:
        lines += ["", f"## {w['inputs']}", ""]
        lines += [f"- {p}" for p in summary["discovery_problems"]]
        lines += [f"- {u['student_id']}: {u['message']}" for u in summary["unreadable"]]
    if summary["not_graded"]:
        lines += ["", f"## {w['errors']}", ""]
        lines += [f"- {u['student_id']}: {u['message']}" for u in summary["not_graded"]]
    return "\n".join(lines) + "\n"
