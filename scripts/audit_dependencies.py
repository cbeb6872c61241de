"""Known vulnerabilities in the installed dependencies (``make lint``), with pip-audit.

    .venv/bin/python scripts/audit_dependencies.py

Audits the packages installed in the virtual environment (``pip-audit --local``; the
project has no lock file, and the environment is what runs). Findings accepted after
review are listed in ``.pip-audit-ignore`` with the reason beside each, and are not
reported again. Fails on any other finding.

pip-audit asks PyPI's JSON API (or OSV) about each package. A machine that reaches only
a package mirror gets no answer for any of them, and pip-audit then says "No known
vulnerabilities found" about packages it never checked. This script notices that
(nothing audited at all) and says plainly that the audit was skipped, instead of
passing silently or failing a build over a network it cannot reach.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE_FILE = ROOT / ".pip-audit-ignore"
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def accepted_findings(path: Path = IGNORE_FILE) -> dict[str, str]:
    """Vulnerability id -> reason, from lines ``ID  reason`` (``#`` starts a comment)."""
    accepted: dict[str, str] = {}
    if not path.exists():
        return accepted
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(f"{path.name} line {number}: {vuln_id} needs a reason after the id.")
        accepted[vuln_id] = reason.strip()
    return accepted


def main() -> int:
    accepted = accepted_findings()
    command = [str(PIP_AUDIT), "--local", "--format", "json", "--progress-spinner", "off"]
    for vuln_id in accepted:
        command += ["--ignore-vuln", vuln_id]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print("!! pip-audit could not reach its vulnerability service; dependencies NOT audited.")
        print("   " + (run.stderr.strip().splitlines() or ["(no output)"])[-1])
        return 0
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    if deps and not audited:
        print(
            f"!! pip-audit got no answer about any of the {len(deps)} installed packages "
            "(this machine cannot reach PyPI's JSON API or OSV): dependencies NOT audited, "
            "step skipped. Run `make lint` where pypi.org is reachable to audit them."
        )
        return 0
    skipped = [d["name"] for d in deps if "skip_reason" in d]
    if skipped:
        print(f"   not on PyPI, not audited ({len(skipped)}): {', '.join(skipped)}")
    found = [(d["name"], d["version"], v) for d in audited for v in d.get("vulns", [])]
    for name, version, vuln in found:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
        print(f"!! {name} {version}: {vuln['id']} (fixed in {fixed})")
    if accepted:
        print(f"   accepted after review ({len(accepted)}), see {IGNORE_FILE.name}:")
        for vuln_id, reason in accepted.items():
            print(f"     {vuln_id}: {reason}")
    print(f"   {len(audited)} packages audited, {len(found)} unaccepted finding(s).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
