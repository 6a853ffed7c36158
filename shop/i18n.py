"""Which language a visitor reads the shop in."""

from __future__ import annotations

from flask import current_app, request

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """Pick the visitor's language: their remembered choice, else their browser's."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages.keys()) or "en"
