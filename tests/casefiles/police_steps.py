"""Steps the police-exchange tests share: a demo case's challan returned with objections."""

from __future__ import annotations

from casefiles.models import Case
from casefiles.scrutiny import record_scrutiny
from casefiles.service import change_stage
from mizan.accounts.models import User
from mizan.accounts.service import actor_for


def demo_actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def return_challan(kernel, objections: list[str]) -> Case:
    """pp.rahim's Artillery Maidan case sent to scrutiny and returned with ``objections``."""
    rahim = demo_actor(kernel, "pp.rahim")
    case = kernel.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    case = change_stage(
        kernel, rahim, case.id, version=case.version, target="REPORT_UNDER_SCRUTINY"
    )
    return record_scrutiny(
        kernel,
        rahim,
        case.id,
        version=case.version,
        checked=["fir_copy"],
        objections=objections,
        decision="returned",
        opinion="",
    )
