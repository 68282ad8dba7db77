"""Formula answers: a restricted parser, compiled to plain float arithmetic (``formula_points.py`` draws
the points where formulas are compared).

Strings (``"2/sqrt(d + n_h)"``, or a plain number) and SymPy expressions sent by the
child (as ``srepr`` text) are read by walking Python's ``ast`` with an allow-list: numbers, the
worksheet's symbols, + - * / **, and calls of a few math functions. Nothing is ever evaluated by
Python's ``eval`` or SymPy's ``sympify``, and SymPy is not needed at all: a formula becomes a
function of a point (a value per symbol) computed in floats, where every operation is bounded in
time (a float overflows, it never grows). Attributes, subscripts, keywords (except Symbol's
assumptions and Float's precision in ``srepr``), huge exponents and long texts are refused.

Two formulas are the same answer when they agree at sample points of the worksheet's domain:
each symbol drawn under its assumptions (positive, integer) and the points kept only where the
worksheet's relations hold (``lambda_min <= lambda_max``), so that ``Abs(kappa - 1)`` is judged
where ``kappa >= 1``, as the question means it.
"""

from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Sequence

from ..messages import Msg, english, joined, msg

MAX_CHARS = 400
MAX_EXPONENT = 100
MAX_NODES = 200
FUNCTIONS = ("sqrt", "exp", "log", "sin", "cos", "tan", "Abs", "Min", "Max")
ALIASES = {"abs": "Abs", "min": "Min", "max": "Max", "ln": "log"}
SREPR_ATOMS = {"Half": 0.5, "One": 1.0, "Zero": 0.0, "NegativeOne": -1.0}
CONSTANTS = {"pi": math.pi, "E": math.e}

Point = Mapping[str, float]
Evaluator = Callable[[Point], float]


class FormulaError(ValueError):
    """A formula that is refused (unsafe, unknown name, too big) or cannot be read: why, as a
    message (``str()`` words it in English)."""

    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(english(message))


def _real(value: Any) -> float:
    """A float, or NaN for what is not a real number (a complex power of a negative base)."""
    if isinstance(value, complex):
        return math.nan
    return float(value)


def _guard(function: Callable[..., Any]) -> Callable[..., float]:
    """``function`` on floats, NaN where it is undefined (a domain error, a division by zero) and
    inf where it overflows: a formula is a value at each point, never an exception."""
    def safe(*args: float) -> float:
        try:
            return _real(function(*args))
        except OverflowError:
            return math.inf
        except (ArithmeticError, ValueError, TypeError):
            return math.nan
    return safe


def _log(x: float, base: Optional[float] = None) -> float:
    return math.log(x) if base is None else math.log(x) / math.log(base)


_BINARY = {ast.Add: _guard(operator.add), ast.Sub: _guard(operator.sub), ast.Mult: _guard(operator.mul),
           ast.Div: _guard(operator.truediv), ast.Pow: _guard(operator.pow)}
_CALLS: dict[str, tuple[Callable[..., float], int, int]] = {  # name: (function, fewest and most arguments)
    "sqrt": (_guard(math.sqrt), 1, 1), "exp": (_guard(math.exp), 1, 1), "log": (_guard(_log), 1, 2),
    "sin": (_guard(math.sin), 1, 1), "cos": (_guard(math.cos), 1, 1), "tan": (_guard(math.tan), 1, 1),
    "Abs": (_guard(abs), 1, 1), "Min": (_guard(min), 1, 32), "Max": (_guard(max), 1, 32),
}
_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}


@dataclass(frozen=True)
class Compiled:
    """A formula read and checked: its text, the names it uses, and its value at a point."""

    text: str
    names: frozenset[str]
    evaluate: Evaluator

    def __call__(self, point: Point) -> float:
        return self.evaluate(point)


def compile_formula(text: str, names: Sequence[str] | set[str], *, srepr: bool = False) -> Compiled:
    """Read ``text`` (a formula in the worksheet's symbols ``names``, or SymPy's ``srepr``).

    Raises:
        FormulaError: the text is refused, with the reason.
    """
    walker = _Walker(set(names), srepr=srepr)
    evaluate = walker.read(text)
    return Compiled(text, frozenset(walker.used), evaluate)


def check_syntax(text: str, names: set[str]) -> None:
    """Validate a formula (used when a spec loads)."""
    compile_formula(text, names)


def compile_relation(text: str, names: Sequence[str] | set[str]) -> Compiled:
    """A relation between symbols, ``lambda_min <= lambda_max`` (chains allowed): 1.0 where it
    holds, 0.0 elsewhere.

    Raises:
        FormulaError: not a comparison of formulas.
    """
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(msg("formula.not_a_relation", error=exc.msg)) from None
    if not isinstance(tree, ast.Compare) or not all(type(op) in _COMPARE for op in tree.ops):
        raise FormulaError(msg("formula.relation_form"))
    walker = _Walker(set(names), srepr=False)
    sides = [walker.node(n) for n in (tree.left, *tree.comparators)]
    ops = [_COMPARE[type(op)] for op in tree.ops]

    def holds(point: Point) -> float:
        values = [side(point) for side in sides]
        return float(all(op(a, b) for op, a, b in zip(ops, values, values[1:])))
    return Compiled(text, frozenset(walker.used), holds)


class _Walker:
    """Turns an allowed ``ast`` into nested closures over a point; refuses everything else."""

    def __init__(self, names: set[str], *, srepr: bool) -> None:
        self.names, self.srepr, self.nodes = names, srepr, 0
        self.used: set[str] = set()
        self.refs = 0  # symbol references read so far: a subtree that adds none is a constant

    def read(self, text: Any) -> Evaluator:
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            raise FormulaError(msg("formula.type"))
        if not isinstance(text, str):
            if not math.isfinite(text) or abs(text) > 1e30:
                raise FormulaError(msg("formula.number_too_large"))
            value = float(text)
            return lambda point: value
        if len(text) > MAX_CHARS * (10 if self.srepr else 1):
            raise FormulaError(msg("formula.too_long", n=MAX_CHARS))
        try:
            tree = ast.parse(text.replace("^", "**") if not self.srepr else text, mode="eval")
        except SyntaxError as exc:
            raise FormulaError(msg("formula.syntax", error=exc.msg)) from None
        return self.node(tree.body)

    def node(self, n: ast.AST) -> Evaluator:
        self.nodes += 1
        if self.nodes > MAX_NODES * (10 if self.srepr else 1):
            raise FormulaError(msg("formula.too_large"))
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool):
            return self._number(n.value)
        if isinstance(n, ast.Name):
            return self._name(n.id)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.UAdd, ast.USub)):
            operand = self.node(n.operand)
            return (lambda p: -operand(p)) if isinstance(n.op, ast.USub) else operand
        if isinstance(n, ast.BinOp) and type(n.op) in _BINARY:
            left = self.node(n.left)
            refs = self.refs
            right = self.node(n.right)
            if isinstance(n.op, ast.Pow):
                self._check_exponent(right, constant=self.refs == refs)
            op = _BINARY[type(n.op)]
            return lambda p: op(left(p), right(p))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            return self.call(n)
        if isinstance(n, ast.Call):
            raise FormulaError(msg("formula.calls_only"))
        if isinstance(n, ast.Attribute):
            raise FormulaError(msg("formula.attribute"))
        raise FormulaError(msg("formula.not_allowed", node=type(n).__name__))

    @staticmethod
    def _number(value: Any) -> Evaluator:
        if isinstance(value, int) and abs(value) > 10**30:
            raise FormulaError(msg("formula.number_too_large"))
        number = float(value)
        return lambda p: number

    def _name(self, name: str) -> Evaluator:
        if name in self.names:
            self.used.add(name)
            self.refs += 1
            return lambda p: p[name]
        if name in CONSTANTS:
            return self._number(CONSTANTS[name])
        raise FormulaError(msg("formula.unknown_name", name=repr(name), known=joined(sorted(self.names), "comma")))

    @staticmethod
    def _check_exponent(exponent: Evaluator, constant: bool) -> None:
        """A constant exponent above ``MAX_EXPONENT`` is refused: no answer needs ``x**1000``, and
        a tower such as ``9**9**9**9`` is a probe, not a formula."""
        if not constant:
            return
        value = exponent({})
        if not math.isfinite(value) or abs(value) > MAX_EXPONENT:
            raise FormulaError(msg("formula.exponent", exponent=f"{value:g}", limit=MAX_EXPONENT))

    def call(self, n: ast.Call) -> Evaluator:
        name = ALIASES.get(n.func.id, n.func.id)  # type: ignore[attr-defined]
        if self.srepr:
            special = self._srepr_call(name, n)
            if special is not None:
                return special
        if n.keywords:
            raise FormulaError(msg("formula.keywords"))
        if name not in _CALLS:
            raise FormulaError(msg("formula.function", function=n.func.id,  # type: ignore[attr-defined]
                                   allowed=joined(list(FUNCTIONS), "comma")))
        function, fewest, most = _CALLS[name]
        if not fewest <= len(n.args) <= most:
            raise FormulaError(msg("formula.arguments", function=name, low=fewest, high=most) if fewest != most
                               else msg("formula.argument_count", function=name, n=most))
        args = [self.node(a) for a in n.args]
        return lambda p: function(*(a(p) for a in args))

    def _srepr_call(self, name: str, n: ast.Call) -> Optional[Evaluator]:
        """SymPy's own constructors in an ``srepr`` text: symbols, numbers, sums, products, powers."""
        if name == "Symbol":
            if not n.args or not isinstance(n.args[0], ast.Constant) or not isinstance(n.args[0].value, str):
                raise FormulaError(msg("formula.bad_node", node="Symbol"))
            return self._name(n.args[0].value)
        if name in ("Integer", "Float", "Rational"):
            keywords = {k.arg for k in n.keywords}
            if keywords - ({"precision"} if name == "Float" else set()):
                raise FormulaError(msg("formula.bad_node", node=name))
            values = [_literal(a) for a in n.args]
            if not values or any(v is None for v in values) or len(values) > 2:
                raise FormulaError(msg("formula.bad_node", node=name))
            if any(isinstance(v, int) and abs(v) > 10**30 for v in values):
                raise FormulaError(msg("formula.number_too_large"))
            try:
                if name == "Rational":
                    return self._number(values[0] / values[1] if len(values) == 2 else float(values[0]))
                return self._number(float(values[0]))
            except (ValueError, ZeroDivisionError, TypeError):
                raise FormulaError(msg("formula.bad_node", node=name)) from None
        if name in SREPR_ATOMS and not n.args:
            return self._number(SREPR_ATOMS[name])
        if name in ("Add", "Mul", "Pow"):
            if n.keywords or not n.args or (name == "Pow" and len(n.args) != 2):
                raise FormulaError(msg("formula.bad_node", node=name))
            if name == "Pow":
                base = self.node(n.args[0])
                refs = self.refs
                exponent = self.node(n.args[1])
                self._check_exponent(exponent, constant=self.refs == refs)
                power = _BINARY[ast.Pow]
                return lambda p: power(base(p), exponent(p))
            args = [self.node(a) for a in n.args]
            op = _BINARY[ast.Add if name == "Add" else ast.Mult]

            def fold(p: Point) -> float:
                total = args[0](p)
                for a in args[1:]:
                    total = op(total, a(p))
                return total
            return fold
        return None


def _literal(node: ast.AST) -> Any:
    """A number or string literal, with an optional minus sign; None otherwise."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal(node.operand)
        return -inner if isinstance(inner, (int, float)) else None
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)) and not isinstance(node.value, bool):
        return node.value
    return None


def answer_text(value: Any) -> Optional[str]:
    """How the formula answer is shown: a string or a number as is, a SymPy expression by its srepr."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return getattr(value, "srepr", None)
