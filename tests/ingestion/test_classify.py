"""Document classification: cue phrases per type, in English and Urdu, and the fallback."""

from __future__ import annotations

import pytest

from ingestion.classify import DOCUMENT_TYPES, agreement, classify_text

CASES = [
    (
        "fir",
        "FIRST INFORMATION REPORT\nFirst Information of a Cognizable Offence reported under "
        "Section 154 Cr.P.C.\nPolice Station: Makli  District: Thatta\nComplainant Ghulam "
        "Rasool s/o Ali Muhammad stated that ...",
    ),
    (
        "challan",
        "REPORT UNDER SECTION 173 Cr.P.C. (INTERIM CHALLAN)\nFIR No. 189/2024 PS Makli\n"
        "Accused sent up for trial: Akbar s/o Noor Muhammad\nList of witnesses: ...\n"
        "Investigating Officer SI Rashid",
    ),
    (
        "statement",
        "STATEMENT OF WITNESS UNDER SECTION 161 Cr.P.C.\nI, Abdul Sattar s/o Karim Bux, "
        "stated that on the night of occurrence I saw the accused ...",
    ),
    (
        "medical",
        "MEDICO-LEGAL CERTIFICATE\nCivil Hospital Thatta\nInjuries: (1) a lacerated wound "
        "on the left forearm (2) abrasion on the knee. X-ray advised.\nMedical Officer",
    ),
    (
        "medical",
        "POST MORTEM REPORT\nCause of death: firearm injury to the chest causing shock.",
    ),
    (
        "forensic",
        "Punjab Forensic Science Agency\nReport of the Firearms Expert\nThree crime empties "
        "in sealed parcel No. 2 were examined; seals intact. DNA analysis not requested.",
    ),
    (
        "order",
        "ORDER SHEET\nIn the Court of the Sessions Judge, Thatta\nCase called. Accused present "
        "in custody. Bail is granted. Adjourned to 14.05.2024.",
    ),
    (
        "judgment",
        "JUDGMENT\n... points for determination ... For the reasons discussed above, the "
        "prosecution has failed to prove its case beyond reasonable doubt; the accused is "
        "acquitted under section 265-H(1) Cr.P.C. Reliance is placed on 2020 SCMR 1422.",
    ),
    ("fir", "ابتدائی اطلاعی رپورٹ\nمقدمہ نمبر ۱۸۹/۲۰۲۴ تھانہ مکلی\nمدعی غلام رسول ولد علی محمد"),
    ("challan", "عبوری چالان زیر دفعہ ۱۷۳ ض ف\nتفتیشی افسر"),
    ("medical", "پوسٹ مارٹم رپورٹ\nزخم سینے پر"),
    ("other", "Dear Sir, please find enclosed the list of stationery for the month."),
    ("other", ""),
]


@pytest.mark.parametrize(("expected", "text"), CASES)
def test_documents_are_classified_by_their_cues(expected: str, text: str) -> None:
    result = classify_text(text)
    assert result.doc_type == expected, (result.doc_type, result.scores)
    assert result.doc_type in DOCUMENT_TYPES
    if expected != "other":
        assert result.cues  # the clerk is shown why


def test_a_judgment_citing_an_fir_stays_a_judgment() -> None:
    text = (
        "JUDGMENT\nThe prosecution case as per FIR No. 12/2019 lodged under section 154 Cr.P.C. "
        "at Police Station Saddar is that ... In the result, the accused is convicted and "
        "sentenced. Reliance is placed on PLD 2019 SC 123."
    )
    assert classify_text(text).doc_type == "judgment"


def test_a_heading_cue_counts_more_than_the_same_cue_in_the_body() -> None:
    body = "x " * 400
    top = classify_text("MEDICO-LEGAL CERTIFICATE " + body).score
    bottom = classify_text(body + " MEDICO-LEGAL CERTIFICATE").score
    assert top == 2 * bottom


def test_agreement_measures_the_classifier_on_clerk_decisions() -> None:
    result = agreement([("fir", "fir"), ("order", "judgment"), ("medical", "medical")])
    assert result.total == 3 and result.correct == 2
    assert result.accuracy == pytest.approx(2 / 3)
    assert result.confusion[("order", "judgment")] == 1
    assert agreement([]).accuracy is None
