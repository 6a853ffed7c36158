"""The shop's pages: the text the storefront shows, staff's edits kept as versions, the defaults.

Every save adds a version per language that changed (who, when); the newest version of a
language is the page's text in it. A language with no text (or an empty one) shows the
English text, marked as English. Saving, restoring and installing bump the catalog version,
so cached storefront pages show the new text at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.models import PAGE_LOCALES, ShopPage, ShopPageVersion
from shop.services.catalog.text import LocalText
from shop.services.catalog.version import bump_catalog_version
from shop.services.pages import defaults
from shop.services.reporting import audit

SOURCE_LOCALE = "en"
# The pages and the order staff see them in; the storefront links them from the footer.
PAGE_SLUGS = (
    "shipping", "returns", "contact", "faq", "privacy", "terms", "about", "accessibility",
)  # fmt: skip
TITLE_MAX = 200
BODY_MAX = 50_000


class InvalidPageText(Exception):
    """What staff wrote cannot be saved; `errors` maps "locale.field" to a reason code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class PageText:
    """A page as one visitor sees it: title and Markdown, each in the language it is in."""

    slug: str
    title: LocalText
    body_md: LocalText
    updated_at: datetime | None


@dataclass(frozen=True)
class Draft:
    """One language's title and Markdown text, as staff typed them."""

    title: str
    body_md: str


def find_page(page_id: int) -> ShopPage | None:
    """The page with this id, or None."""
    return db.session.get(ShopPage, page_id)


def _newest(page_filter: object, locales: tuple[str, ...]) -> list[ShopPageVersion]:
    newest = (
        select(func.max(ShopPageVersion.id))
        .join(ShopPage, ShopPage.id == ShopPageVersion.page_id)
        .where(page_filter, ShopPageVersion.locale.in_(locales))  # type: ignore[arg-type]
        .group_by(ShopPageVersion.page_id, ShopPageVersion.locale)
    )
    return list(db.session.scalars(select(ShopPageVersion).where(ShopPageVersion.id.in_(newest))))


def shown_text(slug: str, locale: str) -> PageText | None:
    """The page in `locale`, falling back to English field by field; None if there is none."""
    if slug not in PAGE_SLUGS:
        return None
    rows = {v.locale: v for v in _newest(ShopPage.slug == slug, (locale, SOURCE_LOCALE))}
    source = rows.get(SOURCE_LOCALE)
    if source is None:
        return None
    own = rows.get(locale)

    def pick(field: str) -> LocalText:
        value = getattr(own, field, "") if own is not None else ""
        if value and value.strip():
            return LocalText(value, locale)
        return LocalText(getattr(source, field), SOURCE_LOCALE)

    dates = [v.created_at for v in rows.values()]
    return PageText(slug, pick("title"), pick("body_md"), max(dates))


def current_texts(page: ShopPage) -> dict[str, ShopPageVersion]:
    """The newest version of the page in each language that has one."""
    return {v.locale: v for v in _newest(ShopPage.id == page.id, PAGE_LOCALES)}


def list_pages() -> list[tuple[ShopPage, dict[str, ShopPageVersion]]]:
    """Every page in staff's order, with its newest version per language."""
    pages = db.session.scalars(select(ShopPage).order_by(ShopPage.position, ShopPage.id)).all()
    newest = _newest(ShopPage.id.in_([p.id for p in pages]), PAGE_LOCALES)
    by_page: dict[int, dict[str, ShopPageVersion]] = {}
    for version in newest:
        by_page.setdefault(version.page_id, {})[version.locale] = version
    return [(page, by_page.get(page.id, {})) for page in pages]


def history(page: ShopPage) -> list[ShopPageVersion]:
    """Every version of the page, newest first."""
    return list(
        db.session.scalars(
            select(ShopPageVersion)
            .where(ShopPageVersion.page_id == page.id)
            .order_by(ShopPageVersion.id.desc())
        )
    )


def _check(drafts: dict[str, Draft]) -> None:
    errors: dict[str, str] = {}
    for locale, draft in drafts.items():
        if locale not in PAGE_LOCALES:
            errors[f"{locale}.title"] = "unknown_locale"
            continue
        if len(draft.title) > TITLE_MAX:
            errors[f"{locale}.title"] = "too_long"
        if len(draft.body_md) > BODY_MAX:
            errors[f"{locale}.body_md"] = "too_long"
        if bool(draft.title.strip()) != bool(draft.body_md.strip()):
            missing = "title" if not draft.title.strip() else "body_md"
            errors.setdefault(f"{locale}.{missing}", "required")
    english = drafts.get(SOURCE_LOCALE)
    if english is None or not english.title.strip():
        errors.setdefault(f"{SOURCE_LOCALE}.title", "required")
    if english is None or not english.body_md.strip():
        errors.setdefault(f"{SOURCE_LOCALE}.body_md", "required")
    if errors:
        raise InvalidPageText(errors)


def save_page(actor: audit.Actor, page: ShopPage, drafts: dict[str, Draft]) -> list[str]:
    """Keep a new version of every language whose text changed; return those languages.

    English must have a title and a text; another language has both or neither (neither:
    the storefront shows English). The caller's transaction is committed here.
    """
    cleaned = {k: Draft(d.title.strip(), d.body_md.strip()) for k, d in drafts.items()}
    _check(cleaned)
    current = current_texts(page)
    changed = []
    for locale, draft in cleaned.items():
        old = current.get(locale)
        if old is not None and (old.title, old.body_md) == (draft.title, draft.body_md):
            continue
        if old is None and not draft.title:
            continue
        _add_version(page, locale, draft, audit.actor_email(actor))
        changed.append(locale)
    if changed:
        audit.record(actor, "page.updated", target_type="page", target_id=page.id,
                     label=page.slug, changes={"languages": changed})  # fmt: skip
        bump_catalog_version()
    db.session.commit()
    return changed


def _add_version(
    page: ShopPage, locale: str, draft: Draft, by: str, restored_from: int | None = None
) -> ShopPageVersion:
    version = ShopPageVersion(
        page=page, locale=locale, title=draft.title, body_md=draft.body_md,
        created_by=by, restored_from_id=restored_from,
    )  # fmt: skip
    db.session.add(version)
    return version


def restore(actor: audit.Actor, page: ShopPage, version_id: int) -> ShopPageVersion | None:
    """Make an older version the page's text again (as a new version); None if not this page's."""
    old = db.session.get(ShopPageVersion, version_id)
    if old is None or old.page_id != page.id:
        return None
    draft = Draft(old.title, old.body_md)
    version = _add_version(page, old.locale, draft, audit.actor_email(actor), old.id)
    audit.record(actor, "page.restored", target_type="page", target_id=page.id,
                 label=page.slug, changes={"language": old.locale, "version": old.id})  # fmt: skip
    bump_catalog_version()
    db.session.commit()
    return version


def install_defaults() -> int:
    """Add missing pages and the default text of every language that has none; return how many
    texts were added. Staff's texts are never touched, so this is safe to run again."""
    try:
        return _install_defaults()
    except IntegrityError:
        # Another server starting at the same moment added the pages first: add what it left.
        db.session.rollback()
        return _install_defaults()


def _install_defaults() -> int:
    existing = {p.slug: p for p in db.session.scalars(select(ShopPage))}
    texted = set(db.session.execute(
        select(ShopPageVersion.page_id, ShopPageVersion.locale).distinct()
    ).tuples())  # fmt: skip
    added = 0
    for position, slug in enumerate(PAGE_SLUGS):
        page = existing.get(slug)
        if page is None:
            page = ShopPage(slug=slug, position=position)
            db.session.add(page)
            db.session.flush()
        for locale in PAGE_LOCALES:
            text = defaults.default_text(slug, locale)
            if text is None or (page.id, locale) in texted:
                continue
            _add_version(page, locale, Draft(*text), audit.SYSTEM)
            added += 1
    if added:
        bump_catalog_version()
    db.session.commit()
    return added


def sitemap_entries() -> list[tuple[str, datetime]]:
    """(slug, last change) of every page that has a text, for the sitemap."""
    rows = db.session.execute(
        select(ShopPage.slug, func.max(ShopPageVersion.created_at))
        .join(ShopPageVersion, ShopPageVersion.page_id == ShopPage.id)
        .group_by(ShopPage.slug, ShopPage.position)
        .order_by(ShopPage.position)
    ).tuples()
    return [(slug, updated) for slug, updated in rows if slug in PAGE_SLUGS]
