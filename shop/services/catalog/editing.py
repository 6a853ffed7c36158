"""Categories and workshops as staff set them up: create and edit, with the audit trail.

Views pass plain values (the form's fields, the uploaded photo's bytes); every refusal is an
`InvalidEntry` naming the fields and what is wrong with them, or the photo pipeline's
`PhotoRefused`, and leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from shop.extensions import db
from shop.media import MediaStorage
from shop.models import Category, Product, ProductStatus, User, Workshop
from shop.services.catalog.rules import MAX_CATEGORY_SLUG, check_slug, slugify
from shop.services.media.product_photos import store_upload
from shop.services.reporting import audit

MAX_CATEGORY_NAME = 120
MAX_WORKSHOP_NAME = 200
MAX_INSTITUTION = 200
MAX_REGION = 120
MAX_DESCRIPTION = 500
MAX_SUMMARY = 300
MAX_STORY = 20_000
MAX_ALT = 300
MAX_POSITION = 10_000

CATEGORY_FIELDS = ("name", "slug", "description", "position")
WORKSHOP_FIELDS = (
    "name", "slug", "institution", "region", "summary", "story", "photo_key", "photo_alt",
)  # fmt: skip

Entry = TypeVar("Entry", Category, Workshop)


class InvalidEntry(Exception):
    """Fields the entry can't be saved with: {field: code}, e.g. {"slug": "taken"}.

    Codes: "required", "too_long", "invalid", "taken", "out_of_range".
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{field}: {code}" for field, code in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class CategoryFields:
    """What staff typed for a category; an empty slug is made from the name."""

    name: str
    slug: str = ""
    description: str = ""
    position: int = 0


@dataclass(frozen=True)
class WorkshopFields:
    """What staff typed for a workshop; an empty slug is made from the name."""

    name: str
    institution: str
    region: str
    slug: str = ""
    summary: str = ""
    story: str = ""
    photo_alt: str = ""


@dataclass(frozen=True)
class PhotoChange:
    """A new photo's bytes (replacing any current one), or a wish to remove the current one."""

    upload: bytes | None = None
    remove: bool = False


# The catalog rules' reasons for refusing a slug, as InvalidEntry codes.
_SLUG_CODES = {"missing": "required", "too_long": "too_long", "format": "invalid"}


def _text(value: str, field: str, limit: int, errors: dict[str, str], *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = "required"
    elif len(value) > limit:
        errors[field] = "too_long"
    return value


def _slug_for(
    model: type[Entry], typed: str, name: str, current: Entry | None, errors: dict[str, str]
) -> str:
    """The slug to store: as typed (lowercased) or made from the name; checked and unique."""
    slug = (typed or "").strip().lower() or slugify(name, MAX_CATEGORY_SLUG)
    reason = check_slug(slug, MAX_CATEGORY_SLUG)
    problem = _SLUG_CODES[reason] if reason else None
    if problem is None:
        taken = db.session.scalar(select(model.id).where(model.slug == slug))
        if taken is not None and (current is None or taken != current.id):
            problem = "taken"
    if problem is not None:
        errors["slug"] = problem
    return slug


def _save(
    actor: User | str | None,
    entry: Entry,
    is_new: bool,
    before: dict[str, Any],
    fields: tuple[str, ...],
    apply: Callable[[], None],
) -> Entry:
    """Apply the change, audit it and commit; roll back and refuse on a lost slug race."""
    kind = "category" if isinstance(entry, Category) else "workshop"
    try:
        apply()
        if is_new:
            db.session.add(entry)
        changes = audit.diff(before, audit.snapshot(entry, fields))
        if changes:
            db.session.flush()
            action = f"{kind}.created" if is_new else f"{kind}.updated"
            audit.record(
                actor, action, target_type=kind, target_id=entry.id, label=entry.name,
                changes=changes,
            )  # fmt: skip
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidEntry({"slug": "taken"}) from None
    except Exception:
        db.session.rollback()
        raise
    return entry


def _empty(fields: tuple[str, ...]) -> dict[str, Any]:
    return dict.fromkeys(fields)


def _with_product_counts(
    model: type[Entry], product_key: InstrumentedAttribute[int], order: tuple[Any, ...]
) -> list[tuple[Entry, int, int]]:
    """Every entry with its number of products and of active ones, in the given order."""
    rows = db.session.execute(
        select(
            model,
            func.count(Product.id),
            func.count(Product.id).filter(Product.status == ProductStatus.ACTIVE),
        )
        .outerjoin(Product, product_key == model.id)
        .group_by(model.id)
        .order_by(*order)
    )
    return [(entry, total, active) for entry, total, active in rows]


# --- categories -------------------------------------------------------------------------


def list_categories() -> list[tuple[Category, int, int]]:
    """Every category in display order with its number of products and of active ones."""
    return _with_product_counts(Category, Product.category_id, (Category.position, Category.name))


def find_category(category_id: int) -> Category | None:
    """The category with this id, or None."""
    return db.session.get(Category, category_id)


def save_category(
    actor: User | str | None, category: Category | None, fields: CategoryFields
) -> Category:
    """Create a category (category=None) or update one; raise InvalidEntry if refused."""
    errors: dict[str, str] = {}
    name = _text(fields.name, "name", MAX_CATEGORY_NAME, errors, required=True)
    slug = _slug_for(Category, fields.slug, name, category, errors)
    description = _text(fields.description, "description", MAX_DESCRIPTION, errors, required=False)
    if not 0 <= fields.position <= MAX_POSITION:
        errors["position"] = "out_of_range"
    if errors:
        raise InvalidEntry(errors)
    entry = category or Category()
    before = _empty(CATEGORY_FIELDS) if category is None else audit.snapshot(entry, CATEGORY_FIELDS)

    def apply() -> None:
        entry.name, entry.slug, entry.description = name, slug, description
        entry.position = fields.position

    return _save(actor, entry, category is None, before, CATEGORY_FIELDS, apply)


# --- workshops --------------------------------------------------------------------------


def list_workshops() -> list[tuple[Workshop, int, int]]:
    """Every workshop by name with its number of products and of active ones."""
    return _with_product_counts(Workshop, Product.workshop_id, (Workshop.name, Workshop.id))


def find_workshop(workshop_id: int) -> Workshop | None:
    """The workshop with this id, or None."""
    return db.session.get(Workshop, workshop_id)


def _workshop_values(
    workshop: Workshop | None, fields: WorkshopFields, photo: PhotoChange
) -> dict[str, Any]:
    """Check the typed values; return them cleaned or raise InvalidEntry with every problem."""
    errors: dict[str, str] = {}
    values = {
        "name": _text(fields.name, "name", MAX_WORKSHOP_NAME, errors, required=True),
        "institution": _text(
            fields.institution, "institution", MAX_INSTITUTION, errors, required=True
        ),
        "region": _text(fields.region, "region", MAX_REGION, errors, required=True),
        "summary": _text(fields.summary, "summary", MAX_SUMMARY, errors, required=False),
        "story": (fields.story or "").strip(),
        "photo_alt": _text(fields.photo_alt, "photo_alt", MAX_ALT, errors, required=False),
    }
    if len(values["story"]) > MAX_STORY:
        errors["story"] = "too_long"
    values["slug"] = _slug_for(Workshop, fields.slug, values["name"], workshop, errors)
    keeps_photo = workshop is not None and workshop.photo_key and not photo.remove
    if (photo.upload is not None or keeps_photo) and not values["photo_alt"]:
        errors["photo_alt"] = "required"
    if errors:
        raise InvalidEntry(errors)
    return values


def save_workshop(
    actor: User | str | None,
    workshop: Workshop | None,
    fields: WorkshopFields,
    photo: PhotoChange,
    storage: MediaStorage,
) -> Workshop:
    """Create a workshop (workshop=None) or update one, with its photo.

    Raises InvalidEntry for the typed fields, then PhotoRefused for a file that is not a
    usable photo; either way nothing is saved.
    """
    values = _workshop_values(workshop, fields, photo)
    stored = store_upload(photo.upload, storage) if photo.upload is not None else None
    entry = workshop or Workshop()
    before = _empty(WORKSHOP_FIELDS) if workshop is None else audit.snapshot(entry, WORKSHOP_FIELDS)

    def apply() -> None:
        for name, value in values.items():
            setattr(entry, name, value)
        if stored is not None:
            entry.photo_key = stored.key
            entry.photo_widths = ",".join(str(w) for w in stored.widths)
        elif photo.remove or not entry.photo_key:
            entry.photo_key, entry.photo_widths, entry.photo_alt = None, "", ""

    return _save(actor, entry, workshop is None, before, WORKSHOP_FIELDS, apply)
