"""The tables a synthetic province is drawn from: districts and their police stations and
courts, names, offences, and the shares and durations of what happens to a case."""

from __future__ import annotations

from casefiles.models import CASE_STATES

#: Share of the province's cases per district and prosecutors on its strength (40 in all).
DISTRICT_WEIGHTS: dict[str, tuple[float, int]] = {
    "KHI-S": (0.22, 8),
    "KHI-E": (0.24, 9),
    "HYD": (0.20, 8),
    "THT": (0.08, 4),
    "SUK": (0.14, 6),
    "LRK": (0.12, 5),
}

STATIONS: dict[str, tuple[str, ...]] = {
    "KHI-S": (
        "Artillery Maidan",
        "Boat Basin",
        "Clifton",
        "Darakhshan",
        "Docks",
        "Frere",
        "Garden",
        "Gizri",
        "Kharadar",
        "Mithadar",
        "Preedy",
        "Saddar",
    ),
    "KHI-E": (
        "Aziz Bhatti",
        "Brigade",
        "Ferozabad",
        "Gulshan-e-Iqbal",
        "Jamshed Quarters",
        "Mobina Town",
        "Sachal",
        "Shahrah-e-Faisal",
        "Sharafi Goth",
        "Tipu Sultan",
    ),
    "HYD": (
        "Baldia",
        "Cantonment",
        "City",
        "Hali Road",
        "Hatri",
        "Hussainabad",
        "Market",
        "Phuleli",
        "Pinyari",
        "Qasimabad",
        "Tando Yousuf",
    ),
    "THT": ("Gharo", "Ghorabari", "Jungshahi", "Keti Bandar", "Makli", "Mirpur Sakro", "Sonda"),
    "SUK": (
        "A-Section",
        "Airport",
        "B-Section",
        "Bagerji",
        "C-Section",
        "New Pind",
        "Pano Akil",
        "Rohri",
        "Saleh Pat",
    ),
    "LRK": (
        "Airport",
        "Bakrani",
        "Dokri",
        "Haidri",
        "Market",
        "Naudero",
        "Rato Dero",
        "Shaikh Zaid",
        "Waleed",
    ),
}
#: First five CNIC digits (locality codes) used for accused from each district.
CNIC_PREFIX = {
    "KHI-S": "42301",
    "KHI-E": "42201",
    "HYD": "41303",
    "THT": "41304",
    "SUK": "45504",
    "LRK": "43203",
}

#: Where each district's trials are heard: sessions courts, and the Anti-Terrorism Court.
COURTS: dict[str, tuple[tuple[str, ...], str]] = {
    "KHI-S": (
        ("Additional Sessions Judge-I Karachi South", "Additional Sessions Judge-II Karachi South"),
        "ATC-XII Karachi",
    ),
    "KHI-E": (
        ("Additional Sessions Judge-III Karachi East", "Additional Sessions Judge-IV Karachi East"),
        "ATC-VII Karachi",
    ),
    "HYD": (
        ("Additional Sessions Judge-I Hyderabad", "Additional Sessions Judge-II Hyderabad"),
        "ATC-I Hyderabad",
    ),
    "THT": (("Sessions Judge Thatta", "Additional Sessions Judge Thatta"), "ATC Thatta"),
    "SUK": (
        ("Additional Sessions Judge-I Sukkur", "Additional Sessions Judge-II Sukkur"),
        "ATC-I Sukkur",
    ),
    "LRK": (("Additional Sessions Judge-I Larkana", "Sessions Judge Larkana"), "ATC Larkana"),
}
#: Stages in which a case is before the trial court (it has hearings).
_ORDER = list(CASE_STATES)
COURT_STAGES = tuple(_ORDER[_ORDER.index("FILED_IN_COURT") : _ORDER.index("RESERVED") + 1])
STAGE_PURPOSE = {
    "FILED_IN_COURT": "other",
    "COGNIZANCE_TAKEN": "other",
    "PRE_CHARGE": "charge",
    "CHARGE_FRAMED": "evidence",
    "PROSECUTION_EVIDENCE": "evidence",
    "S342_DEFENCE": "s342",
    "ARGUMENTS": "arguments",
    "RESERVED": "judgment",
}
ADJOURNED = (
    ("witness_absent", 40),
    ("defence_counsel_absent", 20),
    ("accused_not_produced", 12),
    ("judge_on_leave", 10),
    ("file_not_received", 8),
    ("prosecutor_absent", 5),
)

MALE = (
    "Muhammad Aslam",
    "Abdul Rahim",
    "Ali Raza",
    "Shahid",
    "Imran",
    "Ghulam Mustafa",
    "Zulfiqar Ali",
    "Asif",
    "Naveed",
    "Sajjad Hussain",
    "Faisal",
    "Irfan",
    "Waseem",
    "Javed",
    "Nadeem",
    "Khalid",
    "Rashid",
    "Tariq",
    "Bilal",
    "Kamran",
    "Altaf Hussain",
    "Manzoor Ahmed",
    "Niaz",
    "Ghulam Qadir",
    "Abdul Ghaffar",
    "Sikandar",
    "Muhammad Hanif",
    "Aijaz",
    "Shakeel",
    "Nisar Ahmed",
)
FEMALE = (
    "Sana",
    "Ayesha",
    "Farah",
    "Nadia",
    "Shazia",
    "Rubina",
    "Naseem",
    "Saima",
    "Bushra",
    "Fozia",
    "Parveen",
    "Samina",
)
SURNAMES = (
    "Soomro",
    "Memon",
    "Qureshi",
    "Shaikh",
    "Baloch",
    "Jatoi",
    "Abro",
    "Chandio",
    "Mahar",
    "Khoso",
    "Siddiqui",
    "Ansari",
    "Khan",
    "Lashari",
    "Junejo",
    "Pathan",
    "Brohi",
    "Mirani",
    "Bhatti",
    "Rajput",
    "Magsi",
    "Kalhoro",
    "Panhwar",
    "Solangi",
)
ALIASES = ("Kala", "Shoda", "Bhaloo", "Chhota", "Lamba", "Papu", "Guddu", "Mithoo")

#: (sections as a clerk writes them, weight, labels it implies, court can compound it)
OFFENCES: tuple[tuple[str, int, tuple[str, ...], bool], ...] = (
    ("302/34 PPC", 10, (), True),
    ("324/34 PPC", 8, (), True),
    ("392/397 PPC", 12, (), False),
    ("9(c) CNSA", 15, (), False),
    ("23(1)(a) SAA", 14, (), False),
    ("380/457 PPC", 9, (), False),
    ("489-F PPC", 7, (), True),
    ("337-A(i)/34 PPC", 8, (), True),
    ("406/420 PPC", 5, (), True),
    ("376 PPC", 3, ("SEXUAL_OFFENCE",), False),
    ("353/324 PPC, 23(1)(a) SAA", 4, (), False),
    ("365-A PPC", 2, (), False),
)
#: What an ATA case is registered under (the ATA label adds section 7).
ATA_OFFENCES = (
    "302/34 PPC, 7(1)(a) ATA",
    "324 PPC, 7(1)(b) ATA",
    "365-A PPC, 7(1)(e) ATA",
    "353/324 PPC, 7(1)(h) ATA, 4/5 ESA",
)
ATA_SHARE = 0.05

RETURN_REASONS = (
    "Statements of witnesses under s.161 CrPC not annexed.",
    "Chemical examiner's report awaited.",
    "Site plan and recovery memo missing.",
    "Medico-legal certificate not on file.",
    "Identification parade not held.",
)
EARLY_ENDS = (
    ("compromised", "Compromise between the parties accepted (s.345 CrPC)."),
    ("acquitted", "Accused acquitted under s.265-K CrPC: no probability of conviction."),
    ("dormant", "Accused absconding; case kept on the dormant file (s.512 CrPC)."),
    ("transferred", "Case transferred to another court."),
    ("abated", "Proceedings abated on the death of the accused."),
)
#: Trial outcomes after a full trial (Sindh conviction rates are low, ~20-30%).
VERDICTS = (("convicted", 30), ("acquitted", 62), ("partly_convicted", 8))
