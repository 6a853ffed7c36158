"""Cache tags: which changes make which cached storefront pages stale.

A cached page records the tags it depends on: `product:<id>` for every product it shows,
`catalog` (the global catalog version) for everything structural, and `stock` or `prices`
when its list of products depends on who is in stock or on prices (listings filtered or
sorted that way). A change bumps only the tags it concerns: a checkout stales the pages of
a product only when it sold its last piece (pages show whether an option is on the shelf,
never how many pieces are; catalog.version), and never every page.

Tag versions live where every worker and server sees them, never in one process:

- Without Redis, in the database (`cache_tag` rows, the global one in `catalog_version`),
  bumped inside the writer's transaction. A page is rendered in one snapshot (SQLite: one
  read transaction; PostgreSQL: REPEATABLE READ) and stamped with the versions that same
  snapshot holds, so its data and its stamp always agree, whatever commits meanwhile.
- With Redis (`REDIS_URL`), in Redis, bumped only after the writer commits. Each bump sets
  its tags to the next value of one counter; a page is stamped with the counter's value read
  *before* it started reading data, and is current while none of its tags went past it. A
  page rendered from data read before a commit carries a stamp older than that commit's bump,
  so it is never taken for current once the bump has landed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import bindparam, event, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from shop.extensions import db
from shop.models import CacheTag, CatalogVersion
from shop.services.catalog import kept
from shop.services.catalog.products import ListingFilters

log = logging.getLogger(__name__)

GLOBAL = "catalog"  # structural changes: every page depends on it
STOCK = "stock"  # a variant went from in stock to sold out or back
PRICES = "prices"  # a product's price range changed
_PENDING = "kb_cache_tags"  # session.info: tags to bump in Redis once the transaction commits


def product_tag(product_id: int) -> str:
    """Return the tag of the pages that show this product."""
    return f"product:{product_id}"


class TagStore(Protocol):
    """Where tag versions are kept: the database or Redis."""

    def bump(self, session: Session, tags: Iterable[str]) -> None:
        """Make pages depending on these tags stale once the session's transaction commits."""

    def begin_render(self, session: Session) -> Any:
        """Prepare to render a page; return what `stamp` needs."""

    def stamp(self, session: Session, started: Any, tags: Iterable[str]) -> Any:
        """Return the stamp of a page just rendered on these tags; None: do not store it."""

    def finish_render(self, session: Session, started: Any) -> None:
        """End what begin_render started."""

    def is_current(self, session: Session, tags: tuple[str, ...], stamp: Any) -> bool:
        """Whether a page stamped so is still current, in one round trip."""

    def check_many(
        self, session: Session, started: Any, entries: list[tuple[tuple[str, ...], Any]]
    ) -> list[tuple[bool, Any]]:
        """For fragments of a page being rendered, each on its tags with the stamp it was
        stored under (None: not stored): whether it is current, and the stamp a fresh render
        of it gets. One round trip for all of them."""


class SqlTagStore:
    """Tag versions in the database, shared by every worker and server using it."""

    def bump(self, session: Session, tags: Iterable[str]) -> None:
        """Count the tags up in the caller's transaction (Core: safe inside a flush)."""
        names = sorted(set(tags) - {GLOBAL})  # one order everywhere: no lock cycles
        if not names:
            return
        connection = session.connection()
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        table = CacheTag.__table__
        statement = insert(table).values([{"name": n, "version": 1} for n in names])
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.name], set_={"version": table.c.version + 1}
            )
        )

    def begin_render(self, session: Session) -> bool:
        """Start a read transaction so the page and its stamp come from one snapshot.

        Returns False (the page is then not stored) when the session holds changes of its
        own not yet flushed: they are left alone.
        """
        if session.new or session.dirty or session.deleted:
            return False
        if session.in_transaction():
            session.commit()  # ends what was read (or flushed) so far, losing nothing
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        else:
            # The SQLite driver opens no transaction before a write: each read would see
            # the latest commit. BEGIN holds one snapshot from the first read on.
            dbapi: Any = session.connection().connection.dbapi_connection
            if not dbapi.in_transaction:
                dbapi.execute("BEGIN")
        return True

    def finish_render(self, session: Session, started: Any) -> None:
        """End the read transaction: hold no snapshot (nor SQLite's WAL) past the render."""
        if started:
            session.rollback()

    def stamp(self, session: Session, started: Any, tags: Iterable[str]) -> dict[str, int] | None:
        """Return the versions of the tags as the page's snapshot holds them (None: no snapshot)."""
        return self._versions(session, tuple(tags), snapshot=True) if started else None

    def is_current(self, session: Session, tags: tuple[str, ...], stamp: Any) -> bool:
        """Whether no tag changed since the page's snapshot."""
        return self._versions(session, tags) == stamp

    def check_many(
        self, session: Session, started: Any, entries: list[tuple[tuple[str, ...], Any]]
    ) -> list[tuple[bool, Any]]:
        """Compare each fragment's stamp with the versions the page's snapshot holds."""
        if not started:
            return [(False, None) for _ in entries]
        wanted = tuple({t for tags, _ in entries for t in tags})
        versions = self._versions(session, wanted, snapshot=True)
        result = []
        for tags, stamp in entries:
            fresh = {t: versions[t] for t in sorted(set(tags))}
            result.append((stamp == fresh, fresh))
        return result

    @staticmethod
    def _versions(
        session: Session, tags: tuple[str, ...], *, snapshot: bool = False
    ) -> dict[str, int]:
        """The tags' versions, in one statement. In a page's snapshot (`snapshot`), the global
        version is the one the transaction already read for its kept catalog data (its
        snapshot's), and the product tags come from one prebuilt statement."""
        names = sorted({t for t in tags if t != GLOBAL})
        if snapshot and session is db.session():
            found = {GLOBAL: kept.catalog_version()}
            if names:
                found.update(session.execute(_TAG_VERSIONS, {"names": names}).tuples().all())
        else:
            found = dict(session.execute(_ALL_VERSIONS, {"names": names}).tuples().all())
        return {t: found.get(t, 0) for t in sorted(set(tags))}


# Built once: a page's card check runs it on every uncached render.
_TAG_VERSIONS = select(CacheTag.name, CacheTag.version).where(
    CacheTag.name.in_(bindparam("names", expanding=True))
)
# And a stored page's check, on every hit: the global version and the page's tags.
_ALL_VERSIONS = union_all(
    select(literal(GLOBAL), CatalogVersion.version).where(CatalogVersion.id == 1),
    _TAG_VERSIONS,
)


class RedisTagStore:
    """Tag versions in Redis, shared by every server; bumped after the writer commits."""

    # One atomic step: take the next counter value and give it to every tag.
    _BUMP = """
local value = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do redis.call('SET', KEYS[i], value) end
return value
"""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self.counter = f"{prefix}tag-counter"
        self._bump_script = self.client.register_script(self._BUMP)

    def _key(self, tag: str) -> str:
        return f"{self.prefix}tag:{tag}"

    def bump(self, session: Session, tags: Iterable[str]) -> None:
        """Remember the tags; they are bumped when the transaction commits."""
        session.info.setdefault(_PENDING, set()).update(tags)
        session.info["kb_tag_store"] = self

    def publish(self, tags: Iterable[str]) -> None:
        """Bump the tags now (after the commit that changed what they name)."""
        keys = [self._key(t) for t in sorted(set(tags))]
        if keys:
            self._bump_script(keys=[self.counter, *keys])

    def begin_render(self, session: Session) -> int:
        """Read the counter before the page reads any data."""
        # PostgreSQL (READ COMMITTED) and SQLite (no read transaction) show each statement
        # the latest commit, so the data read next is at least as new as this value.
        return int(self.client.get(self.counter) or 0)

    def stamp(self, session: Session, started: Any, tags: Iterable[str]) -> int:
        """The counter as it was before the render started."""
        return int(started)

    def finish_render(self, session: Session, started: Any) -> None:
        """Nothing to end: the render read no snapshot of its own."""

    def is_current(self, session: Session, tags: tuple[str, ...], stamp: Any) -> bool:
        """Whether no tag was bumped after the page started, nor Redis lost its counter."""
        counter, *values = self.client.mget([self.counter, *(self._key(t) for t in tags)])
        if counter is None or int(counter) < stamp:
            return False  # Redis was emptied since: versions start over
        return all(int(v or 0) <= stamp for v in values)

    def check_many(
        self, session: Session, started: Any, entries: list[tuple[tuple[str, ...], Any]]
    ) -> list[tuple[bool, Any]]:
        """Whether no tag of each fragment was bumped after it started; a fresh render is
        stamped with the counter read before this page read any data."""
        names = sorted({t for tags, _ in entries for t in tags})
        counter, *values = self.client.mget([self.counter, *(self._key(t) for t in names)])
        if counter is None:
            return [(False, int(started)) for _ in entries]
        bumped = {name: int(value or 0) for name, value in zip(names, values, strict=True)}
        return [
            (
                isinstance(stamp, int)
                and int(counter) >= stamp
                and all(bumped[t] <= stamp for t in tags),
                int(started),
            )
            for tags, stamp in entries
        ]


def listing_tags(filters: ListingFilters) -> list[str]:
    """The tags a listing depends on beyond the products it shows: what picks and orders them."""
    tags = [STOCK] if filters.available else []
    priced = filters.min_price is not None or filters.max_price is not None
    if priced or filters.sort != "newest":
        tags.append(PRICES)
    return tags


def init_app(app: Flask) -> None:
    """Choose the tag store: Redis when REDIS_URL is set, the database otherwise."""
    url = app.config.get("REDIS_URL") or ""
    store: TagStore = (
        RedisTagStore(url, app.config.get("CACHE_KEY_PREFIX", "kb:")) if url else SqlTagStore()
    )
    app.extensions["cache_tags"] = store
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def store() -> TagStore:
    """Return the app's tag store."""
    return current_app.extensions["cache_tags"]


def bump(tags: Iterable[str], session: Session | None = None) -> None:
    """Make the pages depending on these tags stale once the caller's transaction commits."""
    store().bump(session or db.session(), tags)


def _after_commit(session: Session) -> None:
    tags = session.info.pop(_PENDING, None)
    tag_store = session.info.pop("kb_tag_store", None)
    if not tags or tag_store is None:
        return
    try:
        tag_store.publish(tags)
    except Exception:  # the change is committed; pages expire within the cache timeout
        log.exception("could not mark %d cache tags changed in Redis", len(tags))


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
