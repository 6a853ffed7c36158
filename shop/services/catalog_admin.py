"""Categories and workshops as staff set them up: create and edit, with the audit trail.

Views pass plain values (the form's fields, the uploaded photo's bytes); every refusal is an
`InvalidEntry` naming the fields and what is wrong with them, or the photo pipeline's own
`InvalidImage`, and leaves the database as it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.media import MediaStorage
from shop.models import Category, Product, ProductStatus, User, Workshop
from shop.services import audit
from shop.services.images import process_image

# The editor's rule for every slug in the catalog: lowercase letters and digits in words
# joined by single hyphens, "rattan-bamboo".
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 120  # category and workshop slugs (product slugs may be 160)
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


def slugify(text: str, limit: int = MAX_SLUG) -> str:
    """Make a slug from a name: "Rattan & Bamboo" → "rattan-bamboo" (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:limit].rstrip("-")


def slug_problem(slug: str, limit: int = MAX_SLUG) -> str | None:
    """Why a slug can't be used ("required", "too_long", "invalid"), or None if it can."""
    if not slug:
        return "required"
    if len(slug) > limit:
        return "too_long"
    return None if SLUG_RE.fullmatch(slug) else "invalid"


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
    slug = (typed or "").strip().lower() or slugify(name)
    problem = slug_problem(slug)
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


# --- categories -------------------------------------------------------------------------


def list_categories() -> list[tuple[Category, int, int]]:
    """Every category in display order with its number of products and of active ones."""
    rows = db.session.execute(
        select(
            Category,
            func.count(Product.id),
            func.count(Product.id).filter(Product.status == ProductStatus.ACTIVE),
        )
        .outerjoin(Product, Product.category_id == Category.id)
        .group_by(Category.id)
        .order_by(Category.position, Category.name)
    )
    return [(category, total, active) for category, total, active in rows]


def find_category(category_id: int) -> Category | None:
    """The category with this id, or None."""
    return db.session.get(Category, category_id)


def save_category(
    actor: User | str | None, category: Category | None, fields: CategoryFields
) -> Category:
    """Create a category (category=None) or update one; raise InvalidEntry if refused."""
    errors: dict[str, str] = {}
    name = _text(fields.name, "name", 120, errors, required=True)
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
    rows = db.session.execute(
        select(
            Workshop,
            func.count(Product.id),
            func.count(Product.id).filter(Product.status == ProductStatus.ACTIVE),
        )
        .outerjoin(Product, Product.workshop_id == Workshop.id)
        .group_by(Workshop.id)
        .order_by(Workshop.name, Workshop.id)
    )
    return [(workshop, total, active) for workshop, total, active in rows]


def find_workshop(workshop_id: int) -> Workshop | None:
    """The workshop with this id, or None."""
    return db.session.get(Workshop, workshop_id)


def _workshop_values(
    workshop: Workshop | None, fields: WorkshopFields, photo: PhotoChange
) -> dict[str, Any]:
    """Check the typed values; return them cleaned or raise InvalidEntry with every problem."""
    errors: dict[str, str] = {}
    values = {
        "name": _text(fields.name, "name", 200, errors, required=True),
        "institution": _text(fields.institution, "institution", 200, errors, required=True),
        "region": _text(fields.region, "region", 120, errors, required=True),
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

    Raises InvalidEntry for the typed fields, then InvalidImage for a file that is not a
    usable photo; either way nothing is saved.
    """
    values = _workshop_values(workshop, fields, photo)
    stored = process_image(photo.upload, storage) if photo.upload is not None else None
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
