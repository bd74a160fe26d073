"""The expression language of contract schedules: small, safe, compiled to SQLGlot.

Conditions and filters in a schedule (``wait_seconds <= 20s AND channel =
'voice'``) are written in this language. The text is tokenised and parsed
here, by a grammar that only knows:

* column names of the declared source (``"odd name"`` quotes one), literals
  (numbers, ``'text'``, ``true``, ``false``, ``null``);
* comparisons ``= != <> < <= > >=``, ``AND``, ``OR``, ``NOT``, ``IN (...)``,
  ``IS [NOT] NULL``, ``[NOT] BETWEEN a AND b``, arithmetic ``+ - * / %``;
* durations, as numbers of seconds: ``20s``, ``4h``, ``90 minutes``, ``2 days``,
  and business durations ``4 business hours``, ``2 business days`` (a business
  day is the calendar's usual working day, e.g. 8 hours);
* a short list of functions (:data:`FUNCTIONS`).

Division and remainder by zero give null (the same on every engine), ``/`` is
true division, and comparing with the literal ``null`` is rejected in favour of
``IS [NOT] NULL``. Comments (``--``) are not part of the language.

Anything else is rejected with its position before any data is read. The tree
is type-checked against the source's declared column types and compiled into
SQLGlot expression objects (identifiers quoted, literals as literals), so user
text never reaches SQL as text and the same tree can be generated for any
engine SQLGlot targets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlglot import exp

__all__ = [
    "FUNCTIONS",
    "ColumnType",
    "Expression",
    "ExpressionError",
    "Scope",
    "Type",
]

ColumnType = Literal["string", "integer", "float", "boolean", "timestamp"]
COLUMN_TYPES: tuple[str, ...] = ("string", "integer", "float", "boolean", "timestamp")
MAX_LENGTH = 2000
MAX_DEPTH = 40  # brackets, NOT, signs and function calls inside one another
MAX_HEIGHT = 100  # operators in the longest path of the tree (SQL generators recurse)

_UNITS: dict[str, float] = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
}  # fmt: skip
_KEYWORDS = {"and", "or", "not", "in", "is", "null", "true", "false", "between", "business"}


class ExpressionError(ValueError):
    """An expression is not valid; ``position`` is the 0-based character it concerns."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        super().__init__(
            message if position is None else f"{message} (at character {position + 1})"
        )


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Type:
    """The type of an expression; numbers may carry what time they measure."""

    base: Literal["number", "string", "boolean", "timestamp", "null"]
    time: Literal["elapsed", "business"] | None = None

    def __str__(self) -> str:
        if self.time == "business":
            return "business time"
        if self.time == "elapsed":
            return "elapsed time"
        return "text" if self.base == "string" else self.base


NUMBER = Type("number")
STRING = Type("string")
BOOLEAN = Type("boolean")
TIMESTAMP = Type("timestamp")
NULL = Type("null")
_COLUMN_TYPES: dict[str, Type] = {
    "string": STRING,
    "integer": NUMBER,
    "float": NUMBER,
    "boolean": BOOLEAN,
    "timestamp": TIMESTAMP,
}


class Scope(Protocol):
    """What an expression may refer to, and how references become SQL."""

    def column_type(self, name: str) -> str | None:
        """The declared type of a column (one of :data:`COLUMN_TYPES`), None if unknown."""

    def column(self, name: str) -> exp.Expr:
        """The SQL for a column reference."""

    def business_seconds(self, start: exp.Expr, end: exp.Expr) -> exp.Expr:
        """The SQL for business seconds between two instants (raise ExpressionError if none)."""

    def business_day_seconds(self) -> float:
        """Seconds of business time in one business day (raise ExpressionError if none)."""


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class _Token:
    kind: Literal["number", "string", "name", "quoted", "op", "end"]
    text: str
    position: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<string>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|<>|!=|==|[=<>+\-*/%(),])
    """,
    re.VERBOSE,
)


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            if text[position] in "'\"":
                raise ExpressionError("unterminated quote", position)
            raise ExpressionError(f"unexpected character {text[position]!r}", position)
        group = match.lastgroup
        assert group is not None
        if group == "op" and text.startswith("--", position):
            raise ExpressionError("comments ('--') are not allowed", position)
        if group != "space":
            tokens.append(_Token(group, match.group(), position))  # type: ignore[arg-type]
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# --------------------------------------------------------------------------- tree


@dataclass(frozen=True)
class Node:
    """A node of the parsed expression; ``position`` points into the text."""

    position: int


@dataclass(frozen=True)
class Constant(Node):
    value: float | int | str | bool | None


@dataclass(frozen=True)
class Duration(Node):
    amount: float
    unit: str
    business: bool


@dataclass(frozen=True)
class Column(Node):
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: Literal["-", "not"]
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class InList(Node):
    operand: Node
    items: tuple[Node, ...]
    negated: bool


@dataclass(frozen=True)
class IsNull(Node):
    operand: Node
    negated: bool


@dataclass(frozen=True)
class Between(Node):
    operand: Node
    low: Node
    high: Node
    negated: bool


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


def _children(node: Node) -> Iterator[Node]:
    for value in vars(node).values():
        if isinstance(value, Node):
            yield value
        elif isinstance(value, tuple):
            yield from (v for v in value if isinstance(v, Node))


def _check_height(root: Node) -> None:
    """Reject a tree taller than :data:`MAX_HEIGHT` (long chains like ``1 + 1 + ...``).

    Iterative, so a tall tree cannot exhaust the stack here; the compiler and
    the SQL generators recurse, so they only ever see bounded trees.
    """
    heights: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, visited = stack.pop()
        if not visited:
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
            continue
        height = 1 + max((heights[id(child)] for child in _children(node)), default=0)
        if height > MAX_HEIGHT:
            raise ExpressionError(
                f"the expression has too many operators in a row (at most {MAX_HEIGHT}; "
                "use IN (...) for a list of values)",
                node.position,
            )
        heights[id(node)] = height


def _is_literal(node: Node) -> bool:
    """A constant, a duration, or either with a sign."""
    if isinstance(node, Unary):
        return node.op == "-" and _is_literal(node.operand)
    return isinstance(node, Constant | Duration)


class _Parser:
    """Recursive descent over the token list; precedence from loose to tight."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenise(text)
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def at_end(self) -> bool:
        return self.token.kind == "end"

    def keyword(self, *words: str) -> bool:
        token = self.token
        return token.kind == "name" and token.text.lower() in words

    def op(self, *ops: str) -> bool:
        return self.token.kind == "op" and self.token.text in ops

    def advance(self) -> _Token:
        token = self.token
        self.index += 1
        return token

    def expect_op(self, op: str, what: str) -> _Token:
        if not self.op(op):
            raise self.error(f"expected {what}")
        return self.advance()

    def error(self, message: str) -> ExpressionError:
        token = self.token
        found = "the end" if token.kind == "end" else repr(token.text)
        return ExpressionError(f"{message}, found {found}", token.position)

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ExpressionError("the expression is empty", 0)
        node = self.disjunction()
        if not self.at_end():
            raise self.error("expected an operator or the end")
        _check_height(node)
        return node

    def nested(self, parse: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("the expression is nested too deeply", self.token.position)
        try:
            return parse()
        finally:
            self.depth -= 1

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.keyword("or"):
            position = self.advance().position
            node = Binary(position, "or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.keyword("and"):
            position = self.advance().position
            node = Binary(position, "and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.keyword("not"):
            position = self.advance().position
            return Unary(position, "not", self.nested(self.negation))
        return self.comparison()

    def comparison(self) -> Node:
        node = self.additive()
        if self.op("=", "==", "!=", "<>", "<", "<=", ">", ">="):
            token = self.advance()
            op = {"==": "=", "<>": "!="}.get(token.text, token.text)
            return Binary(token.position, op, node, self.additive())
        if self.keyword("is"):
            position = self.advance().position
            negated = False
            if self.keyword("not"):
                self.advance()
                negated = True
            if not self.keyword("null"):
                raise self.error("expected NULL after IS")
            self.advance()
            return IsNull(position, node, negated)
        negated = False
        if self.keyword("not"):
            negated = True
            self.advance()
            if not self.keyword("in", "between"):
                raise self.error("expected IN or BETWEEN after NOT")
        if self.keyword("in"):
            position = self.advance().position
            self.expect_op("(", "'(' after IN")
            items = [self.additive()]
            while self.op(","):
                self.advance()
                items.append(self.additive())
            self.expect_op(")", "',' or ')' in the IN list")
            return InList(position, node, tuple(items), negated)
        if self.keyword("between"):
            position = self.advance().position
            low = self.additive()
            if not self.keyword("and"):
                raise self.error("expected AND in BETWEEN")
            self.advance()
            return Between(position, node, low, self.additive(), negated)
        return node

    def additive(self) -> Node:
        node = self.multiplicative()
        while self.op("+", "-"):
            token = self.advance()
            node = Binary(token.position, token.text, node, self.multiplicative())
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while self.op("*", "/", "%"):
            token = self.advance()
            node = Binary(token.position, token.text, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.op("-"):
            position = self.advance().position
            return Unary(position, "-", self.nested(self.unary))
        if self.op("+"):
            self.advance()
            return self.nested(self.unary)
        return self.atom()

    def atom(self) -> Node:
        token = self.token
        if token.kind == "number":
            return self.number()
        if token.kind == "string":
            self.advance()
            return Constant(token.position, token.text[1:-1].replace("''", "'"))
        if token.kind == "quoted":
            if token.text == '""':
                raise ExpressionError("a quoted column name cannot be empty", token.position)
            self.advance()
            return Column(token.position, token.text[1:-1].replace('""', '"'))
        if self.op("("):
            self.advance()
            node = self.nested(self.disjunction)
            self.expect_op(")", "')'")
            return node
        if token.kind == "name":
            word = token.text.lower()
            if word in ("true", "false"):
                self.advance()
                return Constant(token.position, word == "true")
            if word == "null":
                self.advance()
                return Constant(token.position, None)
            if word in _KEYWORDS:
                raise self.error("expected a value")
            self.advance()
            if self.op("("):
                return self.call(token)
            return Column(token.position, token.text)
        raise self.error("expected a value")

    def number(self) -> Node:
        token = self.advance()
        amount: int | float
        if token.text.isdigit():
            amount = int(token.text)  # exact, however long
        else:
            value = float(token.text)
            if not math.isfinite(value):
                raise ExpressionError("the number is too large", token.position)
            amount = int(value) if value.is_integer() and "e" not in token.text.lower() else value
        # A unit glued to the number ("4h") or after it ("4 hours", "2 business days").
        following = self.token
        business = False
        if self.keyword("business"):
            business = True
            self.advance()
            following = self.token
            if not (following.kind == "name" and following.text.lower() in _UNITS):
                raise self.error("expected a unit after 'business' (hours, days...)")
        if following.kind == "name" and following.text.lower() in _UNITS:
            self.advance()
            return Duration(token.position, float(amount), following.text.lower(), business)
        return Constant(token.position, amount)

    def call(self, name: _Token) -> Node:
        self.expect_op("(", "'('")
        args: list[Node] = []
        if not self.op(")"):
            args.append(self.nested(self.disjunction))
            while self.op(","):
                self.advance()
                args.append(self.nested(self.disjunction))
        self.expect_op(")", "',' or ')' after the arguments")
        return Call(name.position, name.text.lower(), tuple(args))


# --------------------------------------------------------------------------- compiling


@dataclass(frozen=True)
class _Function:
    arity: tuple[int, int | None]  # least and most arguments (None: any number)
    doc: str


FUNCTIONS: Mapping[str, _Function] = {
    "business_seconds": _Function((2, 2), "business seconds between two instants"),
    "elapsed_seconds": _Function((2, 2), "elapsed seconds between two instants"),
    "coalesce": _Function((2, None), "the first argument that is not null"),
    "abs": _Function((1, 1), "absolute value"),
    "round": _Function((1, 2), "round to n decimals (default 0)"),
    "least": _Function((2, None), "the smallest argument"),
    "greatest": _Function((2, None), "the largest argument"),
    "lower": _Function((1, 1), "text in lower case"),
    "upper": _Function((1, 1), "text in upper case"),
    "trim": _Function((1, 1), "text without surrounding spaces"),
}

_COMPARE: dict[str, type[exp.Expr]] = {
    "=": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}
_ARITHMETIC: dict[str, type[exp.Expr]] = {
    "+": exp.Add,
    "-": exp.Sub,
    "*": exp.Mul,
    "%": exp.Mod,
}


def _comparable(a: Type, b: Type) -> bool:
    if NULL in (a, b):
        return True
    if a.base != b.base:
        return False
    return not (a.time and b.time and a.time != b.time)


def _elapsed_seconds(start: exp.Expr, end: exp.Expr) -> exp.Expr:
    """Seconds from ``start`` to ``end``, exact to the microsecond.

    The difference is taken in integer microseconds and only then made a
    double: epoch seconds as doubles (about 1.7e9) keep only about 0.2 us, so
    subtracting those would lose sub-second digits.
    """
    difference = exp.Sub(this=exp.UnixMicros(this=end), expression=exp.UnixMicros(this=start))
    return exp.Paren(
        this=exp.Div(
            this=exp.Cast(this=exp.Paren(this=difference), to=exp.DataType.build("double")),
            expression=exp.Literal.number(1_000_000),
        )
    )


def _is_whole_literal(node: Node) -> bool:
    if isinstance(node, Unary):
        return node.op == "-" and _is_whole_literal(node.operand)
    return (
        isinstance(node, Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    )


class _Compiler:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def _business_day_seconds(self, node: Node) -> float:
        try:
            return self.scope.business_day_seconds()
        except ExpressionError as exc:
            if exc.position is None:
                raise ExpressionError(exc.message, node.position) from None
            raise

    def _business_seconds(self, node: Node, start: exp.Expr, end: exp.Expr) -> exp.Expr:
        try:
            return self.scope.business_seconds(start, end)
        except ExpressionError as exc:
            if exc.position is None:
                raise ExpressionError(exc.message, node.position) from None
            raise

    def compile(self, node: Node) -> tuple[exp.Expr, Type]:
        method = getattr(self, f"_{type(node).__name__.lower()}")
        result: tuple[exp.Expr, Type] = method(node)
        return result

    def _constant(self, node: Constant) -> tuple[exp.Expr, Type]:
        value = node.value
        if value is None:
            return exp.Null(), NULL
        if isinstance(value, bool):
            return exp.Boolean(this=value), BOOLEAN
        if isinstance(value, str):
            return exp.Literal.string(value), STRING
        return exp.Literal.number(repr(value)), NUMBER

    def _duration(self, node: Duration) -> tuple[exp.Expr, Type]:
        if node.business:
            # Business time only means something with a calendar, in hours as in days.
            per_day = self._business_day_seconds(node)
            if node.unit in ("d", "day", "days", "w", "week", "weeks"):
                days = node.amount * (5 if node.unit.startswith("w") else 1)
                seconds = days * per_day
            else:
                seconds = node.amount * _UNITS[node.unit]
        else:
            seconds = node.amount * _UNITS[node.unit]
        if not math.isfinite(seconds):
            raise ExpressionError("the duration is too long", node.position)
        time: Literal["elapsed", "business"] = "business" if node.business else "elapsed"
        return exp.Literal.number(repr(seconds)), Type("number", time)

    def _column(self, node: Column) -> tuple[exp.Expr, Type]:
        declared = self.scope.column_type(node.name)
        if declared is None:
            raise ExpressionError(f"unknown column {node.name!r}", node.position)
        return self.scope.column(node.name), _COLUMN_TYPES[declared]

    def _unary(self, node: Unary) -> tuple[exp.Expr, Type]:
        operand, kind = self.compile(node.operand)
        if node.op == "not":
            self._require(kind, BOOLEAN, node.operand, "NOT needs a condition")
            return exp.Not(this=exp.Paren(this=operand)), BOOLEAN
        self._require(kind, NUMBER, node.operand, "'-' needs a number")
        return exp.Neg(this=exp.Paren(this=operand)), kind

    def _binary(self, node: Binary) -> tuple[exp.Expr, Type]:
        left, lt = self.compile(node.left)
        right, rt = self.compile(node.right)
        if node.op in ("and", "or"):
            self._require(lt, BOOLEAN, node.left, f"{node.op.upper()} joins conditions")
            self._require(rt, BOOLEAN, node.right, f"{node.op.upper()} joins conditions")
            cls = exp.And if node.op == "and" else exp.Or
            return cls(this=exp.Paren(this=left), expression=exp.Paren(this=right)), BOOLEAN
        if node.op in _COMPARE:
            for side in (node.left, node.right):
                if isinstance(side, Constant) and side.value is None:
                    raise ExpressionError(
                        "a comparison with null is never true: use IS NULL or IS NOT NULL",
                        side.position,
                    )
            if not _comparable(lt, rt):
                raise ExpressionError(f"cannot compare {lt} with {rt}", node.position)
            if lt.base == "boolean" and node.op not in ("=", "!="):
                raise ExpressionError("true/false can only be compared with = or !=", node.position)
            return _COMPARE[node.op](this=left, expression=right), BOOLEAN
        # Arithmetic on numbers. A result still measures time when one side
        # does (4h * 2, 4h / 2, 1h + 30min); elapsed and business time never mix.
        self._require(lt, NUMBER, node.left, f"'{node.op}' needs numbers", timestamps=True)
        self._require(rt, NUMBER, node.right, f"'{node.op}' needs numbers", timestamps=True)
        if lt.time and rt.time and lt.time != rt.time:
            raise ExpressionError(f"cannot combine {lt} with {rt}", node.position)
        if node.op in ("+", "-"):
            time = lt.time or rt.time
        elif node.op == "*":
            time = lt.time if rt.time is None else rt.time if lt.time is None else None
        elif node.op == "/":
            time = lt.time if rt.time is None else None
        else:
            time = lt.time
        if node.op in ("/", "%"):
            # By zero: null, on every engine (left alone, DuckDB gives inf for / and
            # fails for %, PostgreSQL fails for both).
            divisor = right
            if not (isinstance(node.right, Constant) and node.right.value):
                divisor = exp.Nullif(this=right, expression=exp.Literal.number(0))
            if node.op == "/":
                double = exp.DataType.build("double")
                result: exp.Expr = exp.Div(this=exp.Cast(this=left, to=double), expression=divisor)
            else:
                result = exp.Mod(this=left, expression=divisor)
        else:
            result = _ARITHMETIC[node.op](this=left, expression=right)
        return exp.Paren(this=result), Type("number", time)

    def _inlist(self, node: InList) -> tuple[exp.Expr, Type]:
        operand, kind = self.compile(node.operand)
        items = []
        for item in node.items:
            if not _is_literal(item):
                raise ExpressionError("IN lists hold literal values", item.position)
            value, item_kind = self.compile(item)
            if item_kind == NULL:
                raise ExpressionError("use IS NULL, not IN (null)", item.position)
            if not _comparable(kind, item_kind):
                raise ExpressionError(f"cannot compare {kind} with {item_kind}", item.position)
            items.append(value)
        result: exp.Expr = exp.In(this=operand, expressions=items)
        return (exp.Not(this=exp.Paren(this=result)) if node.negated else result), BOOLEAN

    def _isnull(self, node: IsNull) -> tuple[exp.Expr, Type]:
        operand, _ = self.compile(node.operand)
        result: exp.Expr = exp.Is(this=operand, expression=exp.Null())
        return (exp.Not(this=exp.Paren(this=result)) if node.negated else result), BOOLEAN

    def _between(self, node: Between) -> tuple[exp.Expr, Type]:
        operand, kind = self.compile(node.operand)
        low, low_kind = self.compile(node.low)
        high, high_kind = self.compile(node.high)
        for bound, bound_kind in ((node.low, low_kind), (node.high, high_kind)):
            if not _comparable(kind, bound_kind):
                raise ExpressionError(f"cannot compare {kind} with {bound_kind}", bound.position)
        if not _comparable(low_kind, high_kind):  # between 1h and 1 business hours
            raise ExpressionError(f"cannot compare {low_kind} with {high_kind}", node.high.position)
        result: exp.Expr = exp.Between(this=operand, low=low, high=high)
        return (exp.Not(this=exp.Paren(this=result)) if node.negated else result), BOOLEAN

    def _call(self, node: Call) -> tuple[exp.Expr, Type]:
        function = FUNCTIONS.get(node.name)
        if function is None:
            names = ", ".join(sorted(FUNCTIONS))
            raise ExpressionError(f"unknown function {node.name!r} (known: {names})", node.position)
        least, most = function.arity
        if len(node.args) < least or (most is not None and len(node.args) > most):
            count = (
                str(least) if least == most else f"{least}+" if most is None else f"{least}-{most}"
            )
            raise ExpressionError(f"{node.name}() takes {count} arguments", node.position)
        compiled = [self.compile(arg) for arg in node.args]
        args = [sql for sql, _ in compiled]
        kinds = [kind for _, kind in compiled]
        if node.name in ("business_seconds", "elapsed_seconds"):
            for arg, kind in zip(node.args, kinds, strict=True):
                self._require(kind, TIMESTAMP, arg, f"{node.name}() needs two timestamps")
            # A bare null has no type for the engine to pick a function by.
            args = [
                exp.Cast(this=sql, to=exp.DataType.build("timestamp")) if kind == NULL else sql
                for sql, kind in zip(args, kinds, strict=True)
            ]
            if node.name == "business_seconds":
                sql = self._business_seconds(node, args[0], args[1])
                return sql, Type("number", "business")
            return _elapsed_seconds(args[0], args[1]), Type("number", "elapsed")
        if node.name in ("lower", "upper", "trim"):
            self._require(kinds[0], STRING, node.args[0], f"{node.name}() needs text")
            text_functions: dict[str, type[exp.Func]] = {
                "lower": exp.Lower,
                "upper": exp.Upper,
                "trim": exp.Trim,
            }
            return text_functions[node.name](this=args[0]), STRING
        if node.name in ("abs", "round"):
            self._require(kinds[0], NUMBER, node.args[0], f"{node.name}() needs a number")
            if node.name == "abs":
                return exp.Abs(this=args[0]), kinds[0]
            if len(args) == 2 and not _is_whole_literal(node.args[1]):
                raise ExpressionError(
                    "round() takes a literal whole number of decimals", node.args[1].position
                )
            return exp.Round(this=args[0], decimals=args[1] if len(args) == 2 else None), kinds[0]
        # coalesce, least, greatest: arguments of one type.
        kind = next((k for k in kinds if k != NULL), NULL)
        for arg, arg_kind in zip(node.args, kinds, strict=True):
            if not _comparable(kind, arg_kind):
                raise ExpressionError(f"{node.name}() mixes {kind} and {arg_kind}", arg.position)
        # The result measures time when any argument does (coalesce(x, 20s)).
        time = next((k.time for k in kinds if k.time is not None), None)
        kind = Type(kind.base, time) if kind != NULL else NULL
        variadic: dict[str, type[exp.Func]] = {
            "coalesce": exp.Coalesce,
            "least": exp.Least,
            "greatest": exp.Greatest,
        }
        return variadic[node.name](this=args[0], expressions=args[1:]), kind

    @staticmethod
    def _require(
        actual: Type, wanted: Type, node: Node, message: str, *, timestamps: bool = False
    ) -> None:
        if actual.base == wanted.base or actual == NULL:
            return
        hint = ""
        if timestamps and actual == TIMESTAMP:
            hint = " (use elapsed_seconds(start, end) or business_seconds(start, end))"
        raise ExpressionError(f"{message}, not {actual}{hint}", node.position)


# --------------------------------------------------------------------------- public


@dataclass(frozen=True)
class Expression:
    """A parsed expression: the text as written and its syntax tree."""

    text: str
    tree: Node

    @classmethod
    def parse(cls, text: str) -> Expression:
        """Parse ``text``; raise :class:`ExpressionError` with the position if it is invalid."""
        if len(text) > MAX_LENGTH:
            raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
        return cls(text, _Parser(text).parse())

    def columns(self) -> set[str]:
        """Every column the expression names."""
        found: set[str] = set()
        stack: list[Node] = [self.tree]
        while stack:
            node = stack.pop()
            if isinstance(node, Column):
                found.add(node.name)
            stack.extend(_children(node))
        return found

    def compile(self, scope: Scope) -> tuple[exp.Expr, Type]:
        """Type-check against ``scope`` and build the SQLGlot expression."""
        return _Compiler(scope).compile(self.tree)

    def compile_condition(self, scope: Scope) -> exp.Expr:
        """Compile an expression that must be a condition (true/false)."""
        sql, kind = self.compile(scope)
        if kind.base not in ("boolean", "null"):
            raise ExpressionError(f"expected a condition (true/false), not {kind}", 0)
        return sql

    def compile_number(self, scope: Scope) -> tuple[exp.Expr, Type]:
        """Compile an expression that must be a number."""
        sql, kind = self.compile(scope)
        if kind.base not in ("number", "null"):
            raise ExpressionError(f"expected a number, not {kind}", 0)
        return sql, kind
