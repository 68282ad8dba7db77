"""Class summary: score distribution, pass rate per check, commonest failures and mistakes.

``summarize`` is pure (reports in, a dict out: the content of summary.json); ``write_plots`` and
``to_markdown`` render it. matplotlib is imported only for the plots and is optional; a bulk run
starts importing it in the background (``preload_plotting``) while the class is being graded.
"""

from __future__ import annotations

import statistics
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from .gradebook import Row


def summarize(rows: list[Row], problems: list[str]) -> dict[str, Any]:
    reports = [r.report for r in rows if r.report is not None]
    scores = [r.score for r in reports]
    maximum = reports[0].max_score - reports[0].manual_pending if reports else 0.0
    per_question: dict[str, Any] = {}
    per_check: dict[str, Any] = {}
    failing: Counter[str] = Counter()
    mistakes: Counter[str] = Counter()
    mistake_text: dict[str, str] = {}
    for report in reports:
        for q in report.questions:
            per_question.setdefault(q.id, {"max": q.max_score, "scores": []})["scores"].append(q.score)
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
                mistakes[hint_id] += 1
                mistake_text[hint_id] = text
    bins = 10
    histogram = [0] * bins
    for s in scores:
        histogram[min(bins - 1, int(bins * s / maximum)) if maximum else 0] += 1
    return {
        "students": len(rows),
        "graded": len(reports),
        "did_not_load": sum(1 for r in rows if r.status == "load_error"),
        "unreadable": [{"student_id": r.student_id, "message": r.message} for r in rows if r.status == "unreadable"],
        "not_graded": [{"student_id": r.student_id, "message": r.message} for r in rows if r.status == "error"],
        "discovery_problems": problems,
        "max_score": maximum,
        "score": {
            "mean": statistics.fmean(scores) if scores else None,
            "median": statistics.median(scores) if scores else None,
            "min": min(scores) if scores else None,
            "max": max(scores) if scores else None,
            "histogram": {"bins": [round(maximum * i / bins, 4) for i in range(bins + 1)], "counts": histogram},
        },
        "questions": {qid: {"max": v["max"], "mean": statistics.fmean(v["scores"]), "median": statistics.median(v["scores"])}
                      for qid, v in per_question.items()},
        "checks": {cid: {"pass_rate": v["passed"] / v["total"], "statuses": dict(v["statuses"])}
                   for cid, v in per_check.items()},
        "commonest_failures": [{"check": cid, "students": n} for cid, n in failing.most_common(10)],
        "commonest_mistakes": [{"mistake": mid, "students": n, "hint": mistake_text[mid]}
                               for mid, n in mistakes.most_common(10)],
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


def write_plots(summary: dict[str, Any], folder: Path, preloaded: Optional[threading.Thread] = None) -> list[str]:
    """PNG plots of the summary; none (and no error) when matplotlib is not installed."""
    if preloaded is not None:
        preloaded.join()
    Figure = _figure_class()
    if Figure is None:
        return []
    written = []
    counts = summary["score"]["histogram"]["counts"]
    edges = summary["score"]["histogram"]["bins"]
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.bar(edges[:-1], counts, width=(edges[1] - edges[0]) if len(edges) > 1 else 1, align="edge", edgecolor="black")
    ax.set_xlabel("score")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)  # whole students, no 0.5 ticks
    ax.set_title("Score distribution")
    fig.tight_layout()
    fig.savefig(folder / "scores.png", dpi=100)
    written.append("scores.png")
    checks = summary["checks"]
    if checks:
        names = list(checks)
        rates = [100 * checks[n]["pass_rate"] for n in names]
        fig = Figure(figsize=(6, 0.3 * len(names) + 1))
        ax = fig.subplots()
        ax.barh(names[::-1], rates[::-1], color="tab:green")
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of students passing")
        ax.set_title("Pass rate per check")
        fig.tight_layout()
        fig.savefig(folder / "pass_rates.png", dpi=100)
        written.append("pass_rates.png")
    return written


WORDS = {
    "en": {"summary": "class summary", "graded": "{g} of {n} submissions graded; {d} did not load; {u} unreadable.",
           "score": "Score out of {m}: mean {mean}, median {median}, min {lo}, max {hi}.", "questions": "Questions",
           "qhead": "| question | max | mean | median |", "rates": "Pass rate per check",
           "rhead": "| check | pass rate |", "mistakes": "Commonest known mistakes",
           "mhead": "| mistake | students | hint |", "inputs": "Inputs that could not be used",
           "errors": "Not graded: the worksheet or the grader failed"},
    "fr": {"summary": "bilan de la classe", "graded": "{g} soumissions notées sur {n} ; {d} ne se chargent pas ; "
                                                      "{u} illisibles.",
           "score": "Note sur {m} : moyenne {mean}, médiane {median}, min {lo}, max {hi}.", "questions": "Questions",
           "qhead": "| question | max | moyenne | médiane |", "rates": "Taux de réussite par vérification",
           "rhead": "| vérification | taux de réussite |", "mistakes": "Erreurs connues les plus fréquentes",
           "mhead": "| erreur | élèves | indice |", "inputs": "Entrées inutilisables",
           "errors": "Non notées : la fiche ou le correcteur a échoué"},
}


def to_markdown(summary: dict[str, Any], plots: list[str], title: str, lang: str = "en") -> str:
    w = WORDS.get(lang, WORDS["en"])
    score = summary["score"]
    lines = [f"# {title}: {w['summary']}", "",
             w["graded"].format(g=summary["graded"], n=summary["students"], d=summary["did_not_load"],
                                u=len(summary["unreadable"])), ""]
    if score["mean"] is not None:
        lines += [w["score"].format(m=f"{summary['max_score']:g}", mean=f"{score['mean']:.2f}",
                                    median=f"{score['median']:g}", lo=f"{score['min']:g}", hi=f"{score['max']:g}"), ""]
    lines += [f"![{p}]({p})" for p in plots] + [""]
    lines += [f"## {w['questions']}", "", w["qhead"], "|---|---|---|---|"]
    lines += [f"| {q} | {v['max']:g} | {v['mean']:.2f} | {v['median']:g} |" for q, v in summary["questions"].items()]
    lines += ["", f"## {w['rates']}", "", w["rhead"], "|---|---|"]
    lines += [f"| {c} | {100 * v['pass_rate']:.0f}% |" for c, v in summary["checks"].items()]
    if summary["commonest_mistakes"]:
        lines += ["", f"## {w['mistakes']}", "", w["mhead"], "|---|---|---|"]
        lines += [f"| {m['mistake']} | {m['students']} | {m['hint']} |" for m in summary["commonest_mistakes"]]
    if summary["discovery_problems"] or summary["unreadable"]:
        lines += ["", f"## {w['inputs']}", ""]
        lines += [f"- {p}" for p in summary["discovery_problems"]]
        lines += [f"- {u['student_id']}: {u['message']}" for u in summary["unreadable"]]
    if summary["not_graded"]:
        lines += ["", f"## {w['errors']}", ""]
        lines += [f"- {u['student_id']}: {u['message']}" for u in summary["not_graded"]]
    return "\n".join(lines) + "\n"

