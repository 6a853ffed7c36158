"""Catalog CSV in the back office: export, and import with a row-by-row error report."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user

from shop.admin import bp
from shop.admin.catalog_forms import CatalogImportForm
from shop.admin.downloads import csv_download
from shop.services.catalog import csv_export as catalog_csv
from shop.services.catalog.csv_import import (
    MAX_BYTES,
    MAX_ROWS,
    ImportRefused,
    ImportReport,
    RowError,
    import_catalog,
)


@bp.get("/catalog/export.csv")
def catalog_export() -> Response:
    """Download the whole catalog as CSV, one row per variant: also the import template."""

    now = datetime.now(ZoneInfo(current_app.config["SHOP_TIMEZONE"]))
    return csv_download(catalog_csv.export_rows(), f"catalog-{now:%Y%m%d-%H%M}.csv")


def _value_message(code: str, params: dict[str, object]) -> str:
    """A cell's problem in words (the value rules' codes)."""
    messages = {
        "required": lambda: gettext("required, but empty"),
        "too_long": lambda: gettext("at most %(max)d characters", **params),
        "slug": lambda: gettext(
            "use only lowercase letters a–z, digits and hyphens (at most %(max)d)", **params
        ),
        "sku": lambda: gettext(
            "use only letters, digits, dot, underscore and hyphen, starting with a letter or "
            "digit, no spaces (at most %(max)d)",
            **params,
        ),
        "rupiah": lambda: gettext("enter whole rupiah, e.g. 150000 or 150.000"),
        "not_negative": lambda: gettext("can't be negative"),
        "whole_number": lambda: gettext("enter a whole number, e.g. 12"),
        "too_big": lambda: gettext("at most %(max)s", max=f"{params['max']:,}".replace(",", ".")),
        "percent": lambda: gettext("enter a whole percentage from 0 to 100"),
        "yes_no": lambda: gettext("enter yes or no"),
        "hs_code": lambda: gettext(
            "enter the HS code as 6 to 10 digits, dots allowed, e.g. 4419.90"
        ),
        "country": lambda: gettext("enter a two-letter ISO country code, e.g. ID"),
        "status": lambda: gettext("enter draft, active or archived"),
    }
    return messages[code]() if code in messages else code


def row_message(error: RowError) -> str:
    """What is wrong in one row of the file, in words."""
    params = error.params
    if error.code == "missing_column":
        return gettext("this column is missing from the header")
    if error.code == "unknown_column":
        return gettext("unknown column: check the spelling against the export")
    if error.code == "duplicate_column":
        return gettext("this column appears twice in the header")
    if error.code == "cell_count":
        return gettext(
            "the row has %(found)d cells, the header %(expected)d; check the separators",
            **params,
        )
    if error.code == "unknown_category":
        return gettext("no category has the slug “%(value)s”", **params)
    if error.code == "unknown_workshop":
        return gettext("no workshop has the slug “%(value)s”", **params)
    if error.code == "duplicate_sku":
        return gettext("this SKU is already used in row %(row)d of the file", **params)
    if error.code == "sku_taken":
        return gettext("this SKU belongs to another product (%(product)s)", **params)
    if error.code == "conflict":
        return gettext("differs from row %(row)d of the same product", **params)
    if error.code == "maker_share_admin_only":
        return gettext("only an admin may change the maker share")
    return _value_message(error.code, params)


def refused_message(exc: ImportRefused) -> str:
    """Why the file could not be read at all, in words."""
    if exc.code == "not_utf8":
        return gettext(
            "The file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving; in "
            "LibreOffice choose the character set “Unicode (UTF-8)”."
        )
    if exc.code == "too_big":
        return gettext("The file is larger than %(num)d MB.", num=exc.params["max_mb"])
    if exc.code == "too_many_rows":
        return gettext(
            "The file has more than %(num)d rows. Split it into smaller files.",
            num=exc.params["max"],
        )
    if exc.code == "malformed":
        return gettext(
            "Row %(row)d can't be read as CSV (a quote may be missing). Nothing was imported.",
            row=exc.params["row"],
        )
    if exc.code == "conflict":
        return gettext(
            "The catalog changed while the file was imported (perhaps someone else saved a "
            "product). Nothing was imported: please try again."
        )
    return gettext("The file is empty.")


def _summary(report: ImportReport) -> str:
    """The counts that are not zero, e.g. "1 product updated, 2 stock adjustments"."""
    # Literal strings in every call, so message extraction finds them.
    counts = [
        report.products_created
        and ngettext(
            "%(num)d product created", "%(num)d products created", report.products_created
        ),
        report.products_updated
        and ngettext(
            "%(num)d product updated", "%(num)d products updated", report.products_updated
        ),
        report.variants_created
        and ngettext(
            "%(num)d variant created", "%(num)d variants created", report.variants_created
        ),
        report.variants_updated
        and ngettext(
            "%(num)d variant updated", "%(num)d variants updated", report.variants_updated
        ),
        report.stock_adjustments
        and ngettext(
            "%(num)d stock adjustment", "%(num)d stock adjustments", report.stock_adjustments
        ),
    ]
    return ", ".join(part for part in counts if part)


def _import_page(form: CatalogImportForm, report: ImportReport | None, status: int) -> Any:
    return render_template(
        "admin/catalog_import.html",
        form=form,
        report=report,
        summary=_summary(report) if report else "",
        row_message=row_message,
        columns=catalog_csv.COLUMNS,
        max_rows=MAX_ROWS,
        checked_only=bool(form.check.data),
        left_alone=_left_alone(report) if report and report.variants_not_in_file else "",
    ), status


@bp.route("/catalog/import", methods=["GET", "POST"])
def catalog_import() -> Any:
    """Check a catalog CSV and import it when every row is right; "Check only" writes nothing."""
    form = CatalogImportForm()
    if not form.validate_on_submit():
        return _import_page(form, None, 422 if form.errors else 200)
    upload = form.file.data
    try:
        report = import_catalog(
            upload.read(MAX_BYTES + 1),
            actor=current_user._get_current_object(),
            file_name=upload.filename or "",
            allow_maker_share=current_user.is_admin,
            dry_run=bool(form.check.data),
        )
    except ImportRefused as exc:
        form.file.errors = [refused_message(exc)]
        return _import_page(form, None, 422)
    if not report.ok:
        return _import_page(form, report, 422)
    if not report.written:
        return _import_page(form, report, 200)
    message = gettext(
        "Imported %(file)s: %(summary)s.", file=report.file_name, summary=_summary(report)
    )
    flash(message, "success")
    if report.variants_not_in_file:
        flash(_left_alone(report), "info")
    return redirect(url_for("admin.catalog_import"), 303)


def _left_alone(report: ImportReport) -> str:
    return ngettext(
        "%(num)d variant of these products is not in the file and was left as it is.",
        "%(num)d variants of these products are not in the file and were left as they are.",
        report.variants_not_in_file,
    )
