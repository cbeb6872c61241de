"""Names from data files and stored records are shown in Urdu to an Urdu reader: deadline
rules, the scrutiny checklist, judgment topics and courts, districts (issue 15, item 6)."""

from __future__ import annotations

import html
import re

import pytest

from casefiles.deadlines import RuleSet
from casefiles.models import CASE_LABELS, CASE_STATES, CUSTODY, PARTY_ROLES, Case
from casefiles.scrutiny import checklist
from casefiles.workflow import OUTCOMES
from library.act_import import import_act_text
from library.importers import import_judgments_jsonl
from library.seed import SAMPLE_DIR
from mizan.accounts.roles import ROLE_LABELS
from mizan.actor import SYSTEM
from web.domain_labels import (
    ACT_LABELS,
    COURT_LABELS,
    DEADLINE_LABELS,
    DEADLINE_NOTES,
    SCRUTINY_LABELS,
    TOPIC_LABELS,
    act_label,
    court_label,
    district_name,
    topic_label,
)

URDU_LETTER = re.compile(r"[\u0600-\u06FF]")
TABLES = {
    "deadline rules": DEADLINE_LABELS,
    "deadline notes": DEADLINE_NOTES,
    "scrutiny checklist": SCRUTINY_LABELS,
    "topics": TOPIC_LABELS,
    "courts": COURT_LABELS,
    "acts": ACT_LABELS,
    "stages": CASE_STATES,
    "case labels": CASE_LABELS,
    "custody": CUSTODY,
    "people": PARTY_ROLES,
    "outcomes": OUTCOMES,
    "roles": ROLE_LABELS,
}


def test_every_deadline_rule_is_listed_with_its_label() -> None:
    shipped = {rule.id: rule.label for rule in RuleSet.load().rules}
    assert len(shipped) > 10
    assert {key: label.text for key, label in DEADLINE_LABELS.items()} == shipped


def test_every_note_of_a_rule_to_be_confirmed_is_listed() -> None:
    shipped = {rule.id: rule.note for rule in RuleSet.load().rules if rule.uncertain}
    assert len(shipped) > 3
    assert {key: note.text for key, note in DEADLINE_NOTES.items()} == shipped


def test_every_scrutiny_item_is_listed_with_its_label() -> None:
    shipped = {item.key: item.label for item in checklist()}
    assert len(shipped) > 5
    assert {key: label.text for key, label in SCRUTINY_LABELS.items()} == shipped


@pytest.mark.parametrize("table", TABLES, ids=list(TABLES))
def test_each_domain_label_reads_in_urdu(app, table: str) -> None:
    labels = TABLES[table]
    with app.test_request_context("/?lang=ur"):
        shown = {key: str(label) for key, label in labels.items()}
    left = {key: text for key, text in shown.items() if not URDU_LETTER.search(text)}
    assert not left, f"{table} still in English for an Urdu reader: {left}"
    with app.test_request_context("/?lang=en"):  # and English readers keep English
        assert all(not URDU_LETTER.search(str(label)) for label in labels.values())


def test_names_outside_the_tables_are_shown_as_written(app) -> None:
    with app.test_request_context("/?lang=ur"):
        assert district_name("KHI-S") == "کراچی جنوبی"
        assert district_name("NOWHERE") == "NOWHERE"
        assert topic_label("Criminal Law") == "فوجداری قانون"
        assert topic_label("Maritime Law") == "Maritime Law"
        assert court_label("Balochistan High Court") == "بلوچستان ہائی کورٹ"
        assert court_label("ATC-XII Karachi") == "ATC-XII Karachi"
        assert act_label("ppc", "Pakistan Penal Code, 1860") == "مجموعہ تعزیراتِ پاکستان"
        assert act_label("mvo", "Motor Vehicles Ordinance") == "Motor Vehicles Ordinance"
    with app.test_request_context("/?lang=en"):
        assert district_name("KHI-S") == "Karachi South"
        assert act_label("ppc", "Pakistan Penal Code, 1860") == "Pakistan Penal Code, 1860"
        assert act_label("ppc") == "Pakistan Penal Code"  # a facet value: the code alone


# --- the pages ----------------------------------------------------------------------


def _visible(response) -> str:
    """The page's text as a reader sees it (no tags, scripts or styles), with its tooltips."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    tooltips = " ".join(re.findall(r'title="([^"]*)"', text))
    return html.unescape(re.sub(r"<[^>]+>", " ", text) + " " + tooltips)


ENGLISH_NAMES = [
    *(label.text for label in DEADLINE_LABELS.values()),
    *(note.text for note in DEADLINE_NOTES.values()),
    *(topic for topic in TOPIC_LABELS if topic != "General"),  # "Prosecutor General Sindh"
    "Balochistan High Court",
    "Pakistan Penal Code",
    "Karachi South",
    "Hyderabad",
]


@pytest.mark.parametrize(
    ("username", "station", "pages", "urdu"),
    [
        (
            "pp.rahim",
            "Artillery Maidan",
            ["/", "/deadlines/mine", "/cases/", "/library/", "/library/judgments/"],
            [
                "کراچی جنوبی",
                "عبوری چالان (دفعہ 173 رپورٹ) کی آخری تاریخ",
                "فوجداری قانون",
                "مجموعہ تعزیراتِ پاکستان",
            ],
        ),
        (
            "pg.sindh",
            "Market",
            ["/dashboard/", "/cases/", "/deadlines/district", "/reports/?slice=district"],
            [
                "کراچی جنوبی",
                "حیدرآباد",
                "عبوری چالان (دفعہ 173 رپورٹ) کی آخری تاریخ",
            ],
        ),
    ],
    ids=["prosecutor", "prosecutor general"],
)
def test_urdu_pages_show_no_english_domain_name(
    browser, demo, username: str, station: str, pages: list[str], urdu: list[str]
) -> None:
    import_judgments_jsonl(demo, SYSTEM, SAMPLE_DIR / "judgments_sample.jsonl")
    text = (SAMPLE_DIR / "ppc_sample.md").read_text()
    import_act_text(demo, SYSTEM, text, code="ppc", title="Pakistan Penal Code")
    reader = browser()
    reader.login(username)
    reader.get("/?lang=ur")
    case = demo.store.find_one(Case, {"fir.police_station": station})
    seen = ""
    for url in [*pages, f"/cases/{case.id}"]:
        response = reader.get(url)
        assert response.status_code == 200, (url, response.status_code, response.location)
        text = _visible(response)
        english = [name for name in ENGLISH_NAMES if name in text]
        assert not english, f"{url} shows in English: {english}"
        seen += text
    missing = [name for name in urdu if name not in seen]  # the names were on the pages
    assert not missing, f"not shown in Urdu: {missing}"
