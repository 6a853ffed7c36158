"""The shipping addresses a customer keeps: every lookup is scoped to its owner."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import func, select

from shop.extensions import db
from shop.models import Customer, CustomerAddress
from shop.services.ordering import shipping

MAX_ADDRESSES = 20
MAX_ID = 2**31 - 1  # ids in the URL above this name nothing (and overflow SQLite's integers)


class AddressError(Exception):
    """A reason an address cannot be saved or changed."""


class AddressNotFound(AddressError):
    """No address with this id belongs to the customer."""


class InvalidCountry(AddressError):
    """The shop does not ship to this country."""


class TooManyAddresses(AddressError):
    """The customer already keeps MAX_ADDRESSES addresses."""

    def __init__(self, limit: int = MAX_ADDRESSES) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass(frozen=True)
class AddressDetails:
    """What a customer types for an address; lengths are those of the columns."""

    name: str
    line1: str
    city: str
    country: str
    label: str = ""
    line2: str = ""
    state: str = ""
    postal_code: str = ""
    phone: str = ""


LIMITS = {"name": 200, "line1": 200, "city": 120, "country": 2, "label": 80, "line2": 200,
          "state": 120, "postal_code": 32, "phone": 40}  # fmt: skip


def list_addresses(customer: Customer) -> list[CustomerAddress]:
    """The customer's addresses, the default first."""
    query = (
        select(CustomerAddress)
        .where(CustomerAddress.customer_id == customer.id)
        .order_by(CustomerAddress.is_default.desc(), CustomerAddress.id)
    )
    return list(db.session.scalars(query))


def find_address(customer: Customer, address_id: int) -> CustomerAddress | None:
    """Return the customer's address with this id, or None (also for someone else's)."""
    if not 0 < address_id <= MAX_ID:
        return None
    return db.session.scalar(
        select(CustomerAddress).where(
            CustomerAddress.id == address_id, CustomerAddress.customer_id == customer.id
        )
    )


def default_address(customer: Customer) -> CustomerAddress | None:
    """Return the customer's default address, or None."""
    return db.session.scalar(
        select(CustomerAddress).where(
            CustomerAddress.customer_id == customer.id, CustomerAddress.is_default.is_(True)
        )
    )


def _owned(customer: Customer, address_id: int) -> CustomerAddress:
    address = find_address(customer, address_id)
    if address is None:
        raise AddressNotFound(address_id)
    return address


def _apply(address: CustomerAddress, details: AddressDetails) -> None:
    country = details.country.strip().upper()
    if country not in shipping.allowed_countries():
        raise InvalidCountry(country)
    for f in fields(details):
        value = country if f.name == "country" else getattr(details, f.name).strip()
        setattr(address, f.name, value[: LIMITS[f.name]])


def _make_default(customer: Customer, address: CustomerAddress) -> None:
    for other in list_addresses(customer):
        other.is_default = other.id == address.id
    address.is_default = True


def add_address(
    customer: Customer, details: AddressDetails, *, default: bool = False
) -> CustomerAddress:
    """Keep a new address (the first one becomes the default); commit."""
    try:
        count = db.session.scalar(
            select(func.count(CustomerAddress.id)).where(CustomerAddress.customer_id == customer.id)
        )
        if (count or 0) >= MAX_ADDRESSES:
            raise TooManyAddresses()
        address = CustomerAddress(customer_id=customer.id, is_default=False)
        _apply(address, details)
        db.session.add(address)
        db.session.flush()
        if default or not count:
            _make_default(customer, address)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return address


def update_address(
    customer: Customer, address_id: int, details: AddressDetails, *, default: bool = False
) -> CustomerAddress:
    """Change one of the customer's addresses; commit."""
    try:
        address = _owned(customer, address_id)
        _apply(address, details)
        if default:
            _make_default(customer, address)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return address


def set_default(customer: Customer, address_id: int) -> CustomerAddress:
    """Make one of the customer's addresses the default; commit."""
    try:
        address = _owned(customer, address_id)
        _make_default(customer, address)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return address


def delete_address(customer: Customer, address_id: int) -> None:
    """Forget one of the customer's addresses; the oldest left becomes default; commit."""
    try:
        address = _owned(customer, address_id)
        was_default = address.is_default
        db.session.delete(address)
        db.session.flush()
        rest = list_addresses(customer)
        if was_default and rest:
            rest[0].is_default = True
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
