"""Letter templates: the kinds of letter, the placeholders a template may use, and the
stored templates administrators edit.

A template body is plain text with ``{{placeholder}}`` marks filled from the case
(``casefiles.letter_facts``). Lines starting with ``# `` are the letter's title,
``## `` a bold sub-heading; every other line is a paragraph. A placeholder whose
value has several lines (the hearing history, the sections' texts) becomes several
paragraphs. The check on save (:func:`check_body`) refuses an unknown placeholder or
an unbalanced brace, naming it, so a typo never reaches a letter as ``{{acused}}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import mongoengine as me

from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.storage import Model

#: The letters prosecutors write every week; each key is also the document type an
#: uploaded-back letter gets (``ingestion.classify.DOCUMENT_TYPES``).
LETTER_KINDS = {
    "scrutiny_objection": _l("Scrutiny objection memo to the SHO"),
    "bail_opposition": _l("Bail opposition note"),
    "adjournment": _l("Application for adjournment"),
    "appeal_proposal": _l("Proposal for appeal against acquittal"),
    "witness_summons": _l("Witness summons request"),
    "case_property": _l("Letter to the police for case property"),
}
LANGUAGES = {"en": _l("English"), "ur": _l("Urdu")}
#: Languages written right to left (the DOCX and PDF set them so).
RTL_LANGUAGES = frozenset({"ur"})

#: Every placeholder a template may use, with what it is filled with.
PLACEHOLDERS = {
    "today": _l("Today's date"),
    "case_reference": _l("The case reference (FIR number, year and police station)"),
    "case_title": _l("The case title"),
    "fir_number": _l("FIR number"),
    "fir_year": _l("FIR year"),
    "fir_date": _l("Date the FIR was registered"),
    "police_station": _l("Police station"),
    "district": _l("District"),
    "incident_date": _l("Date of the incident"),
    "incident_place": _l("Place of the incident"),
    "court": _l("Court of the trial"),
    "court_case_number": _l("The court's case number"),
    "sections": _l("Sections of law, e.g. 302, 34 PPC"),
    "section_headings": _l("Each section with its heading (one line each)"),
    "section_texts": _l("Each section with its heading and text from the library"),
    "accused_names": _l("Accused, with parentage"),
    "accused_custody": _l("Accused, each with custody status"),
    "complainant_names": _l("Complainant(s)"),
    "witness_names": _l("Witnesses (protected witnesses by pseudonym)"),
    "io_name": _l("Investigating officer of the latest police report"),
    "challan_date": _l("Date of the latest police report"),
    "objections": _l("Objections of the latest scrutiny (one line each)"),
    "hearing_history": _l("Hearings so far (one line each)"),
    "last_hearing_date": _l("Date of the last hearing"),
    "next_hearing_date": _l("Date of the next hearing"),
    "next_hearing_purpose": _l("Purpose of the next hearing"),
    "decision_date": _l("Date the case was decided"),
    "outcome": _l("Outcome of the trial"),
    "prosecutor_name": _l("Name of the prosecutor writing the letter"),
    "lead_prosecutor_name": _l("Name of the case's lead prosecutor"),
}

MAX_TITLE = 200
MAX_BODY = 20000
_MARK = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class LetterError(ValueError):
    """A template or letter request that cannot be accepted; the message says what to fix."""


class TemplateRevision(me.EmbeddedDocument):
    """What a template said before an edit (so an edit destroys nothing)."""

    title = me.StringField()
    body = me.StringField()
    by = me.StringField()
    by_name = me.StringField()
    at = me.DateTimeField()


class LetterTemplate(Model):
    """One stored template: a kind of letter in one language."""

    label = "letter template"
    key = me.StringField(required=True, choices=list(LETTER_KINDS))
    language = me.StringField(required=True, choices=list(LANGUAGES))
    title = me.StringField(required=True, max_length=MAX_TITLE)
    body = me.StringField(required=True, max_length=MAX_BODY)
    updated_by = me.StringField()
    updated_by_name = me.StringField()
    updated_at = me.DateTimeField()
    revisions = me.EmbeddedDocumentListField(TemplateRevision)

    meta = {
        "collection": "letter_templates",
        "indexes": [{"fields": ["key", "language"], "unique": True}],
    }

    @property
    def rtl(self) -> bool:
        return self.language in RTL_LANGUAGES


def _line_of(body: str, offset: int) -> int:
    return body.count("\n", 0, offset) + 1


def check_body(body: str) -> list[str]:
    """The placeholders ``body`` uses, in order; LetterError naming the first unknown
    placeholder or unbalanced brace."""
    used: list[str] = []
    unknown: list[str] = []
    for match in _MARK.finditer(body):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            unknown.append(match.group(0))
        elif name not in used:
            used.append(name)
    if unknown:
        raise LetterError(
            _(
                "Unknown placeholder %(mark)s. Use only the placeholders listed beside the box.",
                mark=unknown[0],
            )
        )
    rest = _MARK.sub(lambda m: " " * len(m.group(0)), body)
    stray = re.search(r"[{}]", rest)
    if stray:
        line_start = body.rfind("\n", 0, stray.start()) + 1
        line_end = body.find("\n", stray.start())
        line = body[line_start : line_end if line_end >= 0 else len(body)]
        at = stray.start() - line_start
        snippet = line[max(at - 20, 0) : at + 20].strip()
        raise LetterError(
            _(
                "Unbalanced brace on line %(line)d near “%(near)s”: a placeholder is written "
                "{{name}}, with two braces on each side.",
                line=_line_of(body, stray.start()),
                near=snippet,
            )
        )
    return used


def clean_template(title: str, body: str) -> tuple[str, str]:
    """The title and body as they will be stored; LetterError if either is unusable."""
    title = " ".join(title.split())
    body = body.replace("\r\n", "\n").strip()
    if not title:
        raise LetterError(_("Give the template a title."))
    if len(title) > MAX_TITLE:
        raise LetterError(_("The title is too long (%(n)d letters at most).", n=MAX_TITLE))
    if not body:
        raise LetterError(_("Write the text of the template."))
    if len(body) > MAX_BODY:
        raise LetterError(_("The text is too long (%(n)d letters at most).", n=MAX_BODY))
    check_body(body)
    return title, body


#: What stands in for a fact the case does not record yet: visible, for the writer to fill in.
BLANK = "………"


def fill(body: str, facts: dict[str, str]) -> str:
    """The body with every placeholder replaced by its fact (:data:`BLANK` if the case
    lacks it, so the writer sees where to fill it in)."""
    return _MARK.sub(lambda m: facts.get(m.group(1)) or BLANK, body)


@dataclass(frozen=True)
class Block:
    """One paragraph of a filled letter, as the DOCX and the PDF lay it out."""

    text: str
    style: str = "body"  # "title" | "heading" | "body" | "gap"


def blocks(text: str) -> list[Block]:
    """A filled letter split into paragraphs (see the module's notes on ``#`` and ``##``)."""
    found: list[Block] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if line.startswith("## "):
            found.append(Block(line[3:].strip(), "heading"))
        elif line.startswith("# "):
            found.append(Block(line[2:].strip(), "title"))
        elif not line.strip():
            if found and found[-1].style != "gap":
                found.append(Block("", "gap"))
        else:
            found.append(Block(line.strip()))
    while found and found[-1].style == "gap":
        found.pop()
    return found


# -- the defaults, seeded on first use; administrators edit them in the UI -------------------

_SIGNATURE_EN = """

{{prosecutor_name}}
Prosecutor, District {{district}}
Dated: {{today}}"""

DEFAULT_TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    (
        "scrutiny_objection",
        "en",
        "Scrutiny objection memo to the SHO",
        """# OFFICE OF THE DISTRICT PUBLIC PROSECUTOR, {{district}}

To,
The Station House Officer,
Police Station {{police_station}}

## Subject: Return of the police report in FIR No. {{fir_number}}/{{fir_year}} under \
sections {{sections}}

The police report (challan) submitted on {{challan_date}} by the investigating officer \
{{io_name}} in the above case has been scrutinised under the Sindh Criminal Prosecution \
Service (Constitution, Functions and Powers) Act, 2009. It is not fit for submission to the \
court and is returned with the following objections, which may be removed and the report \
resubmitted at the earliest:

{{objections}}

Accused: {{accused_names}}
Complainant: {{complainant_names}}

Sections:

{{section_headings}}"""
        + _SIGNATURE_EN,
    ),
    (
        "bail_opposition",
        "en",
        "Bail opposition note",
        """# IN THE COURT OF {{court}}

## {{court_case_number}} — State versus {{accused_names}}
FIR No. {{fir_number}}/{{fir_year}}, Police Station {{police_station}}, District {{district}}

## Objections on behalf of the State to the grant of bail

1. The applicant/accused {{accused_custody}} is nominated in the FIR registered on \
{{fir_date}} for an occurrence of {{incident_date}} at {{incident_place}}.
2. The offence falls under sections {{sections}}, which attract the prohibitory clause of \
section 497 Cr.P.C. The sections read:

{{section_texts}}

3. The complainant {{complainant_names}} and the witnesses {{witness_names}} have \
supported the prosecution case; there is sufficient material to connect the accused with \
the offence.
4. The trial is in progress. Hearings so far:

{{hearing_history}}

It is therefore prayed that the bail application may be dismissed."""
        + _SIGNATURE_EN,
    ),
    (
        "adjournment",
        "en",
        "Application for adjournment",
        """# IN THE COURT OF {{court}}

## {{court_case_number}} — State versus {{accused_names}}
FIR No. {{fir_number}}/{{fir_year}}, Police Station {{police_station}}, under sections {{sections}}

## Application on behalf of the State for adjournment

The above case is fixed on {{next_hearing_date}} for {{next_hearing_purpose}}. The \
prosecution is unable to proceed on that date for the following reason: [state the reason].

Hearings so far:

{{hearing_history}}

It is respectfully prayed that the case may be adjourned to a short date."""
        + _SIGNATURE_EN,
    ),
    (
        "appeal_proposal",
        "en",
        "Proposal for appeal against acquittal",
        """# OFFICE OF THE DISTRICT PUBLIC PROSECUTOR, {{district}}

To,
The Prosecutor General Sindh, Karachi

## Subject: Proposal for appeal against acquittal — {{case_reference}}

The trial of the accused {{accused_names}} in {{court_case_number}} before {{court}} under \
sections {{sections}} ended on {{decision_date}} with the outcome: {{outcome}}.

Sections charged:

{{section_headings}}

Complainant: {{complainant_names}}
Witnesses: {{witness_names}}

Hearings of the trial:

{{hearing_history}}

Grounds for appeal: [state where the judgment misread the evidence or the law].

It is proposed that an appeal against acquittal be filed within the period of limitation."""
        + _SIGNATURE_EN,
    ),
    (
        "witness_summons",
        "en",
        "Witness summons request",
        """# IN THE COURT OF {{court}}

## {{court_case_number}} — State versus {{accused_names}}
FIR No. {{fir_number}}/{{fir_year}}, Police Station {{police_station}}, under sections {{sections}}

## Application on behalf of the State for summons to prosecution witnesses

The case is fixed on {{next_hearing_date}} for {{next_hearing_purpose}}. It is prayed that \
summons be issued through the SHO, Police Station {{police_station}}, to the following \
prosecution witnesses for that date:

{{witness_names}}"""
        + _SIGNATURE_EN,
    ),
    (
        "case_property",
        "en",
        "Letter to the police for case property",
        """# OFFICE OF THE DISTRICT PUBLIC PROSECUTOR, {{district}}

To,
The Station House Officer,
Police Station {{police_station}}

## Subject: Production of case property in FIR No. {{fir_number}}/{{fir_year}} under \
sections {{sections}}

The above case ({{court_case_number}}) is fixed before {{court}} on {{next_hearing_date}} \
for {{next_hearing_purpose}}. You are requested to produce the case property, sealed as \
recovered, through the officer in charge of the malkhana on that date, together with the \
entries of the register of property (Register No. XIX).

Accused: {{accused_names}}
Investigating officer: {{io_name}}"""
        + _SIGNATURE_EN,
    ),
    (
        "bail_opposition",
        "ur",
        "ضمانت کی مخالفت کا نوٹ",
        """# بعدالت {{court}}

## {{court_case_number}} — سرکار بنام {{accused_names}}
ایف آئی آر نمبر {{fir_number}}/{{fir_year}}، تھانہ {{police_station}}، ضلع {{district}}

## درخواست ضمانت پر سرکار کی جانب سے اعتراضات

1۔ ملزم {{accused_custody}} ایف آئی آر میں نامزد ہے جو {{fir_date}} کو درج ہوئی، وقوعہ \
{{incident_date}} کو {{incident_place}} پر پیش آیا۔
2۔ جرم دفعات {{sections}} کے تحت آتا ہے جو دفعہ 497 ضابطہ فوجداری کی ممانعتی شق میں آتی ہیں۔ \
دفعات کا متن:

{{section_texts}}

3۔ مدعی {{complainant_names}} اور گواہان {{witness_names}} نے استغاثہ کی تائید کی ہے؛ ملزم کو \
جرم سے جوڑنے کے لیے کافی مواد موجود ہے۔
4۔ مقدمے کی سماعت جاری ہے۔ اب تک کی پیشیاں:

{{hearing_history}}

لہٰذا استدعا ہے کہ درخواست ضمانت خارج کی جائے۔

{{prosecutor_name}}
پراسیکیوٹر، ضلع {{district}}
مورخہ: {{today}}""",
    ),
    (
        "scrutiny_objection",
        "ur",
        "ایس ایچ او کے نام جانچ کے اعتراضات",
        """# دفتر ڈسٹرکٹ پبلک پراسیکیوٹر، {{district}}

بخدمت جناب ایس ایچ او صاحب،
تھانہ {{police_station}}

## موضوع: ایف آئی آر نمبر {{fir_number}}/{{fir_year}} زیر دفعات {{sections}} کا چالان واپس

تفتیشی افسر {{io_name}} کی جانب سے {{challan_date}} کو پیش کردہ چالان کی جانچ کی گئی۔ چالان \
عدالت میں پیش کرنے کے قابل نہیں، لہٰذا درج ذیل اعتراضات کے ساتھ واپس کیا جاتا ہے، جنہیں دور کر \
کے چالان جلد دوبارہ پیش کیا جائے:

{{objections}}

ملزمان: {{accused_names}}
مدعی: {{complainant_names}}

{{prosecutor_name}}
پراسیکیوٹر، ضلع {{district}}
مورخہ: {{today}}""",
    ),
)

_SIGNATURE_UR = """

{{prosecutor_name}}
پراسیکیوٹر، ضلع {{district}}
مورخہ: {{today}}"""

DEFAULT_TEMPLATES += (
    (
        "adjournment",
        "ur",
        "درخواست برائے التوا",
        """# بعدالت {{court}}

## {{court_case_number}} — سرکار بنام {{accused_names}}
ایف آئی آر نمبر {{fir_number}}/{{fir_year}}، تھانہ {{police_station}}، زیر دفعات {{sections}}

## سرکار کی جانب سے درخواست برائے التوا

مقدمہ ہٰذا {{next_hearing_date}} کو {{next_hearing_purpose}} کے لیے مقرر ہے۔ استغاثہ درج ذیل وجہ \
سے اس تاریخ پر کارروائی سے قاصر ہے: [وجہ تحریر کریں]۔

اب تک کی پیشیاں:

{{hearing_history}}

استدعا ہے کہ مقدمہ کی سماعت مختصر تاریخ تک ملتوی کی جائے۔"""
        + _SIGNATURE_UR,
    ),
    (
        "witness_summons",
        "ur",
        "گواہان کی طلبی کی درخواست",
        """# بعدالت {{court}}

## {{court_case_number}} — سرکار بنام {{accused_names}}
ایف آئی آر نمبر {{fir_number}}/{{fir_year}}، تھانہ {{police_station}}، زیر دفعات {{sections}}

## سرکار کی جانب سے استغاثہ کے گواہان کی طلبی کی درخواست

مقدمہ {{next_hearing_date}} کو {{next_hearing_purpose}} کے لیے مقرر ہے۔ استدعا ہے کہ ایس ایچ او \
تھانہ {{police_station}} کی معرفت درج ذیل گواہان کو اس تاریخ کے لیے سمن جاری کیے جائیں:

{{witness_names}}"""
        + _SIGNATURE_UR,
    ),
    (
        "case_property",
        "ur",
        "مال مقدمہ کے لیے پولیس کے نام خط",
        """# دفتر ڈسٹرکٹ پبلک پراسیکیوٹر، {{district}}

بخدمت جناب ایس ایچ او صاحب،
تھانہ {{police_station}}

## موضوع: ایف آئی آر نمبر {{fir_number}}/{{fir_year}} زیر دفعات {{sections}} میں مال مقدمہ کی پیشی

مقدمہ ہٰذا ({{court_case_number}}) {{court}} میں {{next_hearing_date}} کو {{next_hearing_purpose}} \
کے لیے مقرر ہے۔ آپ سے گزارش ہے کہ اس تاریخ پر مال مقدمہ، برآمدگی کے وقت کی مہروں کے ساتھ، \
انچارج مال خانہ کی معرفت رجسٹر نمبر 19 کے اندراجات سمیت عدالت میں پیش کیا جائے۔

ملزمان: {{accused_names}}
تفتیشی افسر: {{io_name}}"""
        + _SIGNATURE_UR,
    ),
    (
        "appeal_proposal",
        "ur",
        "بریت کے خلاف اپیل کی تجویز",
        """# دفتر ڈسٹرکٹ پبلک پراسیکیوٹر، {{district}}

بخدمت جناب پراسیکیوٹر جنرل سندھ، کراچی

## موضوع: بریت کے خلاف اپیل کی تجویز — {{case_reference}}

ملزمان {{accused_names}} کے خلاف {{court}} میں مقدمہ {{court_case_number}} زیر دفعات {{sections}} \
کی سماعت {{decision_date}} کو اس نتیجے پر ختم ہوئی: {{outcome}}۔

دفعات:

{{section_headings}}

مدعی: {{complainant_names}}
گواہان: {{witness_names}}

سماعت کی پیشیاں:

{{hearing_history}}

اپیل کی بنیادیں: [تحریر کریں کہ فیصلے میں شہادت یا قانون کو کہاں غلط سمجھا گیا]۔

تجویز ہے کہ میعاد کے اندر بریت کے خلاف اپیل دائر کی جائے۔"""
        + _SIGNATURE_UR,
    ),
)
