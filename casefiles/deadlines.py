"""Statutory and practice deadlines computed from case events by configured rules.

Periods change with amendments (the death-sentence appeal went from 7 to 30
days in 2023) and some are still to be confirmed with the department, so no
period lives in code: each is a rule in `deadline_rules.toml` (or a file or
record an administrator supplies). This module only knows how to read rules,
check them, and do the date arithmetic against a `WorkingCalendar`.

A rule fires for one trigger event (``"fir_registered"``, ``"judgment"``, …)
when all its conditions hold over the caller's facts about the case; its due
date is the trigger date plus each duration part in turn (calendar days,
working days or calendar months), optionally moved to the next working day
when it falls on a weekend or holiday (Limitation Act s.4 style).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from mizan.clock import WorkingCalendar

__all__ = [
    "KINDS",
    "OPERATORS",
    "UNITS",
    "Condition",
    "ConfigError",
    "Deadline",
    "DurationPart",
    "Rule",
    "RuleSet",
    "add_months",
    "status",
]

#: Duration units a rule may use.
UNITS = ("calendar_days", "working_days", "months")
#: "hard": statutory; missing it has legal consequences. "kpi": a target that is
#: reported on, not enforced (ATA s.19(7)). "practice": no statute, a reminder.
KINDS = ("hard", "kpi", "practice")
#: Condition operators. A fact the caller did not supply counts as absent: the
#: positive operators are then false and the negative ones true.
OPERATORS = ("equals", "not_equals", "in", "not_in", "contains", "not_contains")

_RULE_FIELDS = {
    "id",
    "label",
    "trigger",
    "kind",
    "duration",
    "conditions",
    "roll_to_working_day",
    "uncertain",
    "note",
}
_REQUIRED = ("id", "label", "trigger", "kind", "duration")


class ConfigError(ValueError):
    """The deadline configuration cannot be used; the message names the rule and field."""


# -- arithmetic ------------------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    """Same day-of-month `n` months later, clamped to the month's last day.

    So 31 Aug + 6 months is 28 Feb (29 Feb in a leap year), the usual reading
    of a "month" as a calendar month (General Clauses Act).
    """
    months = d.year * 12 + (d.month - 1) + n
    year, month = divmod(months, 12)
    month += 1
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month, min(d.day, last_day))


# -- rule model ------------------------------------------------------------------------


@dataclass(frozen=True)
class DurationPart:
    amount: int
    unit: str

    def apply(self, d: date, calendar: WorkingCalendar) -> date:
        if self.unit == "calendar_days":
            return calendar.add_calendar_days(d, self.amount)
        if self.unit == "working_days":
            return calendar.add_working_days(d, self.amount)
        return add_months(d, self.amount)


def _as_members(value: object) -> tuple[object, ...]:
    """A fact seen as a collection: lists and sets as they are, a scalar as one item."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(value)
    return (value,)


@dataclass(frozen=True)
class Condition:
    fact: str
    op: str
    value: object

    def holds(self, facts: Mapping[str, object]) -> bool:
        present = facts.get(self.fact)
        if self.op == "equals":
            return present is not None and present == self.value
        if self.op == "not_equals":
            return present is None or present != self.value
        if self.op == "in":
            return present is not None and present in self.value  # type: ignore[operator]
        if self.op == "not_in":
            return present is None or present not in self.value  # type: ignore[operator]
        if self.op == "contains":
            return self.value in _as_members(present)
        return self.value not in _as_members(present)  # not_contains


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    trigger: str
    kind: str
    duration: tuple[DurationPart, ...]
    conditions: tuple[Condition, ...] = ()
    roll_to_working_day: bool = False
    uncertain: bool = False
    note: str = ""

    def applies(self, facts: Mapping[str, object]) -> bool:
        return all(c.holds(facts) for c in self.conditions)

    def due(self, on: date, calendar: WorkingCalendar) -> date:
        d = on
        for part in self.duration:
            d = part.apply(d, calendar)
        if self.roll_to_working_day:
            d = calendar.next_working_day(d)
        return d


@dataclass(frozen=True)
class Deadline:
    rule_id: str
    label: str
    due: date
    kind: str  # "hard" | "kpi" | "practice"
    trigger: str
    trigger_date: date
    uncertain: bool
    note: str


# -- validation ------------------------------------------------------------------------


class _Where:
    """Builds error messages that point at one rule, in plain words."""

    def __init__(self, index: int, rule_id: object, source: str) -> None:
        name = f'"{rule_id}"' if isinstance(rule_id, str) and rule_id else "(no id)"
        self.prefix = f"Deadline rule {name} (rule number {index} in {source})"

    def error(self, field: str, problem: str) -> ConfigError:
        return ConfigError(f'{self.prefix}, field "{field}": {problem}')


def _text(raw: Mapping[str, object], field: str, where: _Where, *, required: bool) -> str:
    value = raw.get(field, "")
    if not isinstance(value, str):
        raise where.error(field, f"must be text, not {type(value).__name__}")
    if required and not value.strip():
        raise where.error(field, "is empty")
    return value.strip()


def _flag(raw: Mapping[str, object], field: str, where: _Where) -> bool:
    value = raw.get(field, False)
    if not isinstance(value, bool):
        raise where.error(field, "must be true or false")
    return value


def _parse_part(raw: object, n: int, where: _Where) -> DurationPart:
    field = "duration"
    if not isinstance(raw, Mapping):
        raise where.error(
            field, f'part {n} must look like {{ amount = 14, unit = "calendar_days" }}'
        )
    unknown = set(raw) - {"amount", "unit"}
    if unknown:
        raise where.error(field, f"part {n} has unknown key(s): {', '.join(sorted(unknown))}")
    if "amount" not in raw:
        raise where.error(field, f"part {n} has no amount")
    if "unit" not in raw:
        raise where.error(field, f"part {n} has no unit")
    amount, unit = raw["amount"], raw["unit"]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise where.error(field, f"part {n}: amount {amount!r} must be a whole number, 0 or more")
    if unit not in UNITS:
        raise where.error(
            field, f"part {n}: unit {unit!r} is not known; use one of: {', '.join(UNITS)}"
        )
    return DurationPart(amount=amount, unit=unit)


_SCALAR = (str, int, float, bool)


def _parse_condition(raw: object, n: int, where: _Where) -> Condition:
    field = "conditions"
    if not isinstance(raw, Mapping):
        raise where.error(
            field, f'condition {n} must look like {{ fact = "labels", contains = "ATA" }}'
        )
    fact = raw.get("fact")
    if not isinstance(fact, str) or not fact.strip():
        raise where.error(field, f"condition {n} does not say which fact it tests (fact = ...)")
    ops = [key for key in raw if key != "fact"]
    unknown = [key for key in ops if key not in OPERATORS]
    if unknown:
        raise where.error(
            field,
            f"condition {n}: {', '.join(map(repr, unknown))} is not a known test; "
            f"use one of: {', '.join(OPERATORS)}",
        )
    if len(ops) != 1:
        raise where.error(field, f"condition {n} must have exactly one test, found {len(ops)}")
    op = ops[0]
    value = raw[op]
    if op in ("in", "not_in"):
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, _SCALAR) for v in value)
        ):
            raise where.error(field, f"condition {n}: {op} needs a non-empty list of values")
        value = tuple(value)
    elif not isinstance(value, _SCALAR):
        raise where.error(field, f"condition {n}: {op} needs a single value, not a list or table")
    return Condition(fact=fact.strip(), op=op, value=value)


def _list(raw: Mapping[str, object], field: str, where: _Where) -> Sequence[object]:
    value = raw.get(field, [])
    if not isinstance(value, list):
        raise where.error(field, "must be a list")
    return value


def _parse_rule(raw: object, index: int, source: str) -> Rule:
    rule_id = raw.get("id") if isinstance(raw, Mapping) else None
    where = _Where(index, rule_id, source)
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where.prefix}: must be a table of fields ([[rule]])")
    for field in _REQUIRED:
        if field not in raw:
            raise where.error(field, "is missing")
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        raise where.error(
            sorted(unknown)[0],
            f"is not a known field; known fields: {', '.join(sorted(_RULE_FIELDS))}",
        )
    rid = _text(raw, "id", where, required=True)
    if not rid.replace("_", "").isalnum() or not rid.isascii() or rid != rid.lower():
        raise where.error("id", "use lower-case letters, digits and underscores only")
    kind = _text(raw, "kind", where, required=True)
    if kind not in KINDS:
        raise where.error("kind", f"{kind!r} is not known; use one of: {', '.join(KINDS)}")
    parts = _list(raw, "duration", where)
    if not parts:
        raise where.error("duration", "needs at least one part")
    return Rule(
        id=rid,
        label=_text(raw, "label", where, required=True),
        trigger=_text(raw, "trigger", where, required=True),
        kind=kind,
        duration=tuple(_parse_part(p, n, where) for n, p in enumerate(parts, 1)),
        conditions=tuple(
            _parse_condition(c, n, where) for n, c in enumerate(_list(raw, "conditions", where), 1)
        ),
        roll_to_working_day=_flag(raw, "roll_to_working_day", where),
        uncertain=_flag(raw, "uncertain", where),
        note=_text(raw, "note", where, required=False),
    )


# -- rule set --------------------------------------------------------------------------


class RuleSet:
    """A validated set of deadline rules; immutable once built."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._rules = tuple(rules)
        seen: set[str] = set()
        for rule in self._rules:
            if rule.id in seen:
                raise ConfigError(f'Deadline rule "{rule.id}" is defined more than once')
            seen.add(rule.id)

    @classmethod
    def load(cls, path: Path | None = None) -> RuleSet:
        """Read rules from a TOML file; without a path, the shipped `deadline_rules.toml`."""
        if path is None:
            source = "the shipped deadline_rules.toml"
            text = resources.files("casefiles").joinpath("deadline_rules.toml").read_text("utf-8")
        else:
            source = str(path)
            try:
                text = Path(path).read_text("utf-8")
            except OSError as exc:
                raise ConfigError(f"Cannot read deadline rules from {source}: {exc}") from exc
        return cls.from_toml(text, source=source)

    @classmethod
    def from_toml(cls, text: str, source: str = "the deadline rules") -> RuleSet:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source} is not valid TOML: {exc}") from exc
        return cls.from_dict(data, source=source)

    @classmethod
    def from_dict(cls, data: Mapping[str, object], source: str = "the deadline rules") -> RuleSet:
        """Build from plain data shaped like the TOML (``{"rule": [{...}]}``), e.g. a DB record."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"{source}: expected a table with a 'rule' list")
        unknown = set(data) - {"rule"}
        if unknown:
            raise ConfigError(
                f"{source}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
                "rules go in [[rule]] tables"
            )
        raw_rules = data.get("rule", [])
        if not isinstance(raw_rules, list):
            raise ConfigError(f"{source}: 'rule' must be a list of [[rule]] tables")
        return cls(_parse_rule(raw, i, source) for i, raw in enumerate(raw_rules, 1))

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules

    @property
    def triggers(self) -> frozenset[str]:
        """Every event some rule listens for, so callers can check their event names."""
        return frozenset(rule.trigger for rule in self._rules)

    def get(self, rule_id: str) -> Rule:
        for rule in self._rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def deadlines_for(
        self,
        event: str,
        on: date,
        facts: Mapping[str, object],
        calendar: WorkingCalendar,
    ) -> list[Deadline]:
        """Deadlines that `event` on date `on` starts, earliest first."""
        found = [
            Deadline(
                rule_id=rule.id,
                label=rule.label,
                due=rule.due(on, calendar),
                kind=rule.kind,
                trigger=event,
                trigger_date=on,
                uncertain=rule.uncertain,
                note=rule.note,
            )
            for rule in self._rules
            if rule.trigger == event and rule.applies(facts)
        ]
        return sorted(found, key=lambda d: (d.due, d.rule_id))


def status(deadline: Deadline, today: date, due_soon_days: int = 3) -> str:
    """Classify a deadline for alerts: "overdue", "due_soon" or "pending".

    Overdue only after the due day (the whole due day is still in time); due soon
    from `due_soon_days` before it through the due day. Counted in calendar days
    so the warning does not shrink over a long weekend.
    """
    if due_soon_days < 0:
        raise ValueError("due_soon_days must be 0 or more")
    if today > deadline.due:
        return "overdue"
    if (deadline.due - today).days <= due_soon_days:
        return "due_soon"
    return "pending"
