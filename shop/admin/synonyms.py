"""Search synonyms in the back office: the words buyers type, and what they should find."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from shop.admin import bp
from shop.config import LANGUAGES
from shop.extensions import db
from shop.services.catalog import synonyms as service


class SynonymForm(FlaskForm):
    """One word buyers type, its language (or any), and the catalog words it should find."""

    term = StringField(_l("Buyers type"), validators=[DataRequired(), Length(max=64)])
    locale = SelectField(_l("On pages in"), default="")
    expansion = StringField(
        _l("Also find (comma-separated)"),
        validators=[DataRequired(), Length(max=service.MAX_EXPANSION_LENGTH)],
    )
    submit = SubmitField(_l("Add synonym"))


class DeleteForm(FlaskForm):
    """A button that deletes one synonym (the form carries the CSRF token)."""

    submit = SubmitField(_l("Delete"))


def _form() -> SynonymForm:
    form = SynonymForm()
    form.locale.choices = [("", gettext("Any language"))] + [
        (code, name) for code, name in LANGUAGES.items()
    ]
    return form


def _page(form: SynonymForm, status: int = 200) -> tuple[str, int]:
    rows = service.list_synonyms()
    return render_template(
        "admin/synonyms.html", form=form, rows=rows, delete_form=DeleteForm()
    ), status


@bp.get("/synonyms")
def synonyms() -> tuple[str, int]:
    """List the search synonyms, with a form to add one."""
    return _page(_form())


@bp.post("/synonyms")
def synonym_add() -> tuple[str, int] | Response:
    """Add a synonym, or more words to an existing one."""
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        synonym = service.add_synonym(
            form.term.data or "", form.locale.data or "", form.expansion.data or "",
            current_user._get_current_object(),
        )  # fmt: skip
    except service.SynonymError as exc:
        field = form.term if str(exc) == "term" else form.expansion
        field.errors = [*field.errors, gettext("Enter at least one word.")]
        return _page(form, 422)
    db.session.commit()
    flash(gettext("Synonym “%(term)s” saved.", term=synonym.term), "success")
    return redirect(url_for("admin.synonyms"), 303)


@bp.post("/synonyms/<int:synonym_id>/delete")
def synonym_delete(synonym_id: int) -> Response:
    """Delete one synonym (deleting one already gone just says so)."""
    form = DeleteForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired. Please try again."), "error")
        return redirect(url_for("admin.synonyms"), 303)
    synonym = service.delete_synonym(synonym_id, current_user._get_current_object())
    db.session.commit()
    if synonym is None:
        flash(gettext("That synonym was already deleted."), "info")
    else:
        flash(gettext("Synonym “%(term)s” deleted.", term=synonym.term), "success")
    return redirect(url_for("admin.synonyms"), 303)
