"""Locust users for ``bench/bench_load.py``: the day's mix of people on one Mizan.

Prosecutors search the library and open their cases, clerks upload one-page scans,
supervisors open the dashboard and the reports, and a police system sends FIRs.
Each request is named by its route (not its URL), so the table has one row per page.
Settings come from the environment the benchmark sets: ``LOAD_PASSWORD``,
``LOAD_TOKEN`` (the police integration's API token), ``LOAD_CASES`` (case ids a
prosecutor may open, comma-separated), ``LOAD_UPLOAD_CASE``.
"""

from __future__ import annotations

import io
import itertools
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "")
TOKEN = os.environ.get("LOAD_TOKEN", "")
CASES = [c for c in os.environ.get("LOAD_CASES", "").split(",") if c]
UPLOAD_CASE = os.environ.get("LOAD_UPLOAD_CASE", "")
QUERIES = (
    "murder last seen evidence",
    "bail cancellation 497",
    "dying declaration",
    "recovery of weapon 302",
    "anti-terrorism extortion",
    "circumstantial evidence chain",
    "narcotics 9(c)",
    "acquittal appeal limitation",
)
_fir_numbers = itertools.count(50_000 + random.randrange(10_000))


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


def _scan() -> bytes:
    """A one-page typed note as a PNG (OCR'd by the worker while the load runs)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.text((30, 40), "Statement of witness recorded u/s 161 CrPC", fill=0)
    draw.text((30, 90), f"FIR No. {random.randrange(1, 999)}/2025 PS Artillery Maidan", fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/login", name="/login")
        self.client.post(
            "/login",
            data={"username": self.username, "password": PASSWORD, "csrf_token": _csrf(page.text)},
            name="/login [POST]",
        )


class Prosecutor(SignedIn):
    weight = 5
    wait_time = between(1, 3)
    username = "pp.rahim"

    @task(3)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(QUERIES)}, name="/search/?q=")

    @task(2)
    def open_case(self) -> None:
        if CASES:
            self.client.get(f"/cases/{random.choice(CASES)}", name="/cases/<id>")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(1)
    def cases(self) -> None:
        self.client.get("/cases/", name="/cases/")


class Clerk(SignedIn):
    weight = 2
    wait_time = between(3, 8)
    username = "clerk.south"

    @task
    def upload(self) -> None:
        if not UPLOAD_CASE:
            return
        page = self.client.get(f"/cases/{UPLOAD_CASE}", name="/cases/<id>")
        self.client.post(
            f"/cases/{UPLOAD_CASE}/documents",
            data={"csrf_token": _csrf(page.text), "lang": "eng", "title": "Witness statement"},
            files={"file": ("statement.png", _scan(), "image/png")},
            name="/cases/<id>/documents [POST]",
            allow_redirects=False,
        )


class Supervisor(SignedIn):
    weight = 1
    wait_time = between(2, 6)
    username = "dpp.south"

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    @task(1)
    def reports(self) -> None:
        self.client.get("/reports/", name="/reports/")


class PoliceSystem(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    @task
    def send_fir(self) -> None:
        number = next(_fir_numbers) % 99_999 + 1
        self.client.post(
            "/api/v1/firs",
            json={
                "district": "KHI-S",
                "police_station": "Boat Basin",
                "fir_number": number,
                "fir_year": 2026,
                "registered_at": "2026-03-01T10:00:00",
                "sections": ["392 PPC"],
                "accused": [{"name": "Load Test Accused"}],
            },
            headers={"Authorization": f"Bearer {TOKEN}"},
            name="/api/v1/firs [POST]",
        )
