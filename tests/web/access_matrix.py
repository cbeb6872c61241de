"""The access policy Mizan promises, as one table: who × what × channel → outcome.

This is the *expected* policy, written down by hand. The product never reads it (it
decides with ``casefiles.policy``, the capabilities in ``mizan.accounts.roles`` and the
services); ``tests/web/test_access_matrix.py`` walks the running product against it and
``scripts/render_access_matrix.py`` renders it into ``docs/security.md``. Were the product
to consult this table, the test would prove nothing.

Every row is tried on one case: FIR 189/2024 PS Artillery Maidan, Karachi South, led by
``pp.rahim``, acquitted, with a protected witness, a privileged note, a document, a bail
application, a hearing, an appeal deadline and an appeal proposal; the later rows add
what hangs off it or its district: ``pp.rahim``'s library collections (one shared with
every account and attached to the case), his quiz attempt, a case study drafted from
the case and one published for Karachi South, the district's monthly return and a cause
list its clerk imported, a scanned page, a letter and a request to the police. The
columns say where each actor stands relative to that case.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Column → (demo username or "integration", who they are relative to the case).
ACTORS: dict[str, tuple[str, str]] = {
    "pg": ("pg.sindh", "Prosecutor General (the whole province)"),
    "dpp": ("dpp.south", "District Public Prosecutor of the case's district"),
    "dpp-x": ("dpp.east", "District Public Prosecutor of another district"),
    "pp": ("pp.rahim", "Prosecutor assigned to the case"),
    "pp-x": ("pp.sana", "Prosecutor of the same district, not assigned"),
    "clerk": ("clerk.south", "Clerk of the case's district"),
    "clerk-x": ("clerk.east", "Clerk of another district"),
    "sup": ("supervisor", "Supervisor of the case's district (read-only)"),
    "trainer": ("trainer", "Trainer (library and courses, no case files)"),
    "admin": ("admin", "Administrator (accounts and audit, no case files)"),
    "api": ("integration", "Police system with an API token for the case's district"),
}

#: What each outcome means.
OUTCOMES: dict[str, str] = {
    "ok": "allowed: the page, data or action goes through",
    "hid": "the page answers, but this case's part is withheld (not listed, not counted, "
    "not in hits, facets or snippets, the real name replaced by the pseudonym)",
    "403": "refused: not for this role (and the refusal is in the audit trail)",
    "404": "refused as if it did not exist, so its existence is not revealed (audited)",
    "no": "refused with an explanation on the page; nothing changes",
    "400": "refused: a form sent without the anti-forgery token a signed-in page carries",
    "401": "refused: the JSON API wants a signed-in session or a valid token",
    "422": "refused with an error per field (e.g. a district the integration may not send for)",
    "login": "sent to the sign-in page (an API token opens no web page)",
}


@dataclass(frozen=True)
class Row:
    key: str
    resource: str
    channel: str
    outcomes: dict[str, str]


#: key → (resource, channel and action), in the order the document shows them.
ROWS: dict[str, tuple[str, str]] = {
    "case.page": ("Case", "page: open the case file"),
    "case.list": ("Case", "page: the list of cases"),
    "case.api": ("Case", "API: `GET /api/v1/cases/<id>`"),
    "case.edit": ("Case", "page: edit the FIR details"),
    "case.forged-id": ("Case", "page: an id changed by hand to one that does not exist"),
    "witness.identity": ("Protected witness", "page and API: the true name"),
    "witness.break-glass": ("Protected witness", "page: reveal with a stated reason"),
    "document.page": ("Document", "page: the document viewer"),
    "document.download": ("Document", "download: the original file"),
    "document.job": ("Document", "page: the upload's reading progress (its job)"),
    "note.page": ("Privileged note", "page: open the note"),
    "note.case-page": ("Privileged note", "page: its text on the case file"),
    "note.api": ("Privileged note", "API: `GET /api/v1/cases/<id>/notes`"),
    "hearing.page": ("Hearing", "page: open the hearing"),
    "hearing.case": ("Hearing", "page: the case's hearings"),
    "hearing.ical": ("Hearing", "iCal feed: the actor's own calendar link"),
    "deadline.list": ("Deadline", "page: the deadline list (a second case, same lead)"),
    "matter.page": ("Matter (bail, appeal …)", "page: open the matter"),
    "matter.api": ("Matter (bail, appeal …)", "API: `GET /api/v1/matters/<id>`"),
    "approval.page": ("Appeal approval", "page: open the approval"),
    "approval.propose": ("Appeal approval", "page: propose an appeal"),
    "approval.recommend": ("Appeal approval", "page: recommend (the district's step)"),
    "approval.approve": ("Appeal approval", "page: approve (the Prosecutor General's step)"),
    "notification.open": ("Notification", "page: open another user's notification by id"),
    "saved.alert": ("Saved search and alert", "notification: an alert for the new document"),
    "saved.delete": ("Saved search and alert", "page: delete another user's saved search"),
    "search.hits": ("Search", "search: hits"),
    "search.count": ("Search", "search: hit count"),
    "search.facets": ("Search", "search: facet counts"),
    "search.snippets": ("Search", "search: snippets"),
    "precedents.case": ("Precedent finder", "page: precedents for the case"),
    "letters.case": ("Letters", "page: the case's letters"),
    "report.export": ("Report and export", "export: the disposal report by district (CSV)"),
    "intake.fir": ("Police intake", "API: send an FIR for the case's district"),
    "intake.fir-x": ("Police intake", "API: send an FIR for another district"),
    "posting.list": ("Court posting (ATC)", "page: the lead prosecutor's ATC posting"),
    "persons.index": ("Person index", "page: find the case's accused by name"),
    "library.section": ("Library item", "page: a section of the Penal Code"),
    "course.page": ("Course", "page: a course published for prosecutors and DPPs"),
    "case_study.draft": ("Case study", "page: draft a redacted study from the case"),
    "audit.page": ("Audit trail", "page: the audit trail"),
    "collection.private": ("Library collection", "page: a prosecutor's private collection"),
    "collection.shared": (
        "Library collection",
        "page: a collection shared with every account, attached to the case (the case listed)",
    ),
    "lesson.page": ("Lesson", "page: a lesson of that course"),
    "quiz.page": ("Quiz", "page: that course's quiz"),
    "quiz.attempt": ("Quiz attempt", "page: the assigned prosecutor's attempt, by its id"),
    "case_study.published": ("Case study", "page: a study published for Karachi South"),
    "case_study.draft-page": ("Case study", "page: a DPP's unpublished draft (real names)"),
    "dashboard.district": ("Dashboard", "page: the dashboard of the case's district"),
    "scorecard.page": ("Scorecard", "page: the assigned prosecutor's scorecard"),
    "monthly.file": ("Monthly report", "download: the district's filed monthly return (PDF)"),
    "page.image": ("Document", "page image: a scanned page of the case"),
    "letter.download": ("Letters", "download: a letter drafted from the case (DOCX)"),
    "cause_list.review": ("Cause-list import", "page: a list the district's clerk imported"),
    "police.feed": ("Police message", "API: the police feed, with a request on the case"),
}

#: The expected outcome of every row for every actor (see OUTCOMES).
TABLE = """
row                  pg    dpp   dpp-x pp    pp-x  clerk clerk-x sup  trainer admin api
case.page            ok    ok    404   ok    404   ok    404   ok    404   404   login
case.list            ok    ok    hid   ok    hid   ok    hid   ok    hid   hid   login
case.api             ok    ok    404   ok    404   ok    404   ok    404   404   401
case.edit            ok    ok    404   ok    404   ok    404   403   404   404   login
case.forged-id       404   404   404   404   404   404   404   404   404   404   login
witness.identity     hid   hid   404   ok    404   hid   404   hid   404   404   login
witness.break-glass  ok    ok    404   403   404   403   404   403   404   404   400
document.page        ok    ok    404   ok    404   ok    404   ok    404   404   login
document.download    ok    ok    404   ok    404   ok    404   ok    404   404   login
document.job         ok    ok    404   ok    404   ok    404   ok    404   404   login
note.page            ok    ok    404   ok    404   404   404   404   404   404   login
note.case-page       ok    ok    404   ok    404   hid   404   hid   404   404   login
note.api             ok    ok    404   ok    404   hid   404   hid   404   404   401
hearing.page         ok    ok    404   ok    404   ok    404   ok    404   404   login
hearing.case         ok    ok    404   ok    404   ok    404   ok    404   404   login
hearing.ical         ok    ok    hid   ok    hid   ok    hid   ok    hid   hid   login
deadline.list        ok    ok    hid   ok    hid   403   403   ok    403   403   login
matter.page          ok    ok    404   ok    404   ok    404   ok    404   404   login
matter.api           ok    ok    404   ok    404   ok    404   ok    404   404   401
approval.page        ok    ok    404   ok    404   ok    404   ok    404   404   login
approval.propose     403   403   404   ok    404   403   404   403   404   404   400
approval.recommend   403   ok    404   403   404   403   404   403   404   404   400
approval.approve     ok    403   404   403   404   403   404   403   404   404   400
notification.open    404   404   404   ok    404   404   404   404   404   404   400
saved.alert          ok    ok    hid   ok    hid   ok    hid   ok    hid   403   login
saved.delete         no    no    no    ok    no    no    no    no    no    403   400
search.hits          ok    ok    hid   ok    hid   ok    hid   ok    hid   403   login
search.count         ok    ok    hid   ok    hid   ok    hid   ok    hid   403   login
search.facets        ok    ok    hid   ok    hid   ok    hid   ok    hid   403   login
search.snippets      ok    ok    hid   ok    hid   ok    hid   ok    hid   403   login
precedents.case      ok    ok    404   ok    404   ok    404   ok    404   403   login
letters.case         ok    ok    404   ok    404   403   404   403   404   404   login
report.export        ok    ok    hid   ok    hid   403   403   ok    403   403   login
intake.fir           401   401   401   401   401   401   401   401   401   401   ok
intake.fir-x         401   401   401   401   401   401   401   401   401   401   422
posting.list         ok    ok    hid   403   403   403   403   403   403   403   login
persons.index        ok    ok    hid   ok    hid   ok    hid   ok    hid   hid   login
library.section      ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login
course.page          404   ok    ok    ok    ok    404   404   404   ok    404   login
case_study.draft     403   ok    403   403   403   403   403   403   ok    403   400
audit.page           ok    403   403   403   403   403   403   403   403   ok    login
collection.private   404   404   404   ok    404   404   404   404   404   404   login
collection.shared    ok    ok    hid   ok    hid   ok    hid   ok    hid   hid   login
lesson.page          404   ok    ok    ok    ok    404   404   404   ok    404   login
quiz.page            404   ok    ok    ok    ok    404   404   404   ok    403   login
quiz.attempt         404   404   404   ok    404   404   404   404   ok    404   login
case_study.published 404   ok    404   ok    ok    ok    404   ok    ok    404   login
case_study.draft-page 404  ok    404   404   404   404   404   404   ok    404   login
dashboard.district   ok    ok    403   403   403   403   403   ok    403   403   login
scorecard.page       ok    ok    403   ok    403   403   403   ok    403   403   login
monthly.file         ok    ok    404   403   403   403   403   ok    403   403   login
page.image           ok    ok    404   ok    404   ok    404   ok    404   404   login
letter.download      ok    ok    404   ok    404   403   404   403   404   404   400
cause_list.review    ok    ok    404   403   403   ok    404   403   403   403   login
police.feed          401   401   401   401   401   401   401   401   401   401   ok
"""


def _parse(table: str) -> list[Row]:
    lines = [line.split() for line in table.strip().splitlines()]
    header, body = lines[0][1:], lines[1:]
    if header != list(ACTORS):
        raise ValueError(f"the table's columns {header} are not the actors {list(ACTORS)}")
    rows = []
    for key, *cells in body:
        if len(cells) != len(header) or key not in ROWS:
            raise ValueError(f"row {key!r}: unknown, or not one outcome per actor")
        unknown = set(cells) - set(OUTCOMES)
        if unknown:
            raise ValueError(f"row {key!r}: unknown outcomes {sorted(unknown)}")
        resource, channel = ROWS[key]
        rows.append(Row(key, resource, channel, dict(zip(header, cells, strict=True))))
    if [row.key for row in rows] != list(ROWS):
        raise ValueError("the table's rows are not ROWS, in the same order")
    return rows


MATRIX: list[Row] = _parse(TABLE)


def render_markdown() -> str:
    """The matrix as the Markdown ``docs/security.md`` carries between its markers."""
    head = ["Resource", "Channel and action", *ACTORS]
    out = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in MATRIX:
        cells = [row.resource, row.channel, *(row.outcomes[a] for a in ACTORS)]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "Columns:", ""]
    out += [f"- `{code}` — {who} (`{name}`)" for code, (name, who) in ACTORS.items()]
    out += ["", "Outcomes:", ""]
    out += [f"- `{code}` — {meaning}" for code, meaning in OUTCOMES.items()]
    return "\n".join(out) + "\n"


START = "<!-- access-matrix:start (generated by scripts/render_access_matrix.py) -->"
END = "<!-- access-matrix:end -->"


def splice(document: str) -> str:
    """``document`` with the text between its matrix markers replaced by the table."""
    head, found, rest = document.partition(START)
    _old, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise ValueError(f"the document lacks the markers {START!r} … {END!r}")
    return f"{head}{START}\n\n{render_markdown()}\n{END}{tail}"
