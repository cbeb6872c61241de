"""The case list's filters, counts, sorting and search, read through the store port.

Every question is asked of the store inside the viewer's own filter
(``casefiles.policy.visible_cases_filter``), so a count never includes a case
the viewer may not open. Counts come from ``group_count`` on indexed fields
(derived in ``Case.clean``), never from loading cases into Python: each facet
is counted with every *other* chosen filter applied, so it shows how many cases
picking that value would give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlencode

from casefiles.hearings import Hearing, court_key
from casefiles.models import CASE_STATES, Case
from casefiles.policy import sees_province, visible_cases_filter
from legaltext.person_names import name_key
from legaltext.search_terms import terms
from mizan.accounts.models import User
from mizan.actor import Actor
from mizan.clock import PKT
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import Filter

#: Sort keys: the field and direction, the column they belong to; "-x" is "x" reversed.
SORTS: dict[str, tuple[str, int]] = {
    "opened": ("created_at", -1),
    "-opened": ("created_at", 1),
    "fir_date": ("fir.registered_on", -1),
    "-fir_date": ("fir.registered_on", 1),
    "stage_age": ("stage_since", 1),
    "-stage_age": ("stage_since", -1),
    "reference": ("reference", 1),
    "-reference": ("reference", -1),
}
SORT_LABELS = {
    "opened": _l("Newest first"),
    "-opened": _l("Oldest first"),
    "fir_date": _l("FIR date, newest first"),
    "-fir_date": _l("FIR date, oldest first"),
    "stage_age": _l("Longest in the stage first"),
    "-stage_age": _l("Shortest in the stage first"),
    "reference": _l("Reference, A to Z"),
    "-reference": _l("Reference, Z to A"),
}
DEFAULT_SORT = "opened"
#: Longest next-hearing range one list may ask for (as the hearing calendars allow).
MAX_RANGE_DAYS = 400
MAX_QUERY_LETTERS = 100
MAX_QUERY_WORDS = 6
#: Facets with many values (police stations, courts, offences) list the largest first.
FACET_LIMIT = 60


@dataclass(frozen=True)
class CaseQuery:
    """What the viewer asked of the case list; empty fields do not filter."""

    stage: str = ""
    court: str = ""
    offence: str = ""
    police_station: str = ""
    district: str = ""
    prosecutor: str = ""
    unassigned: bool = False
    ata: bool = False
    hearing_from: dt.date | None = None
    hearing_to: dt.date | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1

    def args(self) -> dict[str, str]:
        """The query as URL arguments (defaults left out): links, pages and saved filters."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "page" or value == f.default:
                continue
            if isinstance(value, bool):
                out[f.name] = "1"
            elif isinstance(value, dt.date):
                out[f.name] = value.isoformat()
            else:
                out[f.name] = str(value)
        return out

    def query_string(self) -> str:
        return urlencode(self.args())

    @property
    def filtered(self) -> bool:
        return bool(set(self.args()) - {"sort"})


class CaseQueryError(ValueError):
    """Filter input that cannot be used; ``errors`` maps each argument to what to fix."""

    def __init__(self, errors: dict[str, str], query: CaseQuery) -> None:
        self.errors = errors
        #: The query with the bad arguments left out, so the list still shows.
        self.query = query
        super().__init__("; ".join(errors.values()))


def _date(args: Mapping[str, str], key: str, errors: dict[str, str]) -> dt.date | None:
    raw = (args.get(key) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[key] = _("Enter the date as year-month-day, e.g. 2026-03-14.")
        return None


def parse_query(args: Mapping[str, str]) -> CaseQuery:
    """Read and check the list's arguments; CaseQueryError says what is wrong with each."""
    errors: dict[str, str] = {}
    text = {
        k: " ".join((args.get(k) or "").split())
        for k in ("stage", "court", "offence", "police_station", "district", "prosecutor", "q")
    }
    if text["stage"] and text["stage"] not in CASE_STATES:
        errors["stage"] = _("Choose a stage from the list.")
    for key in ("court", "offence", "police_station", "prosecutor"):
        if len(text[key]) > 120:
            errors[key] = _("This filter is too long (120 letters at most).")
    if len(text["q"]) > MAX_QUERY_LETTERS or len(text["q"].split()) > MAX_QUERY_WORDS:
        errors["q"] = _(
            "Search with at most %(words)d words and %(letters)d letters.",
            words=MAX_QUERY_WORDS,
            letters=MAX_QUERY_LETTERS,
        )
    sort = args.get("sort") or DEFAULT_SORT
    if sort not in SORTS:
        errors["sort"] = _("Choose a sort order from the list.")
    start, end = _date(args, "hearing_from", errors), _date(args, "hearing_to", errors)
    if start and end and end < start:
        errors["hearing_to"] = _("The last hearing date must not be before the first.")
    elif start and end and (end - start).days > MAX_RANGE_DAYS:
        errors["hearing_to"] = _(
            "Choose a hearing range of at most %(days)d days.", days=MAX_RANGE_DAYS
        )
    try:
        page = max(int(args.get("page") or 1), 1)
    except ValueError:
        page = 1
    query = CaseQuery(
        stage=text["stage"],
        court=text["court"],
        offence=text["offence"],
        police_station=text["police_station"],
        district=text["district"].upper(),
        prosecutor=text["prosecutor"],
        unassigned=(args.get("unassigned") or "") in ("1", "on", "true"),
        ata=(args.get("ata") or "") in ("1", "on", "true"),
        hearing_from=start,
        hearing_to=end,
        q=text["q"],
        sort=sort,
        page=page,
    )
    if errors:
        defaults = CaseQuery()
        cleared: dict[str, Any] = {k: getattr(defaults, k) for k in errors}
        raise CaseQueryError(errors, replace(query, **cleared))
    return query


# -- the store filter --------------------------------------------------------------------------


def _and(*clauses: Filter | None) -> Filter:
    parts = [c for c in clauses if c]
    if not parts:
        return {}
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _pkt_midnight_utc(day: dt.date) -> dt.datetime:
    """Midnight of a Pakistan day, as the store's naive UTC."""
    return dt.datetime.combine(day, dt.time(), PKT).astimezone(dt.UTC).replace(tzinfo=None)


def _hearing_cases(kernel: Kernel, query: CaseQuery, scope: Filter) -> Filter:
    """Cases with a hearing still to be held (no outcome yet) in the asked range."""
    when: dict[str, dt.datetime] = {}
    if query.hearing_from:
        when["$gte"] = _pkt_midnight_utc(query.hearing_from)
    if query.hearing_to:
        when["$lt"] = _pkt_midnight_utc(query.hearing_to + dt.timedelta(days=1))
    flt: dict[str, object] = {"starts_at": when, "outcome": None}
    district = scope.get("district") if isinstance(scope, Mapping) else None
    if isinstance(district, str):
        flt["district"] = district  # the hearing index, and the viewer's scope
    ids = {h.case_id for h in kernel.store.find_fields(Hearing, ["case_id"], flt)}
    return {"_id": {"$in": sorted(ids)}}


def _search(q: str) -> Filter | None:
    """Every word must match the reference, title, police station or a court number, or
    an accused's name (the person index's spelling-tolerant key)."""
    clauses: list[Filter] = []
    for word in q.split():
        options: list[Filter] = [{"search_keys": t} for t in terms(word)]
        key = name_key(word)
        if key and " " not in key:
            options.append({"accused_keys": f"t:{key}"})
        if not options:
            continue
        clauses.append(options[0] if len(options) == 1 else {"$or": options})
    return _and(*clauses) or None


def _clauses(kernel: Kernel, actor: Actor, query: CaseQuery, scope: Filter) -> dict[str, Filter]:
    """One store clause per chosen filter, keyed by the facet it belongs to."""
    out: dict[str, Filter] = {}
    if query.stage:
        out["stage"] = {"state": query.stage}
    if query.court:
        out["court"] = {"courts": court_key(query.court)}
    if query.offence:
        out["offence"] = {"offence_keys": query.offence}
    if query.police_station:
        out["police_station"] = {"fir.police_station": query.police_station}
    if query.district and sees_province(actor):
        out["district"] = {"district": query.district}
    if query.prosecutor:
        out["prosecutor"] = {
            "$or": [{"lead_prosecutor": query.prosecutor}, {"assisting": query.prosecutor}]
        }
    if query.unassigned:
        out["unassigned"] = {"lead_prosecutor": None}
    if query.ata:
        out["ata"] = {"labels": "ATA"}
    if query.q:
        found = _search(query.q)
        if found:
            out["q"] = found
    if query.hearing_from or query.hearing_to:
        out["hearing"] = _hearing_cases(kernel, query, _and(scope, out.get("district")))
    return out


# -- the list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class CaseList:
    query: CaseQuery
    cases: list[Case]
    total: int
    #: Facet name -> its values with counts (largest first, the chosen value always kept).
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    #: Yes/no filters -> how many cases choosing them would give.
    toggles: dict[str, int] = field(default_factory=dict)
    #: The next hearing still to be held, per listed case.
    next_hearings: dict[str, Hearing] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def _top(counts: Mapping[Any, int], chosen: str, labels: Mapping[str, str]) -> list[FacetValue]:
    items = [
        FacetValue(str(v), labels.get(str(v), str(v)), n) for v, n in counts.items() if v and n
    ]
    items.sort(key=lambda f: (-f.count, f.label))
    top = items[:FACET_LIMIT]
    if chosen and all(f.value != chosen for f in top):
        top.append(FacetValue(chosen, labels.get(chosen, chosen), counts.get(chosen, 0)))
    return top


def case_list(
    kernel: Kernel, actor: Actor, query: CaseQuery, *, per_page: int = 25, now: dt.datetime
) -> CaseList:
    """One page of the cases ``actor`` may see that match ``query``, with facet counts."""
    scope = visible_cases_filter(actor)
    if scope is None:
        return CaseList(query, [], 0)
    store = kernel.store
    clauses = _clauses(kernel, actor, query, scope)

    def without(*names: str) -> Filter:
        return _and(scope, *(c for k, c in clauses.items() if k not in names))

    flt = _and(scope, *clauses.values())
    total = store.count(Case, flt)
    field_name, direction = SORTS[query.sort]
    cases = store.find(
        Case,
        flt,
        sort=[(field_name, direction), ("_id", direction)],
        skip=(query.page - 1) * per_page,
        limit=per_page,
    )
    stage_labels = {k: str(v) for k, v in CASE_STATES.items()}

    def count(facet: str, prefix: str, *other: str) -> dict[str, int]:
        """Cases per value of one plain field, from ``Case.facet_keys``' side table."""
        keys = store.group_count(Case, "facet_keys", without(facet, *other))
        return {k[2:]: n for k, n in keys.items() if k.startswith(prefix)}

    facets = {
        "stage": _top(count("stage", "s:"), query.stage, stage_labels),
        "offence": _top(
            store.group_count(Case, "offence_keys", without("offence")), query.offence, {}
        ),
        "police_station": _top(count("police_station", "p:"), query.police_station, {}),
        "court": _court_facet(kernel, without("court"), query.court),
    }
    if sees_province(actor):
        facets["district"] = _top(count("district", "d:"), query.district, {})
    leads = count("prosecutor", "l:", "unassigned")
    helping = store.group_count(Case, "assisting", without("prosecutor", "unassigned"))
    people = {k: leads.get(k, 0) + helping.get(k, 0) for k in {*leads, *helping} if k}
    wanted = sorted((set(people) | {query.prosecutor}) - {""})
    names = {u.id: u.full_name for u in store.find(User, {"_id": {"$in": wanted}})}
    facets["prosecutor"] = _top(people, query.prosecutor, names)
    toggles = {
        "unassigned": leads.get("", 0),
        "ata": store.group_count(Case, "labels", without("ata")).get("ATA", 0),
    }
    listed = [c.id for c in cases]
    upcoming = store.find(
        Hearing,
        {"case_id": {"$in": listed}, "outcome": None, "starts_at": {"$gte": now}},
        sort=[("starts_at", 1)],
    )
    next_hearings: dict[str, Hearing] = {}
    for hearing in upcoming:
        next_hearings.setdefault(hearing.case_id, hearing)
    lead_ids = {c.lead_prosecutor for c in cases if c.lead_prosecutor} - set(names)
    if lead_ids:
        names |= {u.id: u.full_name for u in store.find(User, {"_id": {"$in": sorted(lead_ids)}})}
    return CaseList(query, cases, total, facets, toggles, next_hearings, names)


def _court_facet(kernel: Kernel, flt: Filter, chosen: str) -> list[FacetValue]:
    """Courts by their typed name (the first spelling seen), counted by their folded key."""
    counts = kernel.store.group_count(Case, "courts", flt)
    top = sorted(((k, n) for k, n in counts.items() if k and n), key=lambda kv: -kv[1])
    top = top[:FACET_LIMIT]
    labels: dict[str, str] = {}
    for key, _n in top:
        one = kernel.store.find_one(Case, {"courts": key})
        named = [c.court for c in one.court_cases if court_key(c.court) == key] if one else []
        labels[key] = named[0] if named else key
    chosen_key = court_key(chosen) if chosen else ""
    return _top(dict(top), chosen_key, labels)
