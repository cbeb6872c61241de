"""Letters from a case: facts and the library's sections in the DOCX, Urdu right to left,
templates checked on save and edited by administrators only, the case's permission."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pypdfium2 as pdfium
import pytest

from app.demo import seed_demo_details
from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.letter_facts import case_facts
from casefiles.letter_templates import (
    BLANK,
    DEFAULT_TEMPLATES,
    LETTER_KINDS,
    PLACEHOLDERS,
    LetterError,
    LetterTemplate,
    check_body,
)
from casefiles.letters import (
    LetterDraft,
    draft_letter,
    edit_template,
    list_templates,
    preview_letter,
    templates_for_editing,
)
from casefiles.parties import PartyInput, add_party
from casefiles.service import CaseNotFound
from library.act_import import import_act_text
from library.seed import SAMPLE_DIR
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError
from tests.casefiles.case_steps import demo_case

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def _template(kernel, key: str, language: str = "en") -> LetterTemplate:
    return next(t for t in list_templates(kernel) if (t.key, t.language) == (key, language))


@pytest.fixture
def lettered(demo):
    """The demo with FIR details, parties, the PPC sample in the library and one hearing."""
    seed_demo_details(demo)
    import_act_text(
        demo,
        SYSTEM,
        (SAMPLE_DIR / "ppc_sample.md").read_text(encoding="utf-8"),
        code="ppc",
        title="Pakistan Penal Code",
    )
    case = demo_case(demo)
    schedule_hearing(
        demo,
        SYSTEM,
        case.id,
        NewHearing(
            starts_at=dt.datetime(2024, 6, 3, 5, 0),
            court="Sessions Court Karachi South",
            purpose="bail",
            history=True,
        ),
    )
    return demo


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def test_bail_note_docx_carries_the_case_facts_and_the_sections_text(lettered) -> None:
    case = demo_case(lettered)
    rahim = _actor(lettered, "pp.rahim")
    made = draft_letter(lettered, rahim, case.id, _template(lettered, "bail_opposition").id, "docx")
    assert made.filename == "bail_opposition-FIR-189-2024.docx"
    text = _docx_text(made.data)
    assert "FIR No. 189/2024, Police Station Artillery Maidan, District Karachi South" in text
    assert "302, 34 PPC" in text
    # Heading and text of each section come from the library (through the registry hook).
    assert "302 PPC — Punishment of qatl-i-amd" in text
    assert "Whoever commits qatl-i-amd shall" in text
    assert "34 PPC — Acts done by several persons in furtherance of common intention" in text
    assert "Muhammad Aslam s/o Muhammad Akram (In custody)" in text
    assert "Muhammad Iqbal s/o Ghulam Rasool" in text  # complainant
    assert "Abdul Ghaffar s/o Abdul Sattar" in text  # witness
    assert "03.06.2024 — Sessions Court Karachi South — Bail" in text  # hearing history
    assert "Sessions Court Karachi South" in text.splitlines()[0]  # court from the hearings
    assert "Abdul Rahim Soomro" in text  # the prosecutor who writes it
    assert "{{" not in text


def test_a_fact_the_case_lacks_is_a_visible_blank_not_an_error(lettered) -> None:
    case = demo_case(lettered)
    letter = preview_letter(
        lettered, _actor(lettered, "pp.rahim"), case.id, _template(lettered, "adjournment").id
    )
    # No court number and no coming hearing are recorded: the writer sees where to fill in.
    assert f"fixed on {BLANK} for {BLANK}" in letter.text


def test_urdu_bail_note_runs_right_to_left(lettered) -> None:
    case = demo_case(lettered)
    made = draft_letter(
        lettered,
        _actor(lettered, "pp.rahim"),
        case.id,
        _template(lettered, "bail_opposition", "ur").id,
        "docx",
    )
    document = docx.Document(io.BytesIO(made.data))
    body = [p for p in document.paragraphs if p.text.strip()]
    assert any("ایف آئی آر نمبر 189/2024" in p.text for p in body)
    for paragraph in body:
        ppr = paragraph._p.pPr
        assert ppr is not None and ppr.find(f"{W}bidi") is not None, paragraph.text
        for run in paragraph.runs:
            assert run.font.rtl is True
    # The package is a well-formed Word file: the main part parses and names the bidi language.
    xml = zipfile.ZipFile(io.BytesIO(made.data)).read("word/document.xml").decode()
    assert 'w:bidi="ur-PK"' in xml


def test_english_letter_is_left_to_right(lettered) -> None:
    case = demo_case(lettered)
    made = draft_letter(
        lettered,
        _actor(lettered, "pp.rahim"),
        case.id,
        _template(lettered, "adjournment").id,
        "docx",
    )
    document = docx.Document(io.BytesIO(made.data))
    assert all(p._p.pPr is None or p._p.pPr.find(f"{W}bidi") is None for p in document.paragraphs)


def test_pdf_is_printable_and_says_the_same(lettered) -> None:
    case = demo_case(lettered)
    made = draft_letter(
        lettered,
        _actor(lettered, "pp.rahim"),
        case.id,
        _template(lettered, "bail_opposition").id,
        "pdf",
    )
    assert made.data.startswith(b"%PDF") and made.media_type == "application/pdf"
    pdf = pdfium.PdfDocument(made.data)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "189/2024" in text and "Punishment of qatl-i-amd" in text


def test_drafting_is_recorded_and_audited_with_ids_only(lettered) -> None:
    case = demo_case(lettered)
    template = _template(lettered, "witness_summons")
    made = draft_letter(lettered, _actor(lettered, "pp.rahim"), case.id, template.id, "docx")
    stored = lettered.store.get(LetterDraft, made.draft.id)
    assert (stored.case_id, stored.key, stored.format) == (case.id, "witness_summons", "docx")
    entry = lettered.store.find_one(AuditEntry, {"action": "letter.drafted"})
    assert entry is not None and entry.subject_id == made.draft.id
    assert entry.data["case_id"] == case.id and entry.data["template_id"] == template.id
    assert "Abdul Ghaffar" not in str(entry.data) and "Aslam" not in str(entry.data)
    # Looking at the preview is not drafting.
    preview_letter(lettered, _actor(lettered, "pp.rahim"), case.id, template.id)
    assert lettered.store.count(LetterDraft, {}) == 1


def test_bad_format_is_refused_and_nothing_recorded(lettered) -> None:
    case = demo_case(lettered)
    with pytest.raises(LetterError, match="Word"):
        draft_letter(
            lettered,
            _actor(lettered, "pp.rahim"),
            case.id,
            _template(lettered, "adjournment").id,
            "rtf",
        )
    assert lettered.store.count(LetterDraft, {}) == 0


def test_protected_witness_is_named_by_pseudonym(lettered) -> None:
    case = demo_case(lettered)
    add_party(
        lettered,
        SYSTEM,
        case.id,
        version=case.version,
        data=PartyInput(role="witness", name="Zahid Hussain", protected=True, pseudonym="PW-X"),
    )
    case = demo_case(lettered)
    facts = case_facts(lettered, _actor(lettered, "pp.rahim"), case)
    assert "PW-X" in facts["witness_names"] and "Zahid" not in facts["witness_names"]


def test_section_not_in_the_library_is_named_without_text(lettered) -> None:
    case = demo_case(lettered, "Darakhshan")  # 365-A PPC; 7(1)(e) ATA: neither in the sample
    facts = case_facts(lettered, _actor(lettered, "dpp.south"), case)
    assert "7(1)(e) ATA" in facts["section_texts"]
    assert facts["section_headings"].splitlines() == ["365-A PPC", "7(1)(e) ATA"]


def test_who_may_write_follows_the_case(lettered) -> None:
    case = demo_case(lettered)  # Karachi South, assigned to pp.rahim
    template = _template(lettered, "bail_opposition").id
    for username in ("pp.rahim", "dpp.south", "pg.sindh"):
        preview_letter(lettered, _actor(lettered, username), case.id, template)
    for username in ("pp.hyd", "pp.sana", "admin"):  # cannot see the case at all
        with pytest.raises(CaseNotFound):
            preview_letter(lettered, _actor(lettered, username), case.id, template)
    for username in ("clerk.south", "supervisor"):  # see it, but do not sign letters
        with pytest.raises(PermissionDenied, match="prosecutors of this case"):
            draft_letter(lettered, _actor(lettered, username), case.id, template, "docx")
    assert lettered.store.count(LetterDraft, {}) == 0


# -- templates ---------------------------------------------------------------------------------


def test_every_kind_has_a_default_and_defaults_use_known_placeholders(demo) -> None:
    assert {key for key, *_ in DEFAULT_TEMPLATES} == set(LETTER_KINDS)
    assert ("bail_opposition", "ur") in {(k, lang) for k, lang, *_ in DEFAULT_TEMPLATES}
    for _key, _lang, _title, body in DEFAULT_TEMPLATES:
        assert set(check_body(body)) <= set(PLACEHOLDERS)
    assert len(list_templates(demo)) == len(DEFAULT_TEMPLATES)
    assert len(list_templates(demo)) == len(DEFAULT_TEMPLATES)  # seeding is idempotent


def test_check_body_names_what_is_wrong() -> None:
    assert check_body("FIR {{fir_number}}/{{ fir_year }} and {{fir_number}}") == [
        "fir_number",
        "fir_year",
    ]
    with pytest.raises(LetterError, match=r"Unknown placeholder \{\{acused_names\}\}"):
        check_body("Accused: {{acused_names}}")
    with pytest.raises(LetterError, match=r"line 2 near “FIR \{fir_number\}"):
        check_body("To the SHO\nFIR {fir_number}")
    with pytest.raises(LetterError, match="Unbalanced brace on line 1"):
        check_body("FIR {{fir_number}")
    with pytest.raises(LetterError, match="Unbalanced brace"):
        check_body("Sections }} here")


def test_admin_edits_a_template_and_letters_use_the_new_text(lettered) -> None:
    admin = _actor(lettered, "admin")
    template = _template(lettered, "case_property")
    edited = edit_template(
        lettered,
        admin,
        template.id,
        version=template.version,
        title="Case property letter",
        body="# To the SHO {{police_station}}\nProduce the property of FIR {{fir_number}}.",
    )
    assert edited.version == template.version + 1
    assert edited.revisions[-1].body == template.body  # the old wording is kept
    case = demo_case(lettered)
    letter = preview_letter(lettered, _actor(lettered, "pp.rahim"), case.id, template.id)
    assert letter.text.endswith("Produce the property of FIR 189.")
    assert lettered.store.find_one(AuditEntry, {"action": "letter_template.edited"}) is not None


def test_unknown_placeholder_is_refused_and_the_template_is_unchanged(demo) -> None:
    admin = _actor(demo, "admin")
    template = _template(demo, "adjournment")
    for body, message in (
        ("FIR {{fir_no}}", "Unknown placeholder {{fir_no}}"),
        ("FIR {{fir_number}", "Unbalanced brace"),
        ("   ", "Write the text"),
    ):
        with pytest.raises(LetterError, match=message.replace("{", r"\{").replace("}", r"\}")):
            edit_template(demo, admin, template.id, version=template.version, title="T", body=body)
    with pytest.raises(LetterError, match="title"):
        edit_template(demo, admin, template.id, version=template.version, title=" ", body="x")
    stored = demo.store.get(LetterTemplate, template.id)
    assert (stored.body, stored.title, stored.version) == (
        template.body,
        template.title,
        template.version,
    )


def test_only_administrators_edit_templates(demo) -> None:
    template = _template(demo, "adjournment")
    for username in ("clerk.south", "pp.rahim", "dpp.south", "pg.sindh"):
        who = _actor(demo, username)
        with pytest.raises(PermissionDenied):
            edit_template(demo, who, template.id, version=template.version, title="x", body="y")
        with pytest.raises(PermissionDenied):
            templates_for_editing(demo, who)
    assert demo.store.get(LetterTemplate, template.id).body == template.body


def test_stale_template_edit_is_refused(demo) -> None:
    admin = _actor(demo, "admin")
    template = _template(demo, "adjournment")
    opened = template.version
    edit_template(demo, admin, template.id, version=opened, title="A", body="First {{today}}")
    with pytest.raises(StaleWriteError, match="changed by someone else"):
        edit_template(demo, admin, template.id, version=opened, title="B", body="Second")
    assert demo.store.get(LetterTemplate, template.id).body == "First {{today}}"


def test_sections_come_through_the_registry_hook_not_an_import(lettered) -> None:
    """Case files reach the library only through ``Registry.section_texts``: without a
    registered lookup the letter still names each section, without heading or text."""
    import dataclasses

    from mizan.registry import Registry

    case = demo_case(lettered)
    rahim = _actor(lettered, "pp.rahim")
    assert lettered.registry.section_texts, "the library registers its lookup"
    bare = dataclasses.replace(lettered, registry=Registry())
    facts = case_facts(bare, rahim, case)
    assert facts["section_headings"].splitlines() == ["302 PPC", "34 PPC"]
    assert "qatl" not in facts["section_texts"]
    assert "Punishment of qatl-i-amd" in case_facts(lettered, rahim, case)["section_headings"]
