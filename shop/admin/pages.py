"""The shop's pages in the back office: texts in every language, their history, restoring."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.page_forms import PageForm, drafts, fill
from shop.models import PAGE_LOCALES as PAGE_ORDER
from shop.services import pages
from shop.services.text import render_markdown


def _actor() -> object:
    return current_user._get_current_object()


def _problem(code: str) -> str:
    if code == "required":
        return gettext("Fill in both the title and the text, or leave both empty.")
    if code == "too_long":
        return gettext("This is too long.")
    return gettext("This language is not one of the shop's.")


@bp.get("/pages")
def pages_list() -> str:
    """List the shop's pages with the languages each is written in and its last change."""
    return render_template("admin/pages.html", rows=pages.list_pages(), locales=PAGE_ORDER)


@bp.route("/pages/<int:page_id>", methods=["GET", "POST"])
def page_edit(page_id: int) -> tuple[str, int] | Response:
    """Edit a page's title and text in every language; each change is kept as a version."""
    page = pages.find_page(page_id) or abort(404)
    form = PageForm()
    current = pages.current_texts(page)
    if request.method == "GET":
        fill(form, current)
    elif form.validate_on_submit():
        try:
            changed = pages.save_page(_actor(), page, drafts(form))
        except pages.InvalidPageText as exc:
            for key, code in exc.errors.items():
                locale, field = key.split(".")
                target = form[f"{'title' if field == 'title' else 'body'}_{locale}"]
                target.errors = [*target.errors, _problem(code)]
        else:
            if changed:
                flash(gettext("Page saved. Changed: %(languages)s.",
                              languages=", ".join(changed)), "success")  # fmt: skip
            else:
                flash(gettext("Nothing changed."), "info")
            return redirect(url_for("admin.page_edit", page_id=page.id), 303)
    return render_template(
        "admin/page_form.html", page=page, form=form, current=current, locales=PAGE_ORDER
    ), (422 if form.errors else 200)


@bp.get("/pages/<int:page_id>/history")
def page_history(page_id: int) -> str:
    """Every saved version of a page, newest first, each with who saved it and when."""
    page = pages.find_page(page_id) or abort(404)
    versions = pages.history(page)
    newest: dict[str, int] = {}
    for version in versions:
        newest.setdefault(version.locale, version.id)
    return render_template(
        "admin/page_history.html", page=page, versions=versions, newest=newest,
        render_markdown=render_markdown,
    )  # fmt: skip


@bp.post("/pages/<int:page_id>/versions/<int:version_id>/restore")
def page_restore(page_id: int, version_id: int) -> Response:
    """Make an older version the page's text again, keeping the history whole."""
    page = pages.find_page(page_id) or abort(404)
    version = pages.restore(_actor(), page, version_id) or abort(404)
    flash(gettext("Version %(number)d restored (%(language)s).", number=version.restored_from_id,
                  language=version.locale), "success")  # fmt: skip
    return redirect(url_for("admin.page_history", page_id=page.id), 303)
