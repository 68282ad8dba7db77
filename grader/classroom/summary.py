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

from ..messages import Msg, joined, msg, students
from ..report.i18n import as_json, figure, text
from .gradebook import Row

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


def summarize(rows: Sequence[Row], problems: Sequence[Msg], *, maximum: Optional[float] = None, manual: float = 0.0,
              questions: Optional[dict[str, tuple[float, float]]] = None, older: Sequence[str] = (),
              foreign: Optional[dict[str, list[str]]] = None, notes: Sequence[Msg] = (),
              regrade: str = "", lang: str = "en") -> dict[str, Any]:
    """The class's summary. ``maximum``: the automatic maximum and ``manual`` the points graded by
    hand (of the worksheet; else from the first report); ``questions``: each question's automatic
    maximum and points by hand; ``older``: students graded with an older version of the worksheet,
    ``regrade`` the command that regrades them; ``foreign``: reports of other worksheets left out.
    Its messages are as a report holds them (code, parameters, and the text in ``lang``)."""
    reports = [r.report for r in rows if r.report is not None]
    scores = [r.automatic_score for r in reports]
    if maximum is None:
        maximum = reports[0].automatic_only_max if reports else 0.0
        manual = reports[0].manual_max if reports else 0.0
    per_question: dict[str, list[float]] = {}
    per_check: dict[str, Any] = {}
    failing: Counter[str] = Counter()
    mistakes: Counter[str] = Counter()
    mistake_text: dict[str, str] = {}
    for report in reports:
        for q in report.questions:
            per_question.setdefault(q.id, []).append(round(q.score - q.by_hand, 6))
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
            for hint_id, words in c.hints:
                made.setdefault(hint_id, words)
        for hint_id, words in made.items():
            mistakes[hint_id] += 1
            mistake_text[hint_id] = words
    if questions is None:
        questions = {q.id: (q.max_score - q.manual, q.manual) for q in (reports[0].questions if reports else ())}
    loaded = [r for r in reports if r.load_ok and r.manual_max > 0]
    by_hand = {"students": len(loaded), "complete": sum(1 for r in loaded if r.manual_pending == 0),
               "started": sum(1 for r in loaded if 0 < r.manual_max - r.manual_pending),
               "mean": statistics.fmean(r.manual_points for r in loaded if r.manual_pending == 0)
               if any(r.manual_pending == 0 for r in loaded) else None}
    counts = {"graded": sum(r.status == "graded" for r in rows), "did_not_load": sum(r.status == "load_error" for r in rows),
              "unreadable": sum(r.status == "unreadable" for r in rows), "not_graded": sum(r.status == "error" for r in rows)}
    return {
        "students": len(rows),
        "counts": counts,  # a partition of the students
        "graded": counts["graded"],
        "did_not_load": counts["did_not_load"],
        "unreadable": [{"student_id": r.student_id, "message": as_json(r.message, lang)}
                       for r in rows if r.status == "unreadable"],
        "not_graded": [{"student_id": r.student_id, "message": as_json(r.message, lang)}
                       for r in rows if r.status == "error"],
        "late": [r.student_id for r in rows if r.late],
        "discovery_problems": [as_json(p, lang) for p in problems],
        "max_score": maximum,  # automatic
        "manual_max": manual,
        "max_with_manual": round(maximum + manual, 6),
        "by_hand": by_hand,  # the review's progress: students whose answers are graded by hand
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
        "notes": [as_json(n, lang) for n in notes],
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


def score_figure(summary: dict[str, Any], Figure: Any, lang: str = "en") -> Any:
    """The score distribution: a bar per point (or half point), each labelled with its count."""
    hist = summary["score"]["histogram"]
    width, counts = hist["width"], hist["counts"]
    fig = Figure(figsize=(max(6.0, 0.22 * len(counts) + 1.5), 3.5))
    ax = fig.subplots()
    centres = [hist["bins"][k] + (width / 2 if width > 1 else 0) for k in range(len(counts))]  # a bar on its score
    bars = ax.bar(centres, counts, width=0.85 * width, edgecolor="black")
    ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=1, fontsize=8)
    ax.set_xlabel(text(msg("plot.scores_x", max=figure(summary["max_score"], lang)), lang))
    ax.set_ylabel(text(msg("plot.students"), lang))
    ax.yaxis.get_major_locator().set_params(integer=True)  # whole students, no 0.5 ticks
    ax.set_ylim(0, max(counts + [1]) * 1.15)
    ax.set_title(text(msg("plot.scores"), lang))
    fig.tight_layout()
    return fig


def pass_rate_figure(summary: dict[str, Any], Figure: Any, lang: str = "en") -> Any:
    """The pass rate of every automatic check, each bar labelled with its percentage."""
    checks = summary["checks"]
    names = list(checks)[::-1]
    rates = [100 * checks[n]["pass_rate"] for n in names]
    fig = Figure(figsize=(6.5, 0.3 * len(names) + 1))
    ax = fig.subplots()
    bars = ax.barh(names, rates, color="tab:green")
    ax.bar_label(bars, labels=[_percent(r, lang) for r in rates], padding=2, fontsize=8)
    ax.set_xlim(0, 112)
    ax.set_xlabel(text(msg("plot.rates_x", n=summary["score"]["students"]), lang))
    ax.set_title(text(msg("plot.rates"), lang))
    fig.tight_layout()
    return fig


def write_plots(summary: dict[str, Any], folder: Path, preloaded: Optional[threading.Thread] = None,
                lang: str = "en") -> list[str]:
    """PNG plots of the summary, titled in ``lang``; none (and no error) when matplotlib is not
    installed: the caller says so (``bulk.plots_missing``)."""
    if preloaded is not None:
        preloaded.join()
    Figure = _figure_class()
    if Figure is None:
        return []
    score_figure(summary, Figure, lang).savefig(folder / "scores.png", dpi=100)
    written = ["scores.png"]
    if summary["checks"]:
        pass_rate_figure(summary, Figure, lang).savefig(folder / "pass_rates.png", dpi=100)
        written.append("pass_rates.png")
    return written


def _value(x: Optional[float], lang: str, digits: Optional[int] = None) -> str:
    if x is None:
        return ""
    return figure(x, lang) if digits is None else f"{x:.{digits}f}".replace(".", _decimal(lang))


def _decimal(lang: str) -> str:
    return figure(0.5, lang)[1]


def _percent(value: float, lang: str) -> str:
    return text(msg("summary.percent", value=f"{value:.0f}"), lang)


def to_markdown(summary: dict[str, Any], plots: list[str], title: str, lang: str = "en") -> str:
    """summary.md: the summary for the teacher, in ``lang``."""
    def say(code: str, **params: Any) -> str:
        return text(msg(code, **params), lang)

    score, counts = summary["score"], summary.get("counts", {})
    lines = [f"# {say('summary.title', title=title)}", "",
             say("summary.counts", n=summary["students"],  # each count a message: its words agree with it
                 graded=msg("bulk.graded", n=counts.get("graded", summary["graded"])),
                 did_not_load=msg("bulk.did_not_load", n=summary["did_not_load"]),
                 unreadable=msg("bulk.unreadable", n=len(summary["unreadable"])),
                 not_graded=msg("bulk.not_graded_count", n=len(summary["not_graded"]))), ""]
    if summary.get("late"):
        lines += [say("summary.late", ids=joined(summary["late"], "comma")), ""]
    if score["mean"] is not None:
        hand = say("summary.hand", n=summary["manual_max"], total=figure(summary["max_with_manual"], lang)) \
            if summary.get("manual_max") else ""
        lines += [say("summary.score", n=score.get("students", 0), max=figure(summary["max_score"], lang), hand=hand,
                      mean=_value(score["mean"], lang, 2), median=_value(score["median"], lang),
                      min=_value(score["min"], lang), top=_value(score["max"], lang)), ""]
    progress = summary.get("by_hand") or {}
    if progress.get("started"):
        lines += [say("summary.by_hand", n=progress["students"], complete=progress["complete"],
                      mean=_value(progress["mean"], lang, 2) if progress.get("mean") is not None else "-"), ""]
    lines += [f"![{p}]({p})" for p in plots]
    if summary.get("plots_missing"):
        lines += [say("summary.no_plots", why=summary["plots_missing"])]
    lines += ["", f"## {say('summary.questions')}", "", say("summary.questions_head"), "|---|---|---|---|---|"]
    lines += [f"| {q} | {figure(v['automatic_max'], lang)} | {_value(v['mean'], lang, 2)} | "
              f"{_value(v['median'], lang)} | {figure(v['by_hand'], lang)} |" for q, v in summary["questions"].items()]
    lines += ["", f"## {say('summary.rates')}", "", say("summary.rates_head"), "|---|---|---|"]
    lines += [f"| {c} | {_percent(100 * v['pass_rate'], lang)} | {v.get('passed', '')} / {v.get('students', '')} |"
              for c, v in summary["checks"].items()]
    if summary["commonest_mistakes"]:
        lines += ["", f"## {say('summary.mistakes')}", "", say("summary.mistakes_head"), "|---|---|---|"]
        lines += [f"| {m['mistake']} | {m['students']} | {m['hint']} |" for m in summary["commonest_mistakes"]]
    if summary.get("older_version"):
        older = summary["older_version"]
        lines += ["", f"## {say('summary.older')}", "",
                  say("summary.older_text", n=len(older["students"]), students=students(len(older["students"])),
                      ids=joined(older["students"], "comma"), command=older["regrade"])]
    if summary.get("other_worksheets"):
        lines += ["", f"## {say('summary.foreign')}", ""]
        lines += [say("summary.foreign_text", n=len(ids), worksheet=other, ids=joined(ids, "comma"))
                  for other, ids in summary["other_worksheets"].items()]
    similar = summary.get("similarity") or {}
    if similar.get("pairs"):
        lines += ["", f"## {say('summary.similarity')}", "",
                  say("summary.similarity_text", n=len(similar["pairs"]), compared=similar["compared"],
                      median=_percent(100 * similar["median"], lang), threshold=_percent(100 * similar["threshold"], lang)),
                  "", say("summary.similarity_head"), "|---|---|---|"]
        lines += [f"| {p['a']} | {p['b']} | {_percent(100 * p['similarity'], lang)} |" for p in similar["pairs"][:20]]
    if summary.get("notes"):
        lines += ["", f"## {say('summary.notes')}", ""] + [f"- {text(n, lang)}" for n in summary["notes"]]
    if summary["discovery_problems"] or summary["unreadable"]:
        lines += ["", f"## {say('summary.inputs')}", ""]
        lines += [f"- {text(p, lang)}" for p in summary["discovery_problems"]]
        lines += [f"- {u['student_id']}{_colon(lang)} {text(u['message'], lang)}" for u in summary["unreadable"]]
    if summary["not_graded"]:
        lines += ["", f"## {say('summary.errors')}", ""]
        lines += [f"- {u['student_id']}{_colon(lang)} {text(u['message'], lang)}" for u in summary["not_graded"]]
    return "\n".join(lines) + "\n"


def _colon(lang: str) -> str:
    return text(Msg("label.colon", {}), lang)
