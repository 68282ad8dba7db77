"""Formula answers: a restricted parser to SymPy, and equivalence under the symbols' assumptions.

Strings (``"2/(lambda_min + lambda_max)"``) and SymPy expressions sent by the child (as ``srepr``
text) are read by walking Python's ``ast`` with an allow-list: numbers, the worksheet's symbols,
+ - * / **, and calls of a few math functions. Nothing is ever evaluated by Python's ``eval`` or
SymPy's ``sympify``; attributes, subscripts, keywords (except Symbol's assumptions in ``srepr``),
huge exponents and long texts are refused. SymPy itself is imported only here, on demand.
"""

from __future__ import annotations

import ast
import math
import random
from typing import Any, Mapping, Optional

MAX_CHARS = 400
MAX_EXPONENT = 100
MAX_NODES = 200
FUNCTIONS = ("sqrt", "exp", "log", "sin", "cos", "tan", "Abs", "Min", "Max")
ALIASES = {"abs": "Abs", "min": "Min", "max": "Max", "ln": "log"}
SREPR_ATOMS = {"pi": "pi", "E": "E", "Half": None, "One": None, "Zero": None, "NegativeOne": None}


class FormulaError(ValueError):
    """A formula that is refused (unsafe, unknown name, too big) or cannot be read."""


def check_syntax(text: str, names: set[str]) -> None:
    """Validate a formula without SymPy (used when a spec loads)."""
    _Walker(None, {n: None for n in names}, srepr=False).read(text)


def parse(text: str, symbols: Mapping[str, Any], *, srepr: bool = False) -> Any:
    """A SymPy expression from ``text``; ``symbols`` maps names to SymPy symbols."""
    import sympy

    return _Walker(sympy, dict(symbols), srepr=srepr).read(text)


class _Walker:
    def __init__(self, sympy: Any, symbols: dict[str, Any], *, srepr: bool) -> None:
        self.sp, self.symbols, self.srepr, self.nodes = sympy, symbols, srepr, 0

    def read(self, text: str) -> Any:
        if not isinstance(text, str):
            raise FormulaError("a formula must be a string")
        if len(text) > MAX_CHARS * (10 if self.srepr else 1):
            raise FormulaError(f"the formula is longer than {MAX_CHARS} characters")
        try:
            tree = ast.parse(text.replace("^", "**") if not self.srepr else text, mode="eval")
        except SyntaxError as exc:
            raise FormulaError(f"not a formula: {exc.msg}") from None
        return self.node(tree.body)

    def node(self, n: ast.AST) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES * (10 if self.srepr else 1):
            raise FormulaError("the formula is too large")
        sp = self.sp
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool):
            if isinstance(n.value, int) and abs(n.value) > 10**30:
                raise FormulaError("a number in the formula is too large")
            return None if sp is None else (sp.Integer(n.value) if isinstance(n.value, int) else sp.Float(n.value))
        if isinstance(n, ast.Name):
            if n.id in self.symbols:
                return self.symbols[n.id]
            if n.id in ("pi", "E") and (not self.srepr or n.id in SREPR_ATOMS):
                return None if sp is None else getattr(sp, n.id)
            raise FormulaError(f"unknown name {n.id!r} (known: {', '.join(sorted(self.symbols))})")
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.UAdd, ast.USub)):
            value = self.node(n.operand)
            return None if sp is None else (-value if isinstance(n.op, ast.USub) else value)
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            left, right = self.node(n.left), self.node(n.right)
            if isinstance(n.op, ast.Pow):
                self._check_exponent(n.right, right)
            if sp is None:
                return None
            return {ast.Add: lambda: left + right, ast.Sub: lambda: left - right, ast.Mult: lambda: left * right,
                    ast.Div: lambda: left / right, ast.Pow: lambda: sp.Pow(left, right)}[type(n.op)]()
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            return self.call(n)
        if isinstance(n, ast.Call):
            raise FormulaError("only calls of math functions are allowed in a formula")
        if isinstance(n, ast.Attribute):
            raise FormulaError("attribute access is not allowed in a formula")
        raise FormulaError(f"not allowed in a formula: {type(n).__name__}")

    def _check_exponent(self, node: ast.AST, value: Any) -> None:
        number = None
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            number = node.value
        elif value is not None and getattr(value, "is_Number", False):
            number = float(value)
        if number is not None and abs(number) > MAX_EXPONENT:
            raise FormulaError(f"exponent {number:g} is too large (at most {MAX_EXPONENT})")

    def call(self, n: ast.Call) -> Any:
        name = ALIASES.get(n.func.id, n.func.id)
        sp = self.sp
        if self.srepr and name == "Symbol":
            if not n.args or not isinstance(n.args[0], ast.Constant) or not isinstance(n.args[0].value, str):
                raise FormulaError("bad Symbol")
            symbol = n.args[0].value
            if symbol not in self.symbols:
                raise FormulaError(f"unknown symbol {symbol!r} (known: {', '.join(sorted(self.symbols))})")
            return self.symbols[symbol]
        if n.keywords:
            raise FormulaError("keyword arguments are not allowed in a formula")
        if self.srepr and name in ("Integer", "Float", "Rational"):
            values = [v for v in map(_literal, n.args) if v is not None]
            if len(values) != len(n.args) or not values:
                raise FormulaError(f"bad {name}")
            if any(isinstance(v, int) and abs(v) > 10**30 for v in values):
                raise FormulaError("a number in the formula is too large")
            if name == "Float":
                return sp.Float(str(values[0]))
            return sp.Integer(values[0]) if name == "Integer" else sp.Rational(values[0], values[1])
        if self.srepr and name in SREPR_ATOMS and not n.args:
            return {"Half": sp.Rational(1, 2), "One": sp.Integer(1), "Zero": sp.Integer(0),
                    "NegativeOne": sp.Integer(-1), "pi": sp.pi, "E": sp.E}[name]
        args = [self.node(a) for a in n.args]
        if self.srepr and name in ("Add", "Mul", "Pow"):
            if name == "Pow" and len(args) == 2:
                self._check_exponent(n.args[1], args[1])
            return None if sp is None else getattr(sp, name)(*args)
        if name not in FUNCTIONS:
            raise FormulaError(f"function {n.func.id}() is not allowed (allowed: {', '.join(FUNCTIONS)})")
        return None if sp is None else getattr(sp, name)(*args)


def _literal(node: ast.AST) -> Any:
    """A number or string literal, with an optional minus sign; None otherwise."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal(node.operand)
        return -inner if isinstance(inner, (int, float)) else None
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)) and not isinstance(node.value, bool):
        return node.value
    return None


def make_symbols(spec: Mapping[str, Any]) -> dict[str, Any]:
    """SymPy symbols with the worksheet's assumptions."""
    import sympy

    return {name: sympy.Symbol(name, positive=s.positive or None, integer=s.integer or None, real=True)
            for name, s in spec.items()}


def equivalent(expected: Any, actual: Any, symbols: Mapping[str, Any], assumptions: Mapping[str, Any], *,
               samples: int = 24, seed: int = 0) -> tuple[bool, str]:
    """Equal under the assumptions? SymPy first, then numeric sampling when it is inconclusive."""
    import sympy

    try:
        difference = sympy.simplify(expected - actual)
        if difference == 0:
            return True, "equivalent"
    except Exception:  # simplification can fail on odd inputs: sampling decides
        difference = None
    rng = random.Random(seed)
    free = sorted((expected - actual).free_symbols, key=lambda s: s.name)
    for _ in range(samples):
        point = {}
        for s in free:
            a = assumptions.get(s.name)
            if a is not None and a.integer:
                point[s] = rng.randint(1, 40)
            elif a is not None and a.positive:
                point[s] = math.exp(rng.uniform(math.log(0.05), math.log(20)))
            else:
                point[s] = rng.uniform(-5, 5)
        try:
            e = complex(sympy.N(expected.subs(point)))
            v = complex(sympy.N(actual.subs(point)))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not (abs(e - v) <= 1e-9 + 1e-9 * abs(e)):
            where = ", ".join(f"{k.name}={float(x):.4g}" for k, x in point.items())
            return False, f"differs at {where}: gives {v.real:.6g} instead of {e.real:.6g}"
    return True, "equivalent (checked numerically)"


def answer_text(value: Any) -> Optional[str]:
    """How the formula answer is shown: a string as is, a SymPy expression by its srepr."""
    return value if isinstance(value, str) else getattr(value, "srepr", None)
