""" "Email me when it is back": double opt-in alerts for sold-out options, one mail per restock.

A buyer leaves an address on a sold-out option's page; a confirmation mail with a signed
link arms the alert (nobody can sign someone else up). When staff bring the option's stock
from 0 back above 0, every armed alert is claimed with one guarded UPDATE and its mail is
queued in the same transaction as the stock change: two restocks at once, or a restock
rolled back, can never send a mail twice or send one for stock that never arrived.
Whatever the address's history, asking again gets the same answer, so the form reveals
nothing about who is subscribed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from shop.extensions import db
from shop.gateways.mail import MailMessage
from shop.models import AlertStatus, Product, ProductStatus, ProductTranslation, StockAlert, Variant
from shop.services.catalog.variants import Availability, availability

CONFIRM_SALT = "stock-alert-confirm"
UNSUBSCRIBE_SALT = "stock-alert-unsubscribe"
CONFIRM_VALID = timedelta(days=7)
# Confirmation mails one address gets for one option until it confirms: enough for a lost
# mail, too few to turn the form into a way of flooding someone's inbox.
MAX_CONFIRMATIONS = 3
MAX_EMAIL = 254


class AlertError(Exception):
    """A request for an alert that cannot be taken; nothing was stored."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown_option", "not_sold_out"


@dataclass(frozen=True)
class AlertLinks:
    """How the mails build their absolute links (views pass url_for-based builders)."""

    confirm: Callable[[str], str]


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_token(alert: StockAlert, salt: str) -> str:
    """A signed token naming the alert and its address (for a confirm or unsubscribe link)."""
    return str(_serializer(salt).dumps([alert.id, alert.email]))


def _alert_from(token: str, salt: str, max_age: timedelta | None) -> StockAlert | None:
    if not token or len(token) > 300:
        return None
    try:
        seconds = int(max_age.total_seconds()) if max_age else None
        alert_id, email = _serializer(salt).loads(token, max_age=seconds)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    alert = db.session.get(StockAlert, alert_id) if isinstance(alert_id, int) else None
    return alert if alert is not None and alert.email == email else None


def normalise_email(email: str) -> str:
    """The address as stored: trimmed, the domain in lower case."""
    local, _at, domain = (email or "").strip().rpartition("@")
    return f"{local}@{domain.lower()}" if local else (email or "").strip()


def request_alert(sku: str, email: str, locale: str, links: AlertLinks) -> None:
    """Ask for a mail when a sold-out option is back; send the confirmation link; commit.

    Raises AlertError for an unknown option or one that can be bought now. The outcome is
    the same whether the address was new, waiting, confirmed or unsubscribed before.
    """
    variant = _sold_out_variant(sku)
    email = normalise_email(email)[:MAX_EMAIL]
    alert = _alert_for(variant.id, email)
    if alert is None:
        alert = StockAlert(variant_id=variant.id, email=email, locale=locale, confirmations_sent=0)
        try:
            with db.session.begin_nested():
                db.session.add(alert)
        except IntegrityError:  # the same address asked a moment ago in another request
            db.session.rollback()
            return
    elif alert.status == AlertStatus.ACTIVE:
        db.session.rollback()
        return  # armed already: nothing to send
    elif alert.status != AlertStatus.PENDING or _links_expired(alert):
        # A fresh request: a spent, withdrawn or long-unconfirmed alert starts over.
        alert.status, alert.confirmations_sent, alert.notified_at = AlertStatus.PENDING, 0, None
        alert.created_at = datetime.now(UTC)
    if alert.confirmations_sent >= MAX_CONFIRMATIONS:
        db.session.rollback()
        return
    alert.locale = locale
    alert.confirmations_sent += 1
    db.session.flush()
    _send_confirmation(alert, variant, links)
    db.session.commit()


def _links_expired(alert: StockAlert) -> bool:
    """Whether every confirmation link sent for the alert's request has expired."""
    created = alert.created_at
    if created.tzinfo is None:  # SQLite hands back naive UTC
        created = created.replace(tzinfo=UTC)
    return datetime.now(UTC) - created > CONFIRM_VALID


def _sold_out_variant(sku: str) -> Variant:
    variant = None
    if sku and len(sku) <= 64:
        variant = db.session.scalar(
            select(Variant).options(joinedload(Variant.product)).where(Variant.sku == sku)
        )
    if variant is None or not variant.is_active or variant.product.status != ProductStatus.ACTIVE:
        raise AlertError("unknown_option")
    if availability(variant.product, variant) != Availability.SOLD_OUT:
        raise AlertError("not_sold_out")
    return variant


def _alert_for(variant_id: int, email: str) -> StockAlert | None:
    return db.session.scalar(
        select(StockAlert).where(StockAlert.variant_id == variant_id, StockAlert.email == email)
    )


def confirm(token: str) -> StockAlert | None:
    """Arm the alert a confirmation link names; commit. None for a bad or expired link.

    Confirming twice, or after the mail was sent, changes nothing and still answers.
    """
    alert = _alert_from(token, CONFIRM_SALT, CONFIRM_VALID)
    if alert is None:
        return None
    db.session.execute(
        update(StockAlert)
        .where(StockAlert.id == alert.id, StockAlert.status == AlertStatus.PENDING)
        .values(status=AlertStatus.ACTIVE, confirmed_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(alert)
    return alert


def unsubscribe(token: str) -> StockAlert | None:
    """Withdraw the alert an unsubscribe link names, whatever its state; commit."""
    alert = _alert_from(token, UNSUBSCRIBE_SALT, None)
    if alert is None:
        return None
    alert.status = AlertStatus.UNSUBSCRIBED
    db.session.commit()
    return alert


def restocked(variant_id: int) -> int:
    """Queue the back-in-stock mail of every armed alert of the option; the caller commits.

    Each alert is claimed by a conditional UPDATE (active → sent) before its mail is queued,
    so whoever else restocks at the same moment finds it claimed and sends nothing.
    Returns how many mails were queued.
    """
    now = datetime.now(UTC)
    claimed = db.session.scalars(
        update(StockAlert)
        .where(StockAlert.variant_id == variant_id, StockAlert.status == AlertStatus.ACTIVE)
        .values(status=AlertStatus.SENT, notified_at=now)
        .returning(StockAlert.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    variant = db.session.get(Variant, variant_id, options=[joinedload(Variant.product)])
    alerts = db.session.scalars(select(StockAlert).where(StockAlert.id.in_(claimed))).all()
    mailer = current_app.extensions["mailer"]
    for alert in alerts:
        alert.status, alert.notified_at = AlertStatus.SENT, now  # as written above
        mailer.join(_restock_message(alert, variant))
    return len(alerts)


def waiting_counts(variant_ids: list[int]) -> dict[int, int]:
    """How many confirmed addresses wait for each of these options to be back in stock."""
    if not variant_ids:
        return {}
    rows = db.session.execute(
        select(StockAlert.variant_id, func.count(StockAlert.id))
        .where(StockAlert.variant_id.in_(variant_ids), StockAlert.status == AlertStatus.ACTIVE)
        .group_by(StockAlert.variant_id)
    )
    return {variant_id: count for variant_id, count in rows}


def _product_name(product: Product, locale: str) -> str:
    if locale == "en":
        return product.name
    translated = db.session.scalar(
        select(ProductTranslation.name).where(
            ProductTranslation.product_id == product.id, ProductTranslation.locale == locale
        )
    )
    return translated if translated and translated.strip() else product.name


def _external(endpoint: str, **values: object) -> str:
    """An absolute link: on SITE_URL (or the request's host), or localhost in a dev command."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context():
        return url_for(endpoint, _external=True, **values)


def _send_confirmation(alert: StockAlert, variant: Variant, links: AlertLinks) -> None:
    locale = alert.locale or "en"
    with force_locale(locale):
        context = {
            "locale": locale,
            "name": _product_name(variant.product, locale),
            "option": variant.option_label,
            "confirm_url": links.confirm(make_token(alert, CONFIRM_SALT)),
            "valid_days": CONFIRM_VALID.days,
        }
        message = MailMessage(
            to=alert.email,
            subject=_("Confirm your back-in-stock alert for %(name)s", name=context["name"]),
            text=render_template("mail/stock_alert_confirm.txt", **context),
            html=render_template("mail/stock_alert_confirm.html", **context),
        )
    current_app.extensions["mailer"].join(message)


def _restock_message(alert: StockAlert, variant: Variant) -> MailMessage:
    locale = alert.locale or "en"
    # Links first: building them outside a request pushes a context of its own, which must
    # not happen inside the mail's forced language.
    product_url = _external(
        "catalog.product_detail", slug=variant.product.slug, variant=variant.sku,
        lang=None if locale == "en" else locale,
    )  # fmt: skip
    unsubscribe_url = _external(
        "catalog.stock_alert_unsubscribe", token=make_token(alert, UNSUBSCRIBE_SALT)
    )
    with force_locale(locale):
        context = {
            "locale": locale,
            "name": _product_name(variant.product, locale),
            "option": variant.option_label,
            "product_url": product_url,
            "unsubscribe_url": unsubscribe_url,
        }
        return MailMessage(
            to=alert.email,
            subject=_("%(name)s is back in stock", name=context["name"]),
            text=render_template("mail/back_in_stock.txt", **context),
            html=render_template("mail/back_in_stock.html", **context),
        )
