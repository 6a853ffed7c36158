"""Buyers' accounts: registering, confirming the email address, signing in, carts and orders.

Customers are not staff: they never get a `User` row and never reach the back office. The
views keep who is signed in; this module decides and owns the transactions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask_sqlalchemy.pagination import Pagination
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.database import begin_write
from shop.extensions import db
from shop.models import Cart, CartLine, Customer, Order, Variant
from shop.services.accounts import passwords

# Re-exported so callers handle accounts.InvalidEmail and accounts.PasswordRejected.
from shop.services.accounts.passwords import PasswordRejected as PasswordRejected
from shop.services.accounts.staff import InvalidEmail as InvalidEmail
from shop.services.accounts.staff import checked_email, normalise_email
from shop.services.ordering import cart as carts

CONFIRM_SALT = "kb-account-confirm-email"
CONFIRM_MAX_AGE = timedelta(days=3)
MAX_TOKEN_LENGTH = 500
ORDERS_PER_PAGE = 20
MAX_PAGE = 10_000
MAX_ID = 2**31 - 1  # ids in the URL above this name nothing (and overflow SQLite's integers)


class AccountError(Exception):
    """A reason an account action cannot be done."""


class DuplicateEmail(AccountError):
    """Another account already uses this email address."""


class InvalidToken(AccountError):
    """A confirmation link that was not made by this shop (or was changed)."""


class ExpiredToken(InvalidToken):
    """A genuine confirmation link that is older than CONFIRM_MAX_AGE."""


class OrderNotFound(AccountError):
    """No order with this id belongs to the customer."""


# --- Registering and confirming -------------------------------------------------------------


def register(email: str, password: str, *, name: str = "", organisation: str = "") -> Customer:
    """Open an account with an unconfirmed email address and a hashed password; commit."""
    address = checked_email(email)
    password = passwords.checked_password(password, address)
    if db.session.scalar(select(Customer.id).where(Customer.email == address)) is not None:
        raise DuplicateEmail(address)
    customer = Customer(
        email=address,
        name=name.strip()[:120],
        organisation=organisation.strip()[:200],
        password_hash=passwords.hash_password(password),
        is_active=True,
        session_version=1,
    )
    db.session.add(customer)
    try:
        db.session.commit()
    except IntegrityError as error:  # another request opened the same address meanwhile
        db.session.rollback()
        raise DuplicateEmail(address) from error
    except Exception:
        db.session.rollback()
        raise
    return customer


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=CONFIRM_SALT)


def confirmation_token(customer: Customer, secret_key: str) -> str:
    """Return a signed token proving that whoever holds it received mail at the address."""
    # The address is inside: a link sent to an earlier address never confirms a later one.
    return _serializer(secret_key).dumps({"c": customer.id, "e": customer.email})


def signed_customer(
    serializer: URLSafeTimedSerializer, token: str, max_age: timedelta, now: datetime | None
) -> tuple[Customer, dict[str, object]]:
    """The account a signed link names, and the link's payload; InvalidToken or ExpiredToken.

    The payload is a dict whose "c" is the account id; the caller checks what else it signs.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken()
    try:
        payload, issued = serializer.loads(token, return_timestamp=True)
    except BadSignature as error:
        raise InvalidToken() from error
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        raise InvalidToken()
    customer = db.session.get(Customer, payload["c"]) if 0 < payload["c"] <= MAX_ID else None
    if customer is None:
        raise InvalidToken()
    if (now or datetime.now(UTC)) - issued > max_age:
        raise ExpiredToken()
    return customer, payload


def confirmation_owner(token: str, secret_key: str, *, now: datetime | None = None) -> Customer:
    """Return the account a confirmation link was sent for; InvalidToken or ExpiredToken."""
    customer, payload = signed_customer(_serializer(secret_key), token, CONFIRM_MAX_AGE, now)
    if customer.email != payload.get("e"):
        raise InvalidToken()  # sent to an earlier address
    return customer


def confirm_email(customer: Customer, *, now: datetime | None = None) -> None:
    """Mark the account's address confirmed (again is fine); commit.

    Only call this for someone who both holds the account's password (is signed in to it)
    and opened the link from its mailbox: confirming joins the guest orders and quote
    requests sent from the address to the account, so a stranger who registered someone
    else's address must never get there by the mailbox owner clicking the link.
    """
    if customer.email_confirmed_at is None:
        customer.email_confirmed_at = now or datetime.now(UTC)
        db.session.commit()


# --- Signing in -----------------------------------------------------------------------------


def authenticate(email: str, password: str) -> Customer | None:
    """Return the active account with this email and password, else None.

    A hash made with outdated work factors is redone with the current ones; commit.
    """
    address = normalise_email(email or "")
    customer = None
    if len(address) <= 254:
        customer = db.session.scalar(select(Customer).where(Customer.email == address))
    if customer is None:
        # Spend the same time as a real check, so response times do not reveal accounts.
        passwords.spend_a_check(password)
        return None
    if not passwords.verify_password(customer.password_hash, password) or not customer.is_active:
        return None
    if passwords.needs_rehash(customer.password_hash):
        _store_hash(customer, passwords.hash_password(password))
    return customer


def _store_hash(customer: Customer, password_hash: str) -> None:
    """Replace the stored hash (same password, current work factors); commit."""
    try:
        begin_write(db.session)
        customer.password_hash = password_hash
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def signed_in_customer(customer_id: object, session_version: object) -> Customer | None:
    """Return the account a session names if it is active and the session still valid."""
    if not isinstance(customer_id, int) or not isinstance(session_version, int):
        return None
    customer = db.session.get(Customer, customer_id)
    if customer is None or not customer.is_active:
        return None
    return customer if customer.session_version == session_version else None


@dataclass(frozen=True)
class MergeResult:
    """The customer's cart after signing in, and whether a quantity had to be lowered."""

    cart: Cart | None
    lowered: bool = False


def sign_in(customer: Customer, guest_cart_token: str | None) -> MergeResult:
    """Note the sign-in and merge the browser's guest cart into the account's cart; commit."""
    customer.last_login_at = datetime.now(UTC)
    return merge_guest_cart(customer, guest_cart_token)


# --- Carts ----------------------------------------------------------------------------------


def account_cart(customer_id: int, *, besides: int | None = None) -> Cart | None:
    """Return the account's most recently changed cart (other than `besides`), or None."""
    query = select(Cart).where(Cart.customer_id == customer_id)
    if besides is not None:
        query = query.where(Cart.id != besides)
    return db.session.scalars(query.order_by(Cart.updated_at.desc(), Cart.id.desc())).first()


def new_account_cart(customer_id: int) -> Cart:
    """Create an empty cart belonging to the account; the caller commits."""
    cart = carts.create_cart()
    cart.customer_id = customer_id
    db.session.flush()
    return cart


def merge_guest_cart(customer: Customer, guest_cart_token: str | None) -> MergeResult:
    """Move the guest cart's lines into the account's cart; commit.

    Lines of the same variant add up, capped at what one cart line may hold. With no
    account cart yet, the guest cart simply becomes the account's.
    """
    try:
        return _merge(customer, carts.find_cart(guest_cart_token))
    except Exception:
        db.session.rollback()
        raise


def _merge(customer: Customer, guest: Cart | None) -> MergeResult:
    if guest is not None and guest.customer_id not in (None, customer.id):
        guest = None  # another account's cart is never taken over
    account = account_cart(customer.id, besides=guest.id if guest else None)
    if guest is None or account is None:
        if guest is not None:
            guest.customer_id = customer.id
        db.session.commit()
        return MergeResult(guest or account)
    lowered = _move_lines(guest, account)
    account.shipping_country = account.shipping_country or guest.shipping_country
    # The code the buyer entered just before signing in is the one they mean to use.
    account.discount_code = guest.discount_code or account.discount_code
    if guest.is_gift:  # so is the gift choice they made just before
        account.is_gift, account.gift_message = True, guest.gift_message
        account.gift_wrap = guest.gift_wrap
    db.session.delete(guest)
    db.session.commit()
    return MergeResult(account, lowered)


def _move_lines(source: Cart, target: Cart) -> bool:
    """Add the source's lines to the target's; say whether a sum had to be lowered."""
    lowered = False
    existing = {line.variant_id: line for line in target.lines}
    for line in source.lines:
        have = existing.get(line.variant_id)
        wanted = line.quantity + (have.quantity if have else 0)
        # A line that can't be bought now keeps its quantity: the cart page says what's wrong.
        limit = carts.max_quantity(line.variant) or carts.MAX_LINE_QUANTITY
        quantity = min(wanted, limit, carts.MAX_LINE_QUANTITY)
        lowered = lowered or quantity < wanted
        if have is not None:
            have.quantity = quantity
        else:
            target.lines.append(CartLine(variant_id=line.variant_id, quantity=quantity))
    return lowered


# --- Orders ---------------------------------------------------------------------------------


def _orders_of(customer: Customer) -> ColumnElement[bool]:
    mine = Order.customer_id == customer.id
    if customer.email_confirmed_at is None:
        return mine
    # A confirmed address proves its owner placed the guest orders sent to it.
    guest_orders = and_(Order.customer_id.is_(None), func.lower(Order.email) == customer.email)
    return or_(mine, guest_orders)


def list_orders(customer: Customer, page: int = 1) -> Pagination:
    """The customer's orders, newest first, one page at a time."""
    query = (
        select(Order)
        .where(_orders_of(customer))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .options(selectinload(Order.lines))
    )
    page = min(max(page, 1), MAX_PAGE)
    return db.paginate(query, page=page, per_page=ORDERS_PER_PAGE, error_out=False)


def find_order(customer: Customer, order_id: int) -> Order | None:
    """Return the customer's order with this id, or None (also for someone else's)."""
    if not 0 < order_id <= MAX_ID:
        return None
    return db.session.scalar(select(Order).where(Order.id == order_id, _orders_of(customer)))


@dataclass
class ReorderResult:
    """What "order again" put into the cart and what it could not."""

    added: list[str] = field(default_factory=list)
    lowered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def reorder(customer: Customer, order_id: int, cart: Cart) -> ReorderResult:
    """Add the order's variants that are still on sale to the cart; commit per line."""
    order = find_order(customer, order_id)
    if order is None:
        raise OrderNotFound(order_id)
    result = ReorderResult()
    for line in order.lines:
        name = " — ".join(part for part in (line.product_name, line.option_label) if part)
        quantity = _room_for(cart, line.variant_id, line.quantity)
        if not quantity:
            result.missing.append(name)
            continue
        try:
            carts.add_item(cart, line.variant_id or 0, quantity)
        except carts.CartError:
            result.missing.append(name)
            continue
        (result.lowered if quantity < line.quantity else result.added).append(name)
    return result


def _room_for(cart: Cart, variant_id: int | None, wanted: int) -> int:
    """How many of `wanted` pieces fit in the cart's line for the variant (0 if not on sale)."""
    variant = db.session.get(Variant, variant_id) if variant_id else None
    if variant is None or not carts.is_sellable(variant):
        return 0
    in_cart = sum(ln.quantity for ln in cart.lines if ln.variant_id == variant.id)
    return max(0, min(wanted, carts.max_quantity(variant) - in_cart))
