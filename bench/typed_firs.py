"""Generated typed FIRs in English and Urdu, each with the values a reader should find.

The real scanned samples are labelled for four fields only; these cover every FIR field
(times, place, CNICs, narrative too). Layouts and written forms vary on purpose (time as
"1030 hours", "10.30 pm" or "22:30"; CNICs with and without dashes; label variants), but
they are generated, so a score here says the readers handle these forms, not that they
handle every police station's typing. Seeded: the same seed gives the same FIRs.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

__all__ = ["TypedFir", "typed_firs"]

_EN_NAMES = [
    "Ghulam Rasool", "Ali Muhammad", "Abdul Ghani", "Noor Ahmed", "Imran Khan", "Zahid Hussain",
    "Sajjad Ali", "Muhammad Akram", "Rashid Mehmood", "Javed Iqbal", "Mst. Shazia", "Asif Raza",
    "Nadeem Abbas", "Fida Hussain", "Qadir Bux", "Allah Dino", "Shahid Latif", "Sikandar Ali",
]  # fmt: skip
_UR_NAMES = [
    "غلام رسول", "علی محمد", "عبدالغنی", "نور احمد", "عمران خان", "زاہد حسین", "سجاد علی",
    "محمد اکرم", "راشد محمود", "جاوید اقبال", "آصف رضا", "ندیم عباس", "قادر بخش", "اللہ ڈنو",
]  # fmt: skip
_EN_STATIONS = [
    ("Artillery Maidan", "Karachi South"), ("Makli", "Thatta"), ("Site Area", "Hyderabad"),
    ("Civil Lines", "Karachi South"), ("Kotri", "Jamshoro"), ("Naseem Nagar", "Hyderabad"),
]  # fmt: skip
_UR_STATIONS = [
    ("مکلی", "ٹھٹھہ"), ("کوٹڑی", "جامشورو"), ("سول لائنز", "کراچی"), ("لطیف آباد", "حیدرآباد"),
]  # fmt: skip
_EN_PLACES = [
    "Outside Empress Market, Saddar", "Near Makli graveyard, 2 km east of PS",
    "House No. 14, Street 3, Latifabad Unit 7", "Main Road near Kotri bridge",
    "Shop in Jamia Cloth Market", "Village Haji Khan, Deh Jhimpir",
]  # fmt: skip
_UR_PLACES = [
    "مکلی قبرستان کے قریب", "صدر بازار کی دکان", "کوٹڑی پل کے پاس مین روڈ", "گاؤں حاجی خان",
]  # fmt: skip
_SECTIONS = [["302", "34"], ["324", "34"], ["392"], ["380", "457"], ["337-A(i)", "34"], ["406"]]
_EN_FACTS = [
    "The complainant states that he was going home with his brother when the accused came on "
    "a motorcycle and fired at them; his brother was hit and died on the spot.",
    "The complainant states that at night unknown persons broke the lock of his shop and took "
    "away cash and mobile phones; the accused was seen by the chowkidar.",
    "The complainant states that the accused stopped him at gunpoint, snatched his wallet and "
    "his mobile phone and ran away towards the main road.",
]
_UR_FACTS = [
    "مدعی نے بیان کیا کہ وہ اپنے بھائی کے ساتھ گھر جا رہا تھا کہ ملزم نے موٹر سائیکل پر آ کر "
    "فائرنگ کی جس سے اس کا بھائی موقع پر جاں بحق ہو گیا۔",
    "مدعی نے بیان کیا کہ رات کو نامعلوم افراد اس کی دکان کا تالا توڑ کر نقدی اور "
    "موبائل فون لے گئے۔",
    "مدعی نے بیان کیا کہ ملزم نے اسلحہ کے زور پر اس سے بٹوہ اور موبائل فون چھین لیا۔",
]
_URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@dataclass(frozen=True)
class TypedFir:
    """One generated FIR: its text and, per field, the values a perfect reader suggests."""

    lang: str
    text: str
    gold: dict[str, list[str]]


def _cnic(rng: random.Random) -> tuple[str, str]:
    digits = f"{rng.randint(10000, 99999)}{rng.randint(1000000, 9999999)}{rng.randint(1, 9)}"
    canon = f"{digits[:5]}-{digits[5:12]}-{digits[12]}"
    return canon, canon if rng.random() < 0.6 else digits


def _clock(rng: random.Random, t: dt.time) -> str:
    h, m = t.hour, t.minute
    return rng.choice(
        [
            f"{h:02d}{m:02d} hours",
            f"{h:02d}:{m:02d}",
            f"{(h % 12) or 12}.{m:02d} {'pm' if h >= 12 else 'am'}",
        ]
    )


def _english(rng: random.Random) -> TypedFir:
    station, district = rng.choice(_EN_STATIONS)
    number, year = rng.randint(1, 900), rng.randint(2019, 2025)
    occurred = dt.date(year, rng.randint(1, 12), rng.randint(1, 27))
    reported = occurred + dt.timedelta(days=rng.randint(0, 1))
    t_occ = dt.time(rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
    t_rep = dt.time(rng.randint(0, 23), rng.choice([0, 10, 20, 40]))
    place = rng.choice(_EN_PLACES)
    sections = rng.choice(_SECTIONS)
    names = rng.sample(_EN_NAMES, 6)
    c_cnic, c_written = _cnic(rng)
    a_cnic, a_written = _cnic(rng)
    facts = rng.choice(_EN_FACTS)
    rel = "w/o" if names[0].startswith("Mst.") else "s/o"
    text = (
        "FIRST INFORMATION REPORT\n"
        "(First information of a cognizable offence reported under Section 154 Cr.P.C.)\n"
        f"FIR No. {number}/{year}   Police Station: {station}   District: {district}\n"
        f"Date and time of report: {reported:%d.%m.%Y} at {_clock(rng, t_rep)}\n"
        f"Date and time of occurrence: {occurred:%d.%m.%Y} at {_clock(rng, t_occ)}\n"
        f"{rng.choice(['Place of occurrence', 'Place of incident'])}: {place}\n"
        f"Offence: u/s {', '.join(sections)} PPC\n"
        f"Complainant {names[0]} {rel} {names[1]}, CNIC {c_written}, r/o {district}\n"
        f"Accused: (1) {names[2]} s/o {names[3]}, CNIC No. {a_written} "
        f"(2) {names[4]} s/o {names[5]}\n"
        f"{rng.choice(['Brief facts', 'Brief Facts of the case'])}: {facts}\n"
        "Action taken: Case registered and investigation entrusted to the IO.\n"
    )
    gold = {
        "fir_number": [str(number)],
        "fir_year": [str(year)],
        "police_station": [station],
        "district": [district],
        "registered_on": [reported.isoformat()],
        "registered_at": [t_rep.strftime("%H:%M")],
        "occurred_on": [occurred.isoformat()],
        "occurred_at": [t_occ.strftime("%H:%M")],
        "place": [place],
        "offences": ["; ".join(f"{s} PPC" for s in sections)],
        "complainant": [f"{names[0]} {rel} {names[1]}, CNIC {c_cnic}"],
        "accused": [f"{names[2]} s/o {names[3]}, CNIC {a_cnic}", f"{names[4]} s/o {names[5]}"],
        "narrative": [facts],
        "cnic": [c_cnic, a_cnic],
    }
    return TypedFir("eng", text, gold)


def _urdu(rng: random.Random) -> TypedFir:
    station, district = rng.choice(_UR_STATIONS)
    number, year = rng.randint(1, 900), rng.randint(2019, 2025)
    occurred = dt.date(year, rng.randint(1, 12), rng.randint(1, 27))
    reported = occurred + dt.timedelta(days=rng.randint(0, 1))
    t_occ = dt.time(rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
    t_rep = dt.time(rng.randint(0, 23), rng.choice([0, 10, 20, 40]))
    place = rng.choice(_UR_PLACES)
    sections = rng.choice([s for s in _SECTIONS if "(" not in s[0]])
    names = rng.sample(_UR_NAMES, 4)
    c_cnic, c_written = _cnic(rng)
    facts = rng.choice(_UR_FACTS)
    digits = rng.random() < 0.5  # Urdu or ASCII digits, as typists use both

    def num(text: str) -> str:
        return text.translate(_URDU_DIGITS) if digits else text

    text = (
        "ابتدائی اطلاعی رپورٹ\n"
        f"مقدمہ نمبر {num(f'{number}/{year}')} تھانہ {station} ضلع {district}\n"
        f"تاریخ اندراج {num(f'{reported:%d.%m.%Y}')} بوقت {num(f'{t_rep:%H:%M}')} بجے\n"
        f"تاریخ وقوعہ {num(f'{occurred:%d.%m.%Y}')} بوقت {num(f'{t_occ:%H:%M}')} بجے\n"
        f"جائے وقوعہ: {place}\n"
        f"بجرم زیر دفعہ {'، '.join(sections)} ت پ\n"
        f"مدعی {names[0]} ولد {names[1]} شناختی کارڈ نمبر {num(c_written)}\n"
        f"ملزم {names[2]} ولد {names[3]}\n"
        f"مختصر حالات: {facts}\n"
        "دستخط افسر\n"
    )
    gold = {
        "fir_number": [str(number)],
        "fir_year": [str(year)],
        "police_station": [station],
        "district": [district],
        "registered_on": [reported.isoformat()],
        "registered_at": [t_rep.strftime("%H:%M")],
        "occurred_on": [occurred.isoformat()],
        "occurred_at": [t_occ.strftime("%H:%M")],
        "place": [place],
        "offences": ["; ".join(f"{s} PPC" for s in sections)],
        "complainant": [f"{names[0]} s/o {names[1]}, CNIC {c_cnic}"],
        "accused": [f"{names[2]} s/o {names[3]}"],
        "narrative": [facts],
        "cnic": [c_cnic],
    }
    return TypedFir("urd", text, gold)


def typed_firs(count: int, lang: str, seed: int = 15) -> list[TypedFir]:
    """``count`` generated FIRs in ``lang`` ("eng" or "urd")."""
    rng = random.Random(f"{seed}-{lang}")
    make = _english if lang == "eng" else _urdu
    return [make(rng) for _ in range(count)]
