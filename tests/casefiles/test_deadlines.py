"""Deadline rules: the shipped configuration, the arithmetic, and config validation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefiles.calendar import fixed_national_holidays
from casefiles.deadlines import (
    KINDS,
    ConfigError,
    Deadline,
    RuleSet,
    add_months,
    status,
)
from mizan.clock import WorkingCalendar

RULES = RuleSet.load()
#: Saturday/Sunday office with the fixed national holidays of 2024-2026.
CAL = WorkingCalendar(
    holidays={
        **fixed_national_holidays(2024),
        **fixed_national_holidays(2025),
        **fixed_national_holidays(2026),
    }
)
ATA = {"labels": ["ATA"]}


def due(event: str, on: date, facts: dict, cal: WorkingCalendar = CAL) -> dict[str, date]:
    return {d.rule_id: d.due for d in RULES.deadlines_for(event, on, facts, cal)}


def one(event: str, on: date, facts: dict, rule_id: str, cal: WorkingCalendar = CAL) -> Deadline:
    found = [d for d in RULES.deadlines_for(event, on, facts, cal) if d.rule_id == rule_id]
    assert len(found) == 1, f"{rule_id} did not fire"
    return found[0]


# -- the shipped configuration -----------------------------------------------------------


def test_shipped_rules_load_and_are_well_formed() -> None:
    ids = {rule.id for rule in RULES.rules}
    assert ids == {
        "interim_challan",
        "interim_challan_ata",
        "police_remand_limit",
        "ata_remand_limit",
        "ata_trial_decision",
        "appeal_sessions_court",
        "appeal_high_court",
        "appeal_death_sentence",
        "state_appeal_acquittal",
        "aggrieved_appeal_acquittal",
        "complainant_special_leave",
        "ata_appeal_conviction",
        "ata_state_appeal_acquittal",
        "ata_victim_appeal_acquittal",
        "sc_leave_petition",
        "revision_reminder",
    }
    assert RULES.triggers == {
        "fir_registered",
        "first_remand",
        "charge_framed",
        "judgment",
        "revisable_order",
    }
    for rule in RULES.rules:
        assert rule.kind in KINDS
        assert rule.label and rule.note
    assert RULES.get("ata_trial_decision").kind == "kpi"
    assert RULES.get("revision_reminder").kind == "practice"


def test_points_marked_for_confirmation_are_uncertain() -> None:
    for rule_id in ("state_appeal_acquittal", "interim_challan_ata", "ata_remand_limit"):
        rule = RULES.get(rule_id)
        assert rule.uncertain, rule_id
        assert "confirm" in rule.note
    assert not RULES.get("interim_challan").uncertain
    assert not RULES.get("ata_victim_appeal_acquittal").uncertain


def test_deadline_carries_trigger_and_flags() -> None:
    d = one("fir_registered", date(2025, 3, 1), ATA, "interim_challan_ata")
    assert d.trigger == "fir_registered"
    assert d.trigger_date == date(2025, 3, 1)
    assert d.kind == "hard"
    assert d.uncertain is True
    assert "3 days" in d.note


def test_unknown_event_gives_nothing() -> None:
    assert RULES.deadlines_for("fir_lodged", date(2025, 3, 1), {}, CAL) == []


def test_results_are_sorted_by_due_date() -> None:
    found = RULES.deadlines_for(
        "judgment", date(2025, 1, 10), {"outcome": "acquitted", "instituted_on": "complaint"}, CAL
    )
    assert [d.due for d in found] == sorted(d.due for d in found)
    assert [d.rule_id for d in found] == [
        "aggrieved_appeal_acquittal",
        "complainant_special_leave",
        "state_appeal_acquittal",
    ]


# -- interim challan ---------------------------------------------------------------------


def test_interim_challan_is_fir_plus_14_plus_3_calendar_days() -> None:
    assert due("fir_registered", date(2025, 3, 3), {}) == {"interim_challan": date(2025, 3, 20)}
    assert due("fir_registered", date(2025, 3, 3), {"labels": ["JIT"]}) == {
        "interim_challan": date(2025, 3, 20)
    }


def test_interim_challan_is_not_rolled_off_a_holiday() -> None:
    # FIR 6 Mar 2025 + 17 = Sunday 23 Mar, Pakistan Day: the police deadline stays put.
    assert due("fir_registered", date(2025, 3, 6), {}) == {"interim_challan": date(2025, 3, 23)}


def test_interim_challan_across_new_year() -> None:
    assert due("fir_registered", date(2024, 12, 20), {}) == {"interim_challan": date(2025, 1, 6)}


def test_ata_interim_challan_counts_30_working_days_then_3_calendar_days() -> None:
    # Mon 3 Mar 2025; holidays in the span: Sun 23 Mar (no effect).
    # 30 working days = 6 weeks -> Mon 14 Apr; + 3 calendar days = Thu 17 Apr.
    assert due("fir_registered", date(2025, 3, 3), ATA) == {
        "interim_challan_ata": date(2025, 4, 17)
    }


def test_ata_interim_challan_across_new_year_with_holidays() -> None:
    # FIR Fri 20 Dec 2024. Wed 25 Dec (Quaid-e-Azam Day) and an admin-configured local
    # holiday on Mon 6 Jan 2025 fall inside the span: the 30th working day is Tue 4 Feb,
    # + 3 calendar days = Fri 7 Feb (5 Feb, a holiday, sits in the calendar-day part).
    cal = CAL.with_holidays({date(2025, 1, 6): "Local holiday"})
    assert due("fir_registered", date(2024, 12, 20), ATA, cal) == {
        "interim_challan_ata": date(2025, 2, 7)
    }
    # Without the configured holiday it is one working day earlier.
    assert due("fir_registered", date(2024, 12, 20), ATA) == {
        "interim_challan_ata": date(2025, 2, 6)
    }
    # With no holidays at all, two days earlier still.
    assert due("fir_registered", date(2024, 12, 20), ATA, WorkingCalendar()) == {
        "interim_challan_ata": date(2025, 2, 3)
    }


def test_ata_interim_challan_is_not_rolled_off_a_weekend() -> None:
    # FIR Thu 2 Jan 2025 (no holidays): 30th working day Thu 13 Feb, + 3 = Sunday 16 Feb, kept.
    got = due("fir_registered", date(2025, 1, 2), ATA, WorkingCalendar())
    assert got == {"interim_challan_ata": date(2025, 2, 16)}


def test_ata_interim_challan_on_a_friday_weekend_calendar() -> None:
    friday = WorkingCalendar(weekend=["friday"])
    # Six working days a week: 30 working days after Thu 2 Jan = Thu 6 Feb; + 3 = Sun 9 Feb.
    assert due("fir_registered", date(2025, 1, 2), ATA, friday) == {
        "interim_challan_ata": date(2025, 2, 9)
    }


# -- remand ------------------------------------------------------------------------------


def test_police_remand_limit_is_15_calendar_days() -> None:
    assert due("first_remand", date(2025, 3, 1), {}) == {"police_remand_limit": date(2025, 3, 16)}


def test_ata_cases_use_the_ata_remand_limit() -> None:
    d = one("first_remand", date(2025, 3, 1), ATA, "ata_remand_limit")
    assert d.due == date(2025, 5, 30)
    assert d.uncertain
    assert due("first_remand", date(2025, 3, 1), ATA).keys() == {"ata_remand_limit"}


# -- ATA trial KPI -----------------------------------------------------------------------


def test_ata_trial_kpi_is_7_working_days_from_charge() -> None:
    # Charge Thu 7 Aug 2025; 14 Aug is Independence Day: Fri 8, Mon 11-Wed 13, Fri 15,
    # Mon 18, Tue 19.
    d = one("charge_framed", date(2025, 8, 7), ATA, "ata_trial_decision")
    assert d.due == date(2025, 8, 19)
    assert d.kind == "kpi"


def test_ata_trial_kpi_only_for_ata_cases() -> None:
    assert due("charge_framed", date(2025, 8, 7), {}) == {}


# -- conviction appeals ------------------------------------------------------------------

CONVICTED_SESSIONS = {"outcome": "convicted", "forum": "sessions_court"}
CONVICTED_HC = {"outcome": "convicted", "forum": "high_court"}


def test_appeal_to_sessions_is_30_days() -> None:
    assert due("judgment", date(2025, 3, 3), CONVICTED_SESSIONS) == {
        "appeal_sessions_court": date(2025, 4, 2)
    }


def test_appeal_to_sessions_rolls_off_weekend() -> None:
    # 10 Jan 2025 + 30 = Sun 9 Feb -> Mon 10 Feb (Limitation Act s.4).
    assert due("judgment", date(2025, 1, 10), CONVICTED_SESSIONS) == {
        "appeal_sessions_court": date(2025, 2, 10)
    }


def test_appeal_to_sessions_rolls_off_holiday() -> None:
    # 6 Jan 2025 + 30 = Wed 5 Feb, Kashmir Solidarity Day -> Thu 6 Feb.
    assert due("judgment", date(2025, 1, 6), CONVICTED_SESSIONS) == {
        "appeal_sessions_court": date(2025, 2, 6)
    }


def test_appeal_to_high_court_is_60_days_and_rolls() -> None:
    # 1 Jul 2025 + 60 = Sat 30 Aug -> Mon 1 Sep.
    assert due("judgment", date(2025, 7, 1), CONVICTED_HC) == {
        "appeal_high_court": date(2025, 9, 1)
    }


def test_death_sentence_appeal_is_30_days_not_60() -> None:
    facts = {**CONVICTED_HC, "sentence": "death"}
    assert due("judgment", date(2025, 7, 1), facts) == {"appeal_death_sentence": date(2025, 7, 31)}
    # 15 Jul + 30 = Thu 14 Aug, Independence Day -> Fri 15 Aug.
    assert due("judgment", date(2025, 7, 15), facts) == {"appeal_death_sentence": date(2025, 8, 15)}


def test_conviction_appeal_needs_forum() -> None:
    assert due("judgment", date(2025, 7, 1), {"outcome": "convicted"}) == {}


# -- acquittal appeals -------------------------------------------------------------------

ACQUITTED = {"outcome": "acquitted", "forum": "high_court"}


def test_acquittal_deadlines() -> None:
    assert due("judgment", date(2025, 3, 3), ACQUITTED) == {
        "aggrieved_appeal_acquittal": date(2025, 4, 2),
        "state_appeal_acquittal": date(2025, 9, 3),
    }


def test_complainant_special_leave_only_in_complaint_cases() -> None:
    facts = {**ACQUITTED, "instituted_on": "complaint"}
    d = one("judgment", date(2025, 3, 3), facts, "complainant_special_leave")
    assert d.due == date(2025, 5, 2)
    facts = {**ACQUITTED, "instituted_on": "police_report"}
    assert "complainant_special_leave" not in due("judgment", date(2025, 3, 3), facts)


@pytest.mark.parametrize(
    ("judgment", "expected"),
    [
        (date(2023, 8, 31), date(2024, 2, 29)),  # leap year: Thursday 29 Feb
        (date(2024, 8, 31), date(2025, 2, 28)),  # Friday 28 Feb
        (date(2022, 8, 31), date(2023, 2, 28)),  # Tuesday 28 Feb
        (date(2024, 8, 29), date(2025, 2, 28)),  # 29 Feb does not exist in 2025
        (date(2025, 3, 31), date(2025, 9, 30)),
        (date(2024, 9, 23), date(2025, 3, 24)),  # Sun 23 Mar, Pakistan Day -> Mon 24 Mar
        (date(2025, 8, 9), date(2026, 2, 9)),
        (date(2025, 8, 30), date(2026, 3, 2)),  # Sat 28 Feb 2026 -> Mon 2 Mar
    ],
)
def test_state_appeal_against_acquittal_is_six_calendar_months(
    judgment: date, expected: date
) -> None:
    d = one("judgment", judgment, ACQUITTED, "state_appeal_acquittal")
    assert d.due == expected
    assert d.uncertain
    assert d.note


def test_partly_convicted_starts_both_sets_of_clocks() -> None:
    got = due("judgment", date(2025, 3, 3), {"outcome": "partly_convicted", "forum": "high_court"})
    assert got.keys() == {
        "appeal_high_court",
        "aggrieved_appeal_acquittal",
        "state_appeal_acquittal",
    }


def test_other_outcomes_start_no_appeal_clock() -> None:
    assert (
        due("judgment", date(2025, 3, 3), {"outcome": "compromised", "forum": "high_court"}) == {}
    )


# -- ATA judgments -----------------------------------------------------------------------


def test_ata_acquittal_uses_ata_s25_rules_not_s417() -> None:
    facts = {**ACQUITTED, "labels": ["ATA", "JIT"], "instituted_on": "complaint"}
    got = {d.rule_id: d for d in RULES.deadlines_for("judgment", date(2025, 3, 3), facts, CAL)}
    assert got.keys() == {"ata_state_appeal_acquittal", "ata_victim_appeal_acquittal"}
    assert got["ata_victim_appeal_acquittal"].due == date(2025, 4, 2)
    assert not got["ata_victim_appeal_acquittal"].uncertain
    assert got["ata_state_appeal_acquittal"].uncertain


def test_ata_conviction_appeal() -> None:
    facts = {**CONVICTED_HC, "labels": ["ATA"], "sentence": "death"}
    got = due("judgment", date(2025, 3, 3), facts)
    assert got == {"ata_appeal_conviction": date(2025, 4, 2)}


# -- Supreme Court and revision ----------------------------------------------------------


def test_sc_leave_petition_from_high_court_judgment() -> None:
    # High Court acquits on appeal: only the leave petition, not s.417.
    facts = {"outcome": "acquitted", "forum": "supreme_court"}
    assert due("judgment", date(2025, 3, 3), facts) == {"sc_leave_petition": date(2025, 4, 2)}
    # 23 Feb 2025 + 30 = Tue 25 Mar: working day, unchanged.
    assert due("judgment", date(2025, 2, 23), {"forum": "supreme_court"}) == {
        "sc_leave_petition": date(2025, 3, 25)
    }
    # 21 Feb 2025 + 30 = Sun 23 Mar (also Pakistan Day) -> Mon 24 Mar.
    assert due("judgment", date(2025, 2, 21), {"forum": "supreme_court"}) == {
        "sc_leave_petition": date(2025, 3, 24)
    }


def test_revision_is_a_practice_reminder() -> None:
    d = one("revisable_order", date(2025, 3, 3), {}, "revision_reminder")
    assert d.kind == "practice"
    assert d.due == date(2025, 5, 2)


def test_rolling_uses_the_office_weekend() -> None:
    friday = WorkingCalendar(weekend=["friday"])
    # 8 Jan 2025 + 30 = Fri 7 Feb: a Friday office rolls to Sat 8 Feb, a Sat/Sun one keeps it.
    assert due("judgment", date(2025, 1, 8), CONVICTED_SESSIONS, friday) == {
        "appeal_sessions_court": date(2025, 2, 8)
    }
    assert due("judgment", date(2025, 1, 8), CONVICTED_SESSIONS, WorkingCalendar()) == {
        "appeal_sessions_court": date(2025, 2, 7)
    }


# -- months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 7, 15), 6, date(2025, 1, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), 0, date(2024, 3, 31)),
        (date(2024, 3, 31), 18, date(2025, 9, 30)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(min_value=0, max_value=120),
)
def test_add_months_properties(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
    if result.day < start.day:  # clamped: must be the last day of its month
        assert (result + timedelta(days=1)).day == 1


# -- status ------------------------------------------------------------------------------


def _deadline(due_on: date) -> Deadline:
    return Deadline("x", "X", due_on, "hard", "judgment", date(2025, 1, 1), False, "")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 3, 11), "overdue"),
        (date(2025, 3, 10), "due_soon"),  # the due day itself is still in time
        (date(2025, 3, 7), "due_soon"),  # exactly 3 days before
        (date(2025, 3, 6), "pending"),  # 4 days before
        (date(2025, 1, 1), "pending"),
    ],
)
def test_status_boundaries(today: date, expected: str) -> None:
    assert status(_deadline(date(2025, 3, 10)), today) == expected


def test_status_with_custom_window() -> None:
    d = _deadline(date(2025, 3, 10))
    assert status(d, date(2025, 3, 10), due_soon_days=0) == "due_soon"
    assert status(d, date(2025, 3, 9), due_soon_days=0) == "pending"
    assert status(d, date(2025, 2, 28), due_soon_days=10) == "due_soon"
    with pytest.raises(ValueError):
        status(d, date(2025, 3, 9), due_soon_days=-1)


# -- configuration and validation --------------------------------------------------------

GOOD_RULE = """
[[rule]]
id = "custom_challan"
label = "Challan due"
trigger = "fir_registered"
kind = "hard"
duration = [{ amount = 10, unit = "calendar_days" }]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_custom_file_changes_the_deadline(tmp_path: Path) -> None:
    rules = RuleSet.load(_write(tmp_path, GOOD_RULE))
    found = rules.deadlines_for("fir_registered", date(2025, 3, 1), {}, CAL)
    assert [(d.rule_id, d.due, d.uncertain, d.note) for d in found] == [
        ("custom_challan", date(2025, 3, 11), False, "")
    ]


def test_from_dict_for_db_records() -> None:
    rules = RuleSet.from_dict(
        {
            "rule": [
                {
                    "id": "r",
                    "label": "R",
                    "trigger": "judgment",
                    "kind": "kpi",
                    "duration": [{"amount": 1, "unit": "months"}],
                    "conditions": [{"fact": "court", "in": ["atc", "sessions"]}],
                }
            ]
        }
    )
    assert due_of(rules, {"court": "atc"}) == [date(2025, 2, 28)]
    assert due_of(rules, {"court": "magistrate"}) == []
    assert due_of(rules, {}) == []


def due_of(rules: RuleSet, facts: dict) -> list[date]:
    return [d.due for d in rules.deadlines_for("judgment", date(2025, 1, 31), facts, CAL)]


def _rules_with(condition: str) -> RuleSet:
    return RuleSet.from_toml(GOOD_RULE + f"conditions = [{condition}]\n")


@pytest.mark.parametrize(
    ("condition", "facts", "fires"),
    [
        ('{ fact = "forum", equals = "high_court" }', {"forum": "high_court"}, True),
        ('{ fact = "forum", equals = "high_court" }', {}, False),
        ('{ fact = "forum", not_equals = "high_court" }', {}, True),
        ('{ fact = "forum", not_equals = "high_court" }', {"forum": "high_court"}, False),
        ('{ fact = "outcome", in = ["a", "b"] }', {"outcome": "b"}, True),
        ('{ fact = "outcome", in = ["a", "b"] }', {}, False),
        ('{ fact = "outcome", not_in = ["a", "b"] }', {"outcome": "c"}, True),
        ('{ fact = "outcome", not_in = ["a", "b"] }', {"outcome": "a"}, False),
        ('{ fact = "labels", contains = "ATA" }', {"labels": ["JIT", "ATA"]}, True),
        ('{ fact = "labels", contains = "ATA" }', {"labels": ("ATA",)}, True),
        ('{ fact = "labels", contains = "ATA" }', {"labels": "ATA"}, True),
        ('{ fact = "labels", contains = "ATA" }', {"labels": ["JIT"]}, False),
        ('{ fact = "labels", contains = "ATA" }', {}, False),
        ('{ fact = "labels", not_contains = "ATA" }', {}, True),
        ('{ fact = "labels", not_contains = "ATA" }', {"labels": None}, True),
        ('{ fact = "labels", not_contains = "ATA" }', {"labels": {"ATA"}}, False),
        ('{ fact = "detained", equals = true }', {"detained": True}, True),
    ],
)
def test_condition_operators(condition: str, facts: dict, fires: bool) -> None:
    found = _rules_with(condition).deadlines_for("fir_registered", date(2025, 3, 1), facts, CAL)
    assert bool(found) is fires


def _replace(old: str, new: str) -> str:
    assert old in GOOD_RULE
    return GOOD_RULE.replace(old, new)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            _replace('unit = "calendar_days"', 'unit = "weeks"'),
            ['"custom_challan"', "duration", "weeks"],
        ),
        (_replace('label = "Challan due"\n', ""), ['"custom_challan"', '"label"', "missing"]),
        (_replace('trigger = "fir_registered"\n', ""), ['"custom_challan"', '"trigger"']),
        (_replace('id = "custom_challan"\n', ""), ["(no id)", "rule number 1", '"id"']),
        (_replace('kind = "hard"', 'kind = "soft"'), ['"custom_challan"', '"kind"', "soft"]),
        (_replace("amount = 10", "amount = -1"), ['"custom_challan"', "duration", "-1"]),
        (
            _replace("amount = 10", 'amount = "10"'),
            ['"custom_challan"', "duration", "whole number"],
        ),
        (_replace("amount = 10", "amount = true"), ['"custom_challan"', "duration"]),
        (_replace("amount = 10, ", ""), ['"custom_challan"', "duration", "no amount"]),
        (_replace(', unit = "calendar_days"', ""), ['"custom_challan"', "duration", "no unit"]),
        (_replace('[{ amount = 10, unit = "calendar_days" }]', "[]"), ["duration", "at least one"]),
        (_replace('[{ amount = 10, unit = "calendar_days" }]', "10"), ["duration", "list"]),
        (_replace('id = "custom_challan"', 'id = "Custom Challan"'), ['"id"', "lower-case"]),
        (_replace('label = "Challan due"', 'label = ""'), ['"label"', "empty"]),
        (_replace('label = "Challan due"', "label = 5"), ['"label"', "text"]),
        (GOOD_RULE + "roll_to_workingday = true\n", ['"roll_to_workingday"', "not a known field"]),
        (GOOD_RULE + 'uncertain = "yes"\n', ['"uncertain"', "true or false"]),
        (GOOD_RULE + 'note = ["a"]\n', ['"note"', "text"]),
        (GOOD_RULE + 'conditions = [{ fact = "labels", has = "ATA" }]\n', ['"conditions"', "has"]),
        (
            GOOD_RULE + 'conditions = [{ fact = "x", equals = 1, not_equals = 2 }]\n',
            ['"conditions"', "exactly one test"],
        ),
        (GOOD_RULE + 'conditions = [{ equals = "x" }]\n', ['"conditions"', "which fact"]),
        (GOOD_RULE + 'conditions = [{ fact = "x", in = "a" }]\n', ['"conditions"', "list"]),
        (GOOD_RULE + 'conditions = [{ fact = "x", in = [] }]\n', ['"conditions"', "non-empty"]),
        (GOOD_RULE + 'conditions = [{ fact = "x", equals = ["a"] }]\n', ["single value"]),
        (GOOD_RULE + 'conditions = ["ATA"]\n', ['"conditions"', "condition 1"]),
        (GOOD_RULE + GOOD_RULE, ['"custom_challan"', "more than once"]),
        (GOOD_RULE.replace("[[rule]]", "[[rules]]"), ["unknown top-level key", "rules"]),
        ("rule = 5\n", ["[[rule]]"]),
        ("rule = [5]\n", ["rule number 1", "table"]),
    ],
)
def test_config_errors_name_the_rule_and_field(tmp_path: Path, text: str, words: list[str]) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        RuleSet.load(path)
    message = str(err.value)
    for word in words:
        assert word in message, message


def test_second_rule_error_names_that_rule(tmp_path: Path) -> None:
    bad = GOOD_RULE.replace("custom_challan", "second").replace("calendar_days", "fortnights")
    with pytest.raises(ConfigError, match=r'"second" \(rule number 2 in .*rules\.toml\)'):
        RuleSet.load(_write(tmp_path, GOOD_RULE + bad))


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_RULE + "duration = [{ amount = 3, unit = \n")
    with pytest.raises(ConfigError, match="not valid TOML") as err:
        RuleSet.load(path)
    assert str(path) in str(err.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Cannot read"):
        RuleSet.load(tmp_path / "nope.toml")


def test_empty_file_gives_no_rules(tmp_path: Path) -> None:
    assert RuleSet.load(_write(tmp_path, "# nothing yet\n")).rules == ()
