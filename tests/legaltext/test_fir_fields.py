"""CNICs, clock times, place of occurrence and narrative read from FIR text."""

from __future__ import annotations

from legaltext.fir_fields import find_cnics, find_narrative, find_places, find_times

ENGLISH = """FIRST INFORMATION REPORT
Date and time of report: 14.03.2024 at 1030 hours
Date and time of occurrence: 13.03.2024 at 10.30 pm
Place of occurrence: Near Makli graveyard, 2 km east of PS   Distance: 2 km
Complainant Ghulam Rasool s/o Ali Muhammad, CNIC 41304-1234567-3, phone 03001234567
Brief facts: The complainant states that on 13.03.2024 he was going home when the accused
fired at his brother, who died on the spot.
Action taken: case registered and investigation started.
"""


def test_cnics_are_read_with_or_without_dashes_and_phone_numbers_are_not() -> None:
    text = "CNIC 41304-1234567-3, NIC ۴۲۱۰۱۱۲۳۴۵۶۷۱ and phone 03001234567, id 123456789012345"
    found = find_cnics(text)
    assert [c.value for c in found] == ["41304-1234567-3", "42101-1234567-1"]
    assert text[found[0].start : found[0].end] == "41304-1234567-3"


def test_times_are_read_in_their_written_forms_and_dates_are_not_times() -> None:
    text = "at 1030 hours, 10.30 pm, 9 am, 22:15, ۱۰:۳۰ بجے; dated 14.03.2024; 2460 hours"
    assert [t.value for t in find_times(text)] == ["10:30", "22:30", "09:00", "22:15", "10:30"]
    # Impossible clocks are not times.
    assert find_times("25:10 and 13 pm and 10:75") == []


def test_place_is_the_rest_of_its_line_up_to_the_next_form_field() -> None:
    (place,) = find_places(ENGLISH)
    assert place.value == "Near Makli graveyard, 2 km east of PS"
    assert ENGLISH[place.start : place.end] == place.value
    (urdu,) = find_places("جائے وقوعہ: مکلی قبرستان کے قریب\nمدعی")
    assert urdu.value == "مکلی قبرستان کے قریب"
    assert find_places("Place of occurrence:\n") == []
    # A blank printed form's sub-items are not a place.
    assert find_places("4. Place of occurrence: (a)\n(b) Address") == []
    assert find_places("Place of occurrence: Direction and distance from P.S.") == []


def test_narrative_runs_from_its_label_to_the_closing_part_of_the_form() -> None:
    narrative = find_narrative(ENGLISH)
    assert narrative is not None
    assert narrative.value == (
        "The complainant states that on 13.03.2024 he was going home when the accused\n"
        "fired at his brother, who died on the spot."
    )
    assert ENGLISH[narrative.start :].startswith("The complainant states")
    urdu = find_narrative(
        "مختصر حالات: مدعی نے بیان کیا کہ ملزم نے اس کے بھائی پر فائرنگ کی\n"
        "اور وہ موقع پر جاں بحق ہو گیا\nدستخط"
    )
    assert urdu is not None and urdu.value.endswith("جاں بحق ہو گیا")
    # A label with nothing after it (an empty form) is no narrative.
    assert find_narrative("Brief facts:\nSignature of officer") is None
    assert find_narrative("no label here, only a long text about what happened that day") is None
