"""A product's status as staff change it: publish, unpublish, archive, restore, or delete
one that was never ordered. Each change is audited and committed (listings.saving)."""

from __future__ import annotations

from shop.extensions import db
from shop.models import Product, ProductStatus
from shop.models.catalog import utcnow
from shop.services.catalog.listings import audit_product, ordered_variant_ids, saving
from shop.services.reporting import audit

# action: (statuses it may start from, status it leads to, audit action)
STATUS_ACTIONS: dict[str, tuple[frozenset[ProductStatus], ProductStatus, str]] = {
    "publish": (frozenset({ProductStatus.DRAFT}), ProductStatus.ACTIVE, "product.published"),
    "unpublish": (frozenset({ProductStatus.ACTIVE}), ProductStatus.DRAFT, "product.unpublished"),
    "archive": (
        frozenset({ProductStatus.DRAFT, ProductStatus.ACTIVE}),
        ProductStatus.ARCHIVED,
        "product.archived",
    ),
    "restore": (frozenset({ProductStatus.ARCHIVED}), ProductStatus.DRAFT, "product.restored"),
}


class InvalidStatusChange(Exception):
    """The action does not apply to a product in its current status."""

    def __init__(self, action: str, current: ProductStatus) -> None:
        super().__init__(f"{action} from {current}")
        self.action = action
        self.current = current


class NeedsActiveVariant(Exception):
    """A product cannot be published without at least one active variant."""


class ProductWasOrdered(Exception):
    """A product that was ever ordered is archived, never deleted."""


def set_status(product: Product, action: str, actor: audit.Actor) -> Product:
    """Publish, unpublish, archive or restore the product; commit."""
    if action not in STATUS_ACTIONS:
        raise InvalidStatusChange(action, product.status)
    sources, target, audit_action = STATUS_ACTIONS[action]
    if product.status not in sources:
        raise InvalidStatusChange(action, product.status)
    if target == ProductStatus.ACTIVE and not any(v.is_active for v in product.variants):
        raise NeedsActiveVariant()
    with saving():
        changes = {"status": [product.status.value, target.value]}
        product.status = target
        product.updated_at = utcnow()
        audit_product(actor, audit_action, product, changes)
    return product


def was_ordered(product: Product) -> bool:
    """Whether any variant of the product appears in any order line."""
    return bool(ordered_variant_ids([v.id for v in product.variants]))


def delete_product(product: Product, actor: audit.Actor) -> None:
    """Delete a product none of whose variants was ever ordered; commit."""
    if was_ordered(product):
        raise ProductWasOrdered()
    with saving():
        gone = {"slug": product.slug, "skus": [v.sku for v in product.variants]}
        audit_product(actor, "product.deleted", product, gone)
        db.session.delete(product)
