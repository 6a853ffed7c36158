"""Command-line tasks: `flask --app app seed-demo`, `seed-bench`."""

from __future__ import annotations

import click
from flask import Flask, current_app

from shop.database import refresh_statistics
from shop.extensions import db


def register(app: Flask) -> None:
    """Attach the shop's commands to the app's CLI."""

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only seed when there are no products yet.")
    @click.option("--limit", type=int, default=None, help="Seed only the first N products.")
    def seed_demo_command(if_empty: bool, limit: int | None) -> None:
        """Load the demo catalog (safe to run again: nothing is duplicated)."""
        from shop.demo.seed import catalog_is_empty, seed_demo

        if if_empty and not catalog_is_empty():
            click.echo("The catalog already has products; demo seeding skipped.")
            return
        from shop.services.shipping import install_default_zones

        install_default_zones()
        storage = current_app.extensions["media"]
        added = seed_demo(storage, limit=limit, progress=lambda name: click.echo(f"  + {name}"))
        refresh_statistics(db.engine)
        click.echo(f"Demo catalog ready: {added} products added.")

    @app.cli.command("seed-bench")
    @click.option("--count", type=int, default=10_000, show_default=True)
    def seed_bench_command(count: int) -> None:
        """Add COUNT generated products for benchmarks, reusing the demo photos."""
        from shop.demo.bulk import seed_bulk

        added = seed_bulk(count)
        refresh_statistics(db.engine)
        click.echo(f"Benchmark catalog ready: {added} products added.")

    @app.cli.command("shipping-defaults")
    def shipping_defaults_command() -> None:
        """Add the default shipping zones and countries that are missing."""
        from shop.services.shipping import install_default_zones

        click.echo(f"Shipping zones added: {install_default_zones()}")

    @app.cli.command("expire-orders")
    def expire_orders_command() -> None:
        """Expire orders whose payment window closed, returning their stock."""
        from shop.services.orders import expire_overdue

        click.echo(f"Orders expired: {expire_overdue()}")
