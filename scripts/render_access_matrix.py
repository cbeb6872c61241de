"""Write the access matrix (tests/web/access_matrix.py) into docs/security.md.

    .venv/bin/python scripts/render_access_matrix.py          # rewrite the document
    .venv/bin/python scripts/render_access_matrix.py --check  # exit 1 if it is stale

The table lives beside the test that walks the product against it, never in the
product itself; this script only copies it into the document between its markers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "docs" / "security.md"
sys.path.insert(0, str(ROOT))

from tests.web.access_matrix import splice  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is stale")
    args = parser.parse_args()
    current = DOCUMENT.read_text(encoding="utf-8")
    fresh = splice(current)
    if args.check:
        if fresh != current:
            print(f"{DOCUMENT.relative_to(ROOT)} is stale: run {Path(__file__).name}")
            return 1
        print(f"{DOCUMENT.relative_to(ROOT)} carries the current matrix.")
        return 0
    DOCUMENT.write_text(fresh, encoding="utf-8")
    print(f"Wrote the access matrix into {DOCUMENT.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
