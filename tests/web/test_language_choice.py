"""The language chosen in the top bar lasts: a signed-in user's choice is their stored
preference (as the account page saves it); an anonymous visitor's lasts the session."""

from __future__ import annotations

import re

from mizan.accounts.models import User
from tests.conftest import Browser


def _html_tag(response) -> str:
    match = re.search(r"<html[^>]*>", response.get_data(as_text=True))
    assert match, "no <html> tag"
    return match.group(0)


def _stored_language(app, username: str) -> str:
    return app.extensions["mizan"].store.find_one(User, {"username": username}).language


def test_top_bar_urdu_survives_signing_out_and_in(app) -> None:
    first = Browser(app)
    first.login("clerk.south")
    assert _html_tag(first.get("/")) == '<html lang="en" dir="ltr">'
    assert _html_tag(first.get("/cases/?lang=ur")) == '<html lang="ur" dir="rtl">'
    first.post("/logout", {}, form_url="/")

    again = Browser(app)  # a new browser: nothing of the old session is left
    again.login("clerk.south")
    assert _html_tag(again.get("/")) == '<html lang="ur" dir="rtl">'
    assert _stored_language(app, "clerk.south") == "ur"

    again.get("/?lang=en")  # and back: English is remembered the same way
    later = Browser(app)
    later.login("clerk.south")
    assert _html_tag(later.get("/")) == '<html lang="en" dir="ltr">'


def test_anonymous_choice_stays_in_the_session(app) -> None:
    visitor = Browser(app)
    visitor.get("/login?lang=ur")
    visitor.login("clerk.south")
    assert _html_tag(visitor.get("/")) == '<html lang="ur" dir="rtl">'  # the session keeps it
    assert _stored_language(app, "clerk.south") == "en"  # chosen before signing in: not saved


def test_an_unknown_language_changes_nothing(app) -> None:
    b = Browser(app)
    b.login("clerk.south")
    assert _html_tag(b.get("/?lang=xx")) == '<html lang="en" dir="ltr">'
    assert _stored_language(app, "clerk.south") == "en"
