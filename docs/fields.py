"""Every key of a worksheet, with its default and what it does, as markdown: the reference part of
docs/writing-a-worksheet.md, made from the models themselves so that it cannot drift from them.

    python docs/fields.py          # print it
    python docs/fields.py --write  # put it in the guide, between its two markers

A test fails when the guide's copy differs from what this prints.
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path

from pydantic import BaseModel

from grader.judge.kinds import KINDS
from grader.wire.limits import Limits
from grader.worksheet import checkbase, generators
from grader.worksheet.models import Question, Worksheet

GUIDE = Path(__file__).with_name("writing-a-worksheet.md")
START = "<!-- fields: made by `python docs/fields.py --write` from the models; do not edit by hand -->"
END = "<!-- end of fields -->"

NAMED = {Worksheet: "the worksheet (top level)", checkbase.Tolerance: "tolerance", Limits: "limits",
         checkbase.SymbolSpec: "symbols.NAME", Question: "questions", checkbase.Part: "part",
         checkbase.Step: "step", checkbase.Formula: "formula", checkbase.Shrink: "shrink",
         checkbase.GradientCheck: "gradient_check"}
SIMPLE = {str: "text", int: "integer", float: "number", bool: "true or false", typing.Any: "any value"}


def anchor(title: str) -> str:
    """The link GitHub makes for a heading."""
    return "#" + "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def type_text(annotation: object) -> str:
    """A field's type, in words: `list of step`, `table of generator`, `"normal" or "uniform"`."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation in SIMPLE:
        return SIMPLE[annotation]
    if annotation is generators.Generator or (origin is typing.Annotated and args[0] is typing.get_args(generators.Generator)[0]):
        return "[generator](#generators)"
    if origin is typing.Annotated:
        return "[check](#checks)"
    if origin is typing.Literal:
        return " or ".join(f"`{a!r}`".replace("'", '"') for a in args)
    if origin is typing.Union:
        kept = [a for a in args if a is not type(None)]
        return " or ".join(type_text(a) for a in kept)
    if origin is list:
        return f"list of {type_text(args[0])}"
    if origin is dict:
        return f"table of {type_text(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        title = NAMED.get(annotation, annotation.__name__)
        return f"[{title}]({anchor(title)})"
    return str(annotation)


def default_text(field: typing.Any) -> str:
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "none"
    if isinstance(value, BaseModel):
        return "see below"
    if value in ([], {}):
        return "empty"
    return f"`{value!r}`".replace("'", '"').replace("True", "true").replace("False", "false")


def table(model: type[BaseModel], skip: tuple[type[BaseModel], ...] = (), without: tuple[str, ...] = ()) -> list[str]:
    """A model's keys (less those of ``skip``, its bases documented elsewhere)."""
    inherited = {name for base in skip for name in base.model_fields}
    rows = ["| key | type | default | what |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        if field.exclude or name in inherited or name in without:
            continue
        what = (field.description or "").replace("|", "\\|")
        assert what, f"{model.__name__}.{name} has no description"
        rows.append(f"| `{name}` | {type_text(field.annotation)} | {default_text(field)} | {what} |")
    return rows


def section(title: str, model: type[BaseModel], intro: str = "", **kwargs: typing.Any) -> list[str]:
    lines = [f"### {title}", ""]
    if intro:
        lines += [intro.replace("``", "`"), ""]
    return lines + table(model, **kwargs) + [""]


def reference() -> str:
    """The whole reference, as markdown."""
    called = checkbase.CalledCheck
    lines = [START, ""]
    lines += section(NAMED[Worksheet], Worksheet, "Besides these, `[shared.NAME]` tables hold check keys that "
                     "checks take with `use = \"NAME\"` (or a list of names; see above).")
    for model in (checkbase.Tolerance, Limits, checkbase.SymbolSpec, Question):
        lines += section(NAMED[model], model, (model.__doc__ or "").strip().split("\n")[0])
    lines += section("checks", checkbase.BaseCheck, "Keys of every check, whatever its kind (`kind` says which; "
                     "`use` takes shared keys).")
    lines += section("checks that call functions", called, "Keys of the `compare`, `pipeline`, `property` and "
                     "`statistical` checks, besides those above.", skip=(checkbase.BaseCheck,))
    for name, kind in KINDS.items():
        base = called if issubclass(kind.model, called) else checkbase.BaseCheck
        lines += section(f'kind = "{name}"', kind.model, (kind.model.__doc__ or "").strip().split("\n")[0],
                         skip=(base,), without=("kind",))
    for model in (checkbase.Part, checkbase.Step, checkbase.Formula, checkbase.Shrink, checkbase.GradientCheck):
        lines += section(NAMED[model], model, (model.__doc__ or "").strip().split("\n")[0])
    lines += ["### generators", "", "An input's generator: `NAME = { kind = \"...\", ... }`.", ""]
    for model in typing.get_args(typing.get_args(generators.Generator)[0]):
        kind = typing.get_args(model.model_fields["kind"].annotation)[0]
        lines += [f"#### kind = \"{kind}\"", "", (model.__doc__ or "").strip().split("\n")[0].replace("``", "`"), ""]
        if len(model.model_fields) > 1:
            lines += table(model, without=("kind",)) + [""]
    return "\n".join(lines + [END])


def written(guide: str) -> str:
    """The guide with its reference part replaced by a fresh one."""
    head, _, rest = guide.partition(START)
    _, _, tail = rest.partition(END)
    return head + reference() + tail


if __name__ == "__main__":
    if "--write" in sys.argv:
        GUIDE.write_text(written(GUIDE.read_text()))
    else:
        print(reference())
