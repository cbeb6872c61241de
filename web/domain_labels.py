"""Display labels for names that live in data files and stored records, not in code.

Deadline rules and the scrutiny checklist come from ``casefiles/*.toml``; judgment topics and
courts from the imported library; districts from the store. Stored values stay English; the
pages translate them when shown (``_(label)`` for rules and checklist items, the helpers below
for the rest). ``pybabel extract`` finds only strings marked in code, so each name is listed
here with ``_l``: that is what puts it in the Urdu catalogue. Tests check these lists against
the TOML files, so a new rule without a translation fails.
"""

from __future__ import annotations

from flask import g
from flask_babel import get_locale

from mizan.accounts.service import list_districts
from mizan.i18n import lazy_gettext as _l
from web.support import kernel

#: casefiles/deadline_rules.toml, by rule id.
DEADLINE_LABELS = {
    "interim_challan": _l("Interim challan (s.173 report) due"),
    "interim_challan_ata": _l("Interim challan due (ATA case)"),
    "police_remand_limit": _l("Police remand limit reached (15 days, s.167)"),
    "ata_remand_limit": _l("Remand limit reached (ATA, 90 days)"),
    "ata_trial_decision": _l("ATA trial decision target (7 working days)"),
    "appeal_sessions_court": _l("Last day for appeal to the Sessions Court"),
    "appeal_high_court": _l("Last day for appeal to the High Court"),
    "appeal_death_sentence": _l("Last day for appeal against the death sentence"),
    "state_appeal_acquittal": _l("Last day for the State's appeal against acquittal (s.417(1))"),
    "aggrieved_appeal_acquittal": _l(
        "Last day for the aggrieved person's appeal against acquittal (s.417(2-A))"
    ),
    "complainant_special_leave": _l(
        "Last day for the complainant's special leave to appeal against acquittal (s.417(3))"
    ),
    "ata_appeal_conviction": _l("Last day for appeal against ATC conviction (ATA s.25)"),
    "ata_state_appeal_acquittal": _l(
        "Last day for the State's appeal against ATC acquittal (ATA s.25)"
    ),
    "ata_victim_appeal_acquittal": _l(
        "Last day for the victim's or heir's appeal against ATC acquittal (ATA s.25(4A))"
    ),
    "sc_leave_petition": _l("Last day for petition for leave to appeal to the Supreme Court"),
    "revision_reminder": _l("Consider revision (no statutory limit)"),
}

#: The notes of the rules still to be confirmed (shown with their "to be confirmed" badge).
DEADLINE_NOTES = {
    "interim_challan_ata": _l(
        "ATA s.19: investigation within 30 working days, otherwise an interim report within 3"
        " days. To confirm: whether those 3 days are calendar or working days (calendar used "
        "here, the earlier date), and that the 30 working days run from the FIR."
    ),
    "ata_remand_limit": _l(
        "ATA s.21-E: up to 30 days at a time and 90 in total, to be confirmed. Assumes "
        "unbroken custody from the first remand order; each 30-day order still needs renewal."
    ),
    "ata_trial_decision": _l(
        "ATA s.19(7): day-to-day trial, decision within 7 working days, otherwise the Chief "
        "Justice or administrative judge is informed. Tracked as a KPI. To confirm: the "
        "statute speaks of cognizance; the clock starts here at charge."
    ),
    "state_appeal_acquittal": _l(
        "Limitation Act Art.157: 6 months, to be confirmed against the current text. The "
        "three sign-offs (trial prosecutor, Prosecutor General via the Law Secretary, Law "
        "Minister) must all be done before this date."
    ),
    "ata_appeal_conviction": _l(
        "ATA s.25(3): the period has been amended (7 days in the original Act); 30 days to be"
        " confirmed against the current text."
    ),
    "ata_state_appeal_acquittal": _l(
        "ATA s.25: period for the Government's appeal against an ATC acquittal to be "
        "confirmed; 30 days used as the safe (earlier) date instead of the 6 months of "
        "s.417(1)."
    ),
}

#: casefiles/scrutiny.toml, by item key.
SCRUTINY_LABELS = {
    "fir_copy": _l("Copy of the FIR attached"),
    "site_plan": _l("Site plan and memo of the place of incident (mashirnama)"),
    "statements_161": _l("Statements of all witnesses under s.161 CrPC"),
    "recovery_memos": _l("Recovery memos of weapons and case property"),
    "medical": _l("Medical / post-mortem report"),
    "forensic": _l("Forensic / chemical examiner report, or proof it was sought"),
    "witness_list": _l("List of witnesses and documents"),
    "sections_match": _l("Sections applied are supported by the evidence"),
    "case_property": _l("Case property deposited in the malkhana"),
    "accused_record": _l("Previous record of the accused"),
}

#: Judgment topics as the law reports file them (the shared data set's eleven).
TOPIC_LABELS = {
    "Criminal Law": _l("Criminal Law"),
    "Constitutional Law": _l("Constitutional Law"),
    "Civil Law": _l("Civil Law"),
    "Property & Rent": _l("Property & Rent"),
    "Succession & Inheritance": _l("Succession & Inheritance"),
    "Tax Law": _l("Tax Law"),
    "Banking & Corporate": _l("Banking & Corporate"),
    "Family Law": _l("Family Law"),
    "General": _l("General"),
    "Labour & Service": _l("Labour & Service"),
    "Company Law": _l("Company Law"),
}

#: The superior courts whose judgments the library holds.
COURT_LABELS = {
    "Supreme Court of Pakistan": _l("Supreme Court of Pakistan"),
    "Sindh High Court": _l("Sindh High Court"),
    "Balochistan High Court": _l("Balochistan High Court"),
    "Lahore High Court": _l("Lahore High Court"),
    "Peshawar High Court": _l("Peshawar High Court"),
    "Islamabad High Court": _l("Islamabad High Court"),
    "Federal Shariat Court": _l("Federal Shariat Court"),
}

#: Acts by their library code (a statute's "document type" in search facets is its code).
ACT_LABELS = {
    "ppc": _l("Pakistan Penal Code"),
    "crpc": _l("Code of Criminal Procedure"),
    "qso": _l("Qanun-e-Shahadat Order"),
    "ata": _l("Anti-Terrorism Act"),
    "cnsa": _l("Control of Narcotic Substances Act"),
    "constitution": _l("Constitution of Pakistan"),
}


def act_label(code: str, title: str = "") -> str:
    """An act's name: in Urdu from the table, in English as imported (its title), else the
    code as it is."""
    known = ACT_LABELS.get(code.lower())
    if known is not None and (str(get_locale() or "en") == "ur" or not title):
        return str(known)
    return title or code


def topic_label(topic: str | None) -> str:
    return str(TOPIC_LABELS.get(topic or "", topic or ""))


def court_label(court: str | None) -> str:
    """A superior court's name in the reader's language; other courts (trial courts named
    by their postings, e.g. "ATC-XII Karachi") as written."""
    return str(COURT_LABELS.get(court or "", court or ""))


def district_name(code: str | None) -> str:
    """A district's name in the reader's language (its stored Urdu name), for a code such as
    "KHI-S"; an unknown code as it is. The districts are read once per request."""
    if not code:
        return ""
    if "district_names" not in g:
        urdu = str(get_locale() or "en") == "ur"
        g.district_names = {
            d.code: (d.name_ur if urdu and d.name_ur else d.name) for d in list_districts(kernel())
        }
    return str(g.district_names.get(code, code))
