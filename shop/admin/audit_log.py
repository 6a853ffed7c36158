"""The audit log page: who changed what and when, filterable."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from shop import converters
from shop.admin import bp
from shop.admin.access import role_required
from shop.admin.product_forms import REASON_LABELS, STATUS_LABELS
from shop.admin.report_forms import AuditFilterForm
from shop.config import LANGUAGES
from shop.models import AuditEntry, Role
from shop.services.ordering.mail import status_label
from shop.services.reporting import audit
from shop.services.reporting.audit import AuditFilter
from shop.templating import idr as format_idr

PER_PAGE = 50
INLINE_CHANGES = 4  # more than this many fields fold into a <details>
MAX_VALUE = 80  # characters of a changed value shown before "…"

# Known actions in words; an action not listed here is shown as it is stored.
ACTION_LABELS = {
    "product.created": _l("Product created"),
    "product.updated": _l("Product edited"),
    "product.published": _l("Product published"),
    "product.unpublished": _l("Product unpublished"),
    "product.archived": _l("Product archived"),
    "product.deleted": _l("Product deleted"),
    "product.restored": _l("Product restored"),
    "product.translated": _l("Product translated"),
    "variant.added": _l("Variant added"),
    "variant.created": _l("Variant added"),
    "variant.updated": _l("Variant edited"),
    "variant.removed": _l("Variant removed"),
    "variant.deactivated": _l("Variant switched off"),
    "stock.adjusted": _l("Stock adjusted"),
    "photo.uploaded": _l("Photo uploaded"),
    "photo.updated": _l("Photo edited"),
    "photo.alt_changed": _l("Photo description edited"),
    "photo.deleted": _l("Photo deleted"),
    "photo.reordered": _l("Photos reordered"),
    "photo.cover_set": _l("Cover photo chosen"),
    "photo.retried": _l("Photo processing tried again"),
    "category.created": _l("Category created"),
    "category.updated": _l("Category edited"),
    "category.translated": _l("Category translated"),
    "workshop.created": _l("Workshop created"),
    "workshop.updated": _l("Workshop edited"),
    "workshop.translated": _l("Workshop translated"),
    "catalog.imported": _l("Catalog imported"),
    "synonym.added": _l("Search synonym added"),
    "synonym.deleted": _l("Search synonym deleted"),
    "order.packed": _l("Order packed"),
    "order.shipped": _l("Order shipped"),
    "order.delivered": _l("Order delivered"),
    "order.cancelled": _l("Order cancelled"),
    "order.refunded": _l("Order refunded"),
    "order.paid": _l("Bank transfer recorded"),
    "quote.offer_sent": _l("Quote sent"),
    "quote.message_sent": _l("Message to the buyer"),
    "quote.progress": _l("Production progress"),
    "user.created": _l("Staff account created"),
    "user.deactivated": _l("Staff account deactivated"),
    "user.reactivated": _l("Staff account reactivated"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset_sent": _l("Password link sent"),
    "user.password_reset": _l("Password set through a link"),
    "user.signed_out_everywhere": _l("Signed out everywhere else"),
    "user.two_factor_enabled": _l("Two-factor sign-in switched on"),
    "user.two_factor_disabled": _l("Two-factor sign-in switched off"),
    "user.two_factor_reset": _l("Two-factor sign-in reset by an admin"),
    "user.recovery_code_used": _l("Recovery code used to sign in"),
    "revenue_rate.set": _l("Revenue rate set"),
    "exchange_rate.set": _l("Exchange rate set"),
    "payout.recorded": _l("Wage payout recorded"),
    "impact.approved": _l("Month published on the impact page"),
    "carrier.created": _l("Carrier added"),
    "carrier.updated": _l("Carrier edited"),
    "carrier.deleted": _l("Carrier removed"),
}

# Field names in words; a field not listed here is shown as it is stored.
FIELD_LABELS = {
    "name": _l("Name"),
    "tracking_url": _l("Tracking page"),
    "slug": _l("Web address (slug)"),
    "summary": _l("Summary"),
    "description": _l("Description"),
    "description_md": _l("Description"),
    "category_id": _l("Category"),
    "workshop_id": _l("Workshop"),
    "materials": _l("Materials"),
    "care_notes": _l("Care notes"),
    "status": _l("Status"),
    "made_to_order": _l("Made to order"),
    "lead_time_days": _l("Lead time (days)"),
    "maker_share_pct": _l("Maker share (%)"),
    "featured": _l("Featured"),
    "sku": _l("SKU"),
    "option_label": _l("Option"),
    "price_idr": _l("Price"),
    "stock": _l("Stock"),
    "delta": _l("Change"),
    "stock_after": _l("Stock after"),
    "reason": _l("Reason"),
    "note": _l("Note"),
    "weight_g": _l("Weight (g)"),
    "net_weight_g": _l("Net weight (g)"),
    "hs_code": _l("HS code"),
    "origin_country": _l("Country of origin"),
    "is_active": _l("Active"),
    "alt_text": _l("Alt text"),
    "institution": _l("Institution"),
    "region": _l("Region"),
    "story": _l("Story"),
    "position": _l("Position"),
    "carrier": _l("Carrier"),
    "tracking_number": _l("Tracking number"),
    "amount_idr": _l("Amount"),
    "paid_on": _l("Paid on"),
    "reference": _l("Transfer reference"),
    "receipt": _l("Receipt scan"),
    "maker_share_idr": _l("Maker share (wages)"),
    "pnbp_idr": _l("PNBP (state)"),
    "corrections": _l("Corrections"),
    "refunded_idr": _l("Refunded"),
    "role": _l("Role"),
    "email": _l("Email"),
    "pnbp_pct": _l("PNBP (%)"),
    "default_maker_share_pct": _l("Default maker share (%)"),
    "idr_per_unit": _l("Rupiah per unit"),
}
# Stored values in words, per field (product status, stock reason, role).
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "reason": {reason.value: label for reason, label in REASON_LABELS.items()},
    "role": {Role.ADMIN.value: _l("Admin"), Role.STAFF.value: _l("Staff")},
}
PRODUCT_STATUS_LABELS = {status.value: label for status, label in STATUS_LABELS.items()}

# Where each kind of target is edited: (endpoint, URL parameter or None for a list page).
TARGET_PAGES: dict[str, tuple[str, str | None]] = {
    "product": ("admin.product_edit", "product_id"),
    "category": ("admin.category_edit", "category_id"),
    "workshop": ("admin.workshop_edit", "workshop_id"),
    "order": ("admin.order_detail", "order_id"),
    "quote": ("admin.quote", "quote_id"),
    "user": ("admin.staff_accounts", None),
    "revenue_rate": ("admin.revenue_split", None),
    "exchange_rate": ("admin.exchange_rates", None),
    "payout": ("admin.revenue_split", None),
    "impact_month": ("admin.revenue_split", None),
    "carrier": ("admin.carriers", None),
}


def field_label(field: str) -> str:
    """A changed field's name in words, or as stored when it is not a known one; a
    translated text ("ja.name") is named with its language ("日本語 · Name")."""
    locale, _, name = field.rpartition(".")
    if locale in LANGUAGES and name in FIELD_LABELS:
        return f"{LANGUAGES[locale]} · {FIELD_LABELS[name]}"
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field


@dataclass(frozen=True)
class ChangeLine:
    """One changed field in words: `old` is None when the entry stored a single value."""

    field: str
    old: str | None
    new: str


def action_label(action: str) -> str:
    """The action in words, or as stored when it is not a known one."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def target_url(entry: AuditEntry) -> str | None:
    """A link to the back-office page of the changed object, if there is such a page."""
    page = TARGET_PAGES.get(entry.target_type)
    if page is None or page[0] not in current_app.view_functions:
        return None
    endpoint, parameter = page
    if parameter is None:
        return url_for(endpoint)
    if entry.target_id is None:
        return None
    return url_for(endpoint, **{parameter: entry.target_id})


def _shown(entry: AuditEntry, field: str, value: Any) -> str:
    """A changed value as staff read it: money in rupiah, statuses in words, long text cut."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int) and field.endswith("_idr"):
        return format_idr(value)
    if field == "status" and entry.target_type == "order" and isinstance(value, str):
        return status_label(value)
    if field == "status" and entry.target_type == "product" and value in PRODUCT_STATUS_LABELS:
        return str(PRODUCT_STATUS_LABELS[value])
    if isinstance(value, str) and value in VALUE_LABELS.get(field, {}):
        return str(VALUE_LABELS[field][value])
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def readable_changes(entry: AuditEntry) -> list[ChangeLine]:
    """The entry's changes, each field as "old → new" (or a single value) in words."""
    lines = []
    for field, value in audit.changes_of(entry).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = value
            old, new = _shown(entry, field, old), _shown(entry, field, new)
            lines.append(ChangeLine(field_label(field), old, new))
        else:
            lines.append(ChangeLine(field_label(field), None, _shown(entry, field, value)))
    return lines


def _filters(form: AuditFilterForm, known_actors: list[str]) -> AuditFilter:
    """The filter the form describes; fields that did not validate are left out."""
    form.validate()

    def valid(name: str) -> Any:
        return None if form[name].errors else form[name].data

    who = (valid("who") or "").strip()
    return AuditFilter(
        actor=who,
        actor_exact=who.lower() in known_actors,
        group=valid("what") or "",
        date_from=valid("date_from"),
        date_to=valid("date_to"),
        q=(valid("q") or "").strip(),
    )


def _filter_args() -> dict[str, str]:
    """The filters from the query string, for links that keep them."""
    keys = ("who", "what", "date_from", "date_to", "q")
    return {key: request.args[key] for key in keys if request.args.get(key)}


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log() -> str:
    """List the audit log newest first, filtered by who, what, days and the object's name."""
    actors = audit.actor_emails()
    form = AuditFilterForm(request.args)
    filters = _filters(form, actors)
    page_number = request.args.get("page", 1, type=converters.page_number)
    tz = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    found = audit.search_entries(filters, tz, page=page_number, per_page=PER_PAGE)
    return render_template(
        "admin/audit_log.html",
        form=form,
        page=found,
        actors=actors,
        filter_args=_filter_args(),
        action_label=action_label,
        target_url=target_url,
        readable_changes=readable_changes,
        inline_changes=INLINE_CHANGES,
    )
