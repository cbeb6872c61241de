"""Case details read from FIR text (English and Urdu), with provenance and OCR confidence."""

from __future__ import annotations

import datetime as dt

from ingestion.metadata import PageInput, find_metadata, parse_date
from ingestion.ocr import Word

TODAY = dt.date(2026, 1, 1)

FIR_TEXT = """FIRST INFORMATION REPORT
(First information of a cognizable offence reported under Section 154 Cr.P.C.)
FIR No. 189/2024   Police Station: Makli   District: Thatta
Date and time of report: 14.03.2024 at 1030 hours
Date and time of occurrence: 13/Mar/2024 at 2200 hours
Offence: u/s 302, 324, 34 PPC r/w 23(1)(a) Sindh Arms Act, 2013
Complainant Ghulam Rasool s/o Ali Muhammad, by caste Jatoi, r/o village Makli.
Accused: (1) Akbar @ Kaka s/o Noor Muhammad (2) Mst. Zainab w/o Akbar, both r/o Thatta.
The case was later tried as Sessions Case No. 338 of 2024; on 02.05.2024 the IO visited.
"""


def _by_field(found):
    out: dict[str, list] = {}
    for f in found:
        out.setdefault(f.field, []).append(f)
    return out


def test_english_fir_fields_are_found_with_where_they_were_read() -> None:
    found = _by_field(find_metadata([PageInput(1, FIR_TEXT)], today=TODAY))
    values = {k: [f.value for f in v] for k, v in found.items()}
    assert values["fir_number"] == ["189"]
    assert values["fir_year"] == ["2024"]
    assert values["police_station"] == ["Makli"]
    assert values["district"] == ["Thatta"]
    assert values["registered_on"] == ["2024-03-14"]
    assert values["occurred_on"] == ["2024-03-13"]
    assert values["offences"] == ["302 PPC; 324 PPC; 34 PPC; 23(1)(a) SAA"]
    assert values["complainant"] == ["Ghulam Rasool s/o Ali Muhammad"]
    assert values["accused"] == ["Akbar @ Kaka s/o Noor Muhammad", "Mst. Zainab w/o Akbar"]
    assert values["court_case_number"] == ["Sessions Case No. 338 of 2024"]
    number = found["fir_number"][0]
    assert number.page == 1 and FIR_TEXT[number.start : number.end] == "189"
    # Text-layer pages have no OCR confidence and are never flagged.
    assert number.ocr_confidence is None and not number.flagged


def test_procedure_sections_and_unlabelled_dates_are_not_suggested() -> None:
    found = find_metadata([PageInput(1, FIR_TEXT)], today=TODAY)
    assert not any("CrPC" in f.value for f in found if f.field == "offences")
    # 02.05.2024 has no label saying what it is: it is not guessed to be anything.
    assert not any(f.value == "2024-05-02" for f in found)


def test_urdu_fir_fields_are_found() -> None:
    text = (
        "ابتدائی اطلاعی رپورٹ\n"
        "مقدمہ نمبر ۱۸۹/۲۰۲۴ تھانہ مکلی ضلع ٹھٹھہ\n"
        "بجرم زیر دفعہ 302، 324 ت پ\n"
        "مدعی غلام رسول ولد علی محمد قوم جتوئی\n"
        "ملزم اکبر ولد نور محمد"
    )
    values = {(f.field, f.value) for f in find_metadata([PageInput(2, text)], today=TODAY)}
    assert ("fir_number", "189") in values and ("fir_year", "2024") in values
    assert ("police_station", "مکلی") in values
    assert ("district", "ٹھٹھہ") in values
    assert ("offences", "302 PPC; 324 PPC") in values
    assert ("complainant", "غلام رسول s/o علی محمد") in values
    assert ("accused", "اکبر s/o نور محمد") in values


def test_indian_form_fields_are_read() -> None:
    text = (
        "FIRST INFORMATION REPORT\n1. Dist. North 24 Parganas P.S. Baguiati Year 2018 "
        "FIR No. 523\n2. (i) Act IPC Sections 341/325/34\n"
        "6. Complainant / Informant:\n(a) Name Fatema Bibi\n"
        "(b) Father's / Husband's Name Abdul Karim"
    )
    values = {(f.field, f.value) for f in find_metadata([PageInput(1, text)], today=TODAY)}
    assert ("fir_number", "523") in values
    assert ("fir_year", "2018") in values
    assert ("police_station", "Baguiati") in values
    assert ("complainant", "Fatema Bibi") in values


def test_a_value_read_with_low_ocr_confidence_is_flagged() -> None:
    text = "FIR No. 189/2024 Police Station: Makli"
    words = (
        Word("FIR", 95, 0, 0, 40, 20),
        Word("No.", 95, 45, 0, 30, 20),
        Word("189/2024", 41, 80, 0, 90, 20),
        Word("Police", 93, 180, 0, 60, 20),
        Word("Station:", 92, 245, 0, 70, 20),
        Word("Makli", 88, 320, 0, 50, 20),
    )
    found = {f.field: f for f in find_metadata([PageInput(1, text, words)], today=TODAY)}
    assert found["fir_number"].ocr_confidence == 41 and found["fir_number"].flagged
    assert found["police_station"].ocr_confidence == 88
    assert not found["police_station"].flagged


def test_dates_are_real_and_not_in_the_future() -> None:
    assert parse_date("18", "04", "2011", today=TODAY) == dt.date(2011, 4, 18)
    assert parse_date("4", "Jul", "2024", today=TODAY) == dt.date(2024, 7, 4)
    assert parse_date("31", "02", "2024", today=TODAY) is None
    assert parse_date("01", "01", "2030", today=TODAY) is None
    assert parse_date("01", "01", "99", today=TODAY) == dt.date(1999, 1, 1)


def test_the_same_value_is_suggested_once() -> None:
    pages = [PageInput(1, "FIR No. 12/2023 PS Saddar"), PageInput(2, "FIR No. 12/2023 PS Saddar")]
    found = find_metadata(pages, today=TODAY)
    assert [f.field for f in found].count("fir_number") == 1
    assert next(f for f in found if f.field == "fir_number").page == 1


def test_law_report_citations_are_suggested_in_canonical_form() -> None:
    text = (
        "Reliance is placed on 2020 SCMR 1422 and 2021 P.Cr.L.J. 612; "
        "see Crl. Appeal No. 9 of 2014."
    )
    found = [f for f in find_metadata([PageInput(1, text)], today=TODAY) if f.field == "citation"]
    assert [f.value for f in found] == ["2020 SCMR 1422", "2021 PCrLJ 612"]
    assert found[1].raw == "2021 P.Cr.L.J. 612"


FULL_FIR = FIR_TEXT.replace("s/o Ali Muhammad,", "s/o Ali Muhammad, CNIC 41304-1234567-3,") + (
    "Place of occurrence: Near Makli graveyard, 2 km east of PS\n"
    "Brief facts: The complainant states that on 13.03.2024 he was going home when the\n"
    "accused fired at his brother, who died on the spot.\n"
    "Action taken: registered.\n"
)


def test_times_place_narrative_and_cnics_are_suggested() -> None:
    found = _by_field(find_metadata([PageInput(1, FULL_FIR)], today=TODAY))
    values = {k: [f.value for f in v] for k, v in found.items()}
    assert values["registered_at"] == ["10:30"]
    assert values["occurred_at"] == ["22:00"]
    assert values["place"] == ["Near Makli graveyard, 2 km east of PS"]
    assert values["narrative"] == [
        "The complainant states that on 13.03.2024 he was going home when the\n"
        "accused fired at his brother, who died on the spot."
    ]
    (complainant,) = found["complainant"]
    assert complainant.value == "Ghulam Rasool s/o Ali Muhammad, CNIC 41304-1234567-3"
    assert complainant.extra["cnic"] == "41304-1234567-3"
    # The CNIC written after the complainant is not given to the accused.
    assert all("CNIC" not in v for v in values["accused"])
    # "PS" at the end of the place line is not a police station named "Brief".
    assert values["police_station"] == ["Makli"]


def test_urdu_time_place_narrative_and_cnic_are_suggested() -> None:
    text = (
        "مقدمہ نمبر ۱۸۹/۲۰۲۴ تھانہ مکلی\n"
        "تاریخ وقوعہ ۱۳.۰۳.۲۰۲۴ بوقت ۲۲:۰۰ بجے\n"
        "جائے وقوعہ: مکلی قبرستان کے قریب\n"
        "مدعی غلام رسول ولد علی محمد شناختی کارڈ نمبر ۴۱۳۰۴۱۲۳۴۵۶۷۳\n"
        "مختصر حالات: مدعی نے بیان کیا کہ ملزم نے اس کے بھائی پر فائرنگ کی\n"
        "اور وہ موقع پر جاں بحق ہو گیا\n"
    )
    values = {(f.field, f.value) for f in find_metadata([PageInput(1, text)], today=TODAY)}
    assert ("occurred_on", "2024-03-13") in values and ("occurred_at", "22:00") in values
    assert ("place", "مکلی قبرستان کے قریب") in values
    assert ("complainant", "غلام رسول s/o علی محمد, CNIC 41304-1234567-3") in values
    assert any(f == "narrative" and v.endswith("جاں بحق ہو گیا") for f, v in values)


def test_an_unlabelled_time_is_not_suggested() -> None:
    found = find_metadata([PageInput(1, "The meeting was at 10:30 am.")], today=TODAY)
    assert not any(f.field.endswith("_at") for f in found)


def test_a_capital_relation_word_still_names_the_person() -> None:
    # OCR of a typed FIR reads "s/o" as "S/o" now and then; typists write it so too.
    text = "Accused: (1) Rashid Mehmood s/o Muhammad Akram (2) Sikandar Ali S/o Asif Raza\n"
    found = _by_field(find_metadata([PageInput(1, text)], today=TODAY))
    assert [f.value for f in found["accused"]] == [
        "Rashid Mehmood s/o Muhammad Akram",
        "Sikandar Ali s/o Asif Raza",
    ]
