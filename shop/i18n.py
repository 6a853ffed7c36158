"""Which language a visitor reads the shop in."""

from __future__ import annotations

from flask import current_app, request

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """Pick the visitor's language: their remembered choice, else their browser's.

    The back office speaks only the staff's languages: a Japanese choice made in the shop
    falls back to the browser's best staff language there.
    """
    languages = list(current_app.config["LANGUAGES"])
    if request.path.startswith("/admin"):
        languages = list(current_app.config["STAFF_LANGUAGES"])
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "en"
