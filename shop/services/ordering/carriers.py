"""Carriers staff ship with, and the address where a buyer follows a parcel.

An order keeps the carrier's name as staff typed it; a carrier known here by that name
(any case) turns the tracking number into a link to the carrier's tracking page.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.models import Carrier
from shop.services.reporting import audit

PLACEHOLDER = "{number}"
MAX_NAME = 80
MAX_URL = 300

# Carriers Lapas workshops ship with abroad; staff may change or add to them.
DEFAULT_CARRIERS = (
    ("DHL Express", "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}"),
    ("FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}"),
    ("UPS", "https://www.ups.com/track?tracknum={number}"),
    ("POS Indonesia (EMS)", "https://t.17track.net/en#nums={number}"),
)  # fmt: skip


class CarrierProblem(ValueError):
    """A carrier that cannot be saved; `field` is "name" or "tracking_url", `reason` why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def all_carriers() -> list[Carrier]:
    """Every carrier, by name."""
    return list(db.session.scalars(select(Carrier).order_by(func.lower(Carrier.name))))


def find(carrier_id: int) -> Carrier | None:
    return db.session.get(Carrier, carrier_id)


def tracking_link(carrier_name: str, number: str) -> str:
    """The carrier's tracking page for this number, or empty when the carrier has none."""
    if not carrier_name or not number:
        return ""
    template = db.session.scalar(
        select(Carrier.tracking_url).where(func.lower(Carrier.name) == carrier_name.strip().lower())
    )
    if not template:
        return ""
    return template.replace(PLACEHOLDER, quote(number.strip(), safe=""))


def _checked(name: str, tracking_url: str, carrier: Carrier | None) -> tuple[str, str]:
    name, tracking_url = " ".join(name.split()), tracking_url.strip()
    if not name:
        raise CarrierProblem("name", "missing")
    if len(name) > MAX_NAME:
        raise CarrierProblem("name", "too_long")
    taken = db.session.scalar(select(Carrier.id).where(func.lower(Carrier.name) == name.lower()))
    if taken is not None and (carrier is None or taken != carrier.id):
        raise CarrierProblem("name", "taken")
    if tracking_url:
        parts = urlsplit(tracking_url)
        if len(tracking_url) > MAX_URL:
            raise CarrierProblem("tracking_url", "too_long")
        if parts.scheme != "https" or not parts.netloc or PLACEHOLDER not in tracking_url:
            raise CarrierProblem("tracking_url", "not_a_template")
    return name, tracking_url


def save(carrier: Carrier | None, name: str, tracking_url: str, actor: audit.Actor) -> Carrier:
    """Add a carrier (`carrier` None) or change one; commit. Raises CarrierProblem."""
    name, tracking_url = _checked(name, tracking_url, carrier)
    if carrier is None:
        carrier = Carrier(name=name, tracking_url=tracking_url)
        db.session.add(carrier)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            raise CarrierProblem("name", "taken") from None
        action, changes = "carrier.created", {}
    else:
        changes = {
            key: [getattr(carrier, key), value]
            for key, value in (("name", name), ("tracking_url", tracking_url))
            if getattr(carrier, key) != value
        }
        carrier.name, carrier.tracking_url = name, tracking_url
        action = "carrier.updated"
    audit.record(
        actor, action, target_type="carrier", target_id=carrier.id, label=name, changes=changes
    )
    try:
        db.session.commit()
    except IntegrityError:  # another staff member saved the same name meanwhile
        db.session.rollback()
        raise CarrierProblem("name", "taken") from None
    return carrier


def remove(carrier: Carrier, actor: audit.Actor) -> None:
    """Forget a carrier (orders keep the name they were shipped with); commit."""
    audit.record(
        actor, "carrier.deleted", target_type="carrier", target_id=carrier.id, label=carrier.name
    )
    db.session.execute(delete(Carrier).where(Carrier.id == carrier.id))
    db.session.commit()


def install_defaults() -> int:
    """Add the default carriers that are missing (by name); commit; return how many."""
    known = {name.lower() for name in db.session.scalars(select(Carrier.name))}
    added = [Carrier(name=n, tracking_url=u) for n, u in DEFAULT_CARRIERS if n.lower() not in known]
    db.session.add_all(added)
    db.session.commit()
    return len(added)
