"""Take the README screenshots: the real app on a throw-away data dir with the demo seeded.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only 'phone-*']

A clerk uploads one scanned page to the demo case FIR 189/2024 PS Artillery Maidan
(assigned to pp.rahim) and imports an Anti-Terrorism Court's cause list; both are read
here in-process (no worker needed), and then each page is shot at 1280x800 by the Debian
Chromium (``/usr/lib/chromium/chromium``), and the start, case and document pages once
more at a phone's 390x844, in English and Urdu. ``--only`` takes file-name patterns and
writes just those shots.
"""

from __future__ import annotations

import argparse
import fnmatch
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "mizan-demo-2026"
SEARCH_WORD = "pistol"
SCAN_TEXT = (
    "Statement under section 161 CrPC\n"
    "Recorded at PS Artillery Maidan, Karachi South\n"
    "I saw the accused Muhammad Aslam near the godown at night.\n"
    "He was carrying a pistol and ran towards Saddar.\n"
    "Read over and admitted correct."
)


#: The cause list the clerk imports: rows the review shows as sure, likely, outside the
#: district and not matched (the demo cases' FIRs and accused).
CAUSE_LIST = [
    ("Special Case No. 5 of 2024", "The State v. Muhammad Aslam", 189, 2024, "Artillery Maidan",
     "Evidence"),
    ("Special Case No. 6 of 2025", "The State v. Shahid alias Shoda", 77, 2025, "Boat Basin",
     "Bail"),
    ("Special Case No. 8 of 2024", "The State v. Ali Raza", 301, 2024, "Market", "Charge"),
    ("Special Case No. 9 of 2025", "The State v. Nobody Known", None, None, "", "Bail"),
]  # fmt: skip


def render_scan(text: str, path: Path, dpi: int = 300) -> Path:
    """A page image of ``text`` as a 300-dpi scanner would produce it (black on white)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size=dpi // 6)
    lines = text.splitlines()
    image = Image.new("L", (int(dpi * 8.27), 200 + len(lines) * (dpi // 4)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((dpi // 2, 100 + n * (dpi // 4)), line, font=font, fill=0)
    image.save(path, dpi=(dpi, dpi))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", default=["*"], help="file-name patterns to write")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1

    from playwright.sync_api import expect, sync_playwright
    from werkzeug.serving import make_server

    from app.bootstrap import build_kernel
    from app.demo import seed, seed_province
    from casefiles.models import Case, CaseDocument
    from ingestion.cause_list_jobs import CauseListRequest, read_queued
    from ingestion.tasks import process_document
    from library.models import Judgment
    from library.seed import seed_library
    from mizan import outbox
    from mizan.clock import pakistan_today
    from mizan.settings import load_settings
    from tests.data.make_cause_lists import Listing, atc_list
    from web import create_app

    with tempfile.TemporaryDirectory(prefix="mizan-shots-") as tmp:
        data = Path(tmp) / "data"
        settings = load_settings(
            {
                "MIZAN_DATA_DIR": str(data),
                "MIZAN_BROKER": f"sqla+sqlite:///{data / 'broker.sqlite3'}",
                "MIZAN_TWO_FACTOR_ROLES": "none",  # demo accounts without an authenticator
            },
            env_file=None,
        )
        kernel = build_kernel(settings)
        seed(kernel)
        seed_province(kernel, cases=600)  # enough for the dashboard to have a shape
        seed_library(kernel, judgments=60)
        while outbox.drain(kernel):  # index (and embed) the library before the shots
            pass
        app = create_app(settings, kernel=kernel)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        case = kernel.store.find_one(
            Case, {"fir.police_station": "Artillery Maidan", "fir.number": 189, "fir.year": 2024}
        )
        assert case is not None, "the demo case FIR 189/2024 PS Artillery Maidan is missing"
        scan = render_scan(SCAN_TEXT, Path(tmp) / "statement-161.png")

        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

                def session(username: str | None, lang: str = "en", viewport=VIEWPORT):
                    context = browser.new_context(
                        base_url=base,
                        viewport=viewport,
                        locale="en-GB" if lang == "en" else "ur-PK",
                    )
                    page = context.new_page()
                    if username:
                        page.goto("/login")
                        page.locator("input[name='username']").fill(username)
                        page.locator("input[name='password']").fill(PASSWORD)
                        page.locator("button[type='submit'].primary").click()
                        page.wait_for_url(f"{base}/")
                    return page

                def shot(page, name: str) -> None:
                    if not any(fnmatch.fnmatch(name, pattern) for pattern in args.only):
                        return
                    page.wait_for_load_state("networkidle")
                    page.evaluate("document.activeElement && document.activeElement.blur()")
                    page.screenshot(path=str(out / name))
                    print("wrote", out / name)

                login = session(None)
                login.goto("/login")
                shot(login, "login.png")

                # The clerk uploads the scan through the case page; it is read right here.
                clerk = session("clerk.south")
                clerk.goto(f"/cases/{case.id}")
                clerk.locator("input[type='file'][name='file']").set_input_files(str(scan))
                clerk.locator("input[name='title']").fill("Statement of eyewitness (161 CrPC)")
                clerk.locator("form[enctype] button[type='submit']").click()
                clerk.wait_for_url(f"{base}/cases/{case.id}")
                doc = kernel.store.find_one(CaseDocument, {"case_id": case.id})
                state = process_document(kernel, doc.job_id)
                outbox.drain(kernel)
                if state != "succeeded":
                    print(f"reading the scan ended {state}", file=sys.stderr)
                    return 1
                clerk.goto(f"/cases/{case.id}")
                expect(clerk.locator(".stage").first).to_contain_text("Done")
                shot(clerk, "case.png")

                # The clerk imports a court's cause list; the worker's reading runs here.
                listing = Path(tmp) / "atc-12.pdf"
                listing.write_bytes(
                    atc_list("ATC-XII Karachi", pakistan_today(), [Listing(*r) for r in CAUSE_LIST])
                )
                clerk.goto("/cause-lists/")
                clerk.locator("input[name='file']").set_input_files(str(listing))
                clerk.locator("form[enctype] button[type='submit']").click()
                clerk.wait_for_url("**/cause-lists/reading/*")
                queued = kernel.store.find_one(CauseListRequest, {})
                read_queued(kernel, queued.job_id)
                clerk.reload()
                expect(clerk.locator("#sure")).to_be_visible()
                shot(clerk, "cause-list-review.png")
                clerk.locator("#unmatched a", has_text="Find the case").first.click()
                clerk.locator("input[name='q']").fill("12/2025")
                clerk.locator("input[name='q']").press("Enter")
                expect(clerk.locator("tr[data-case]").first).to_be_visible()
                shot(clerk, "cause-list-match.png")

                rahim = session("pp.rahim")
                rahim.goto(f"/search/?q={SEARCH_WORD}&kind=document")
                expect(rahim.locator(".snippet mark").first).to_be_visible()
                shot(rahim, "search.png")
                rahim.locator(".hit h2 a").first.click()
                expect(rahim.locator(".page-text mark").first).to_be_visible()
                shot(rahim, "document.png")
                document_url = rahim.url

                # A prosecutor in court with a phone: the day, the case and a scan's text.
                for lang, suffix in (("ur", "-urdu"), ("en", "")):
                    phone = session("pp.rahim", lang=lang, viewport=PHONE)
                    phone.goto(f"/?lang={lang}")
                    shot(phone, f"phone-home{suffix}.png")
                    phone.goto(f"/cases/{case.id}")
                    shot(phone, f"phone-case{suffix}.png")
                    phone.goto(document_url)
                    shot(phone, f"phone-document{suffix}.png")

                urdu = session("pp.rahim", lang="ur")
                urdu.goto("/?lang=ur")
                expect(urdu.locator("html")).to_have_attribute("dir", "rtl")
                shot(urdu, "urdu.png")
                urdu.goto(f"/cases/{case.id}/fir")
                shot(urdu, "fir-urdu.png")

                admin = session("admin")
                admin.goto("/admin/users")
                shot(admin, "admin-users.png")

                rahim.goto("/library/ppc/302")
                shot(rahim, "library-section.png")
                cited = kernel.store.find(Judgment, {}, sort=[("cited_by_count", -1)], limit=1)
                rahim.goto(f"/library/judgments/{cited[0].id}")
                shot(rahim, "library-judgment.png")

                rahim.goto("/matters/mine")
                expect(rahim.locator("table").first).to_be_visible()
                shot(rahim, "my-matters.png")
                rahim.goto(f"/precedents/case/{case.id}")
                shot(rahim, "precedents.png")
                rahim.goto("/")
                expect(rahim.locator(".day-hearings")).to_be_visible()
                shot(rahim, "my-day.png")
                rahim.goto("/cases/?stage=PROSECUTION_EVIDENCE")
                shot(rahim, "case-list-filters.png")

                dpp = session("dpp.south")
                dpp.goto("/search/?q=302+PPC&mode=keyword")
                expect(dpp.locator(".facets").first).to_be_visible()
                shot(dpp, "search-facets.png")

                pg = session("pg.sindh")
                pg.goto("/dashboard/")
                shot(pg, "dashboard.png")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
            kernel.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
