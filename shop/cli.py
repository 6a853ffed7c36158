"""Command-line tasks: `flask --app app seed-demo`, `seed-bench`, `create-admin`, …"""

from __future__ import annotations

import csv
from typing import TextIO

import click
from flask import Flask, current_app

from shop.database import refresh_statistics
from shop.extensions import db

# Why load-rates refused a row, after the currency's code.
RATE_PROBLEMS = {
    "not_a_number": 'the rate is not a number of rupiah (write it like 16250.5, "." for decimals)',
    "not_positive": "the rate must be more than zero",
    "too_precise": "the rate has more than four decimals",
    "too_large": "the rate is far too large",
    "unknown": "not a currency the shop shows prices in",
}


def register(app: Flask) -> None:
    """Attach the shop's commands to the app's CLI."""

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only seed when there are no products yet.")
    @click.option("--limit", type=int, default=None, help="Seed only the first N products.")
    def seed_demo_command(if_empty: bool, limit: int | None) -> None:
        """Load the demo catalog (safe to run again: nothing is duplicated)."""
        from shop.demo.seed import catalog_is_empty, seed_demo, seed_demo_rates

        if if_empty and not catalog_is_empty():
            click.echo("The catalog already has products; demo seeding skipped.")
            return
        from shop.services.ordering.shipping import install_default_zones

        install_default_zones()
        from shop.services.pages import install_defaults

        install_defaults()
        storage = current_app.extensions["media"]
        added = seed_demo(storage, limit=limit, progress=lambda name: click.echo(f"  + {name}"))
        refresh_statistics(db.engine)
        click.echo(f"Demo catalog ready: {added} products added.")
        rates = seed_demo_rates()
        if rates:
            click.echo(f"Demo exchange rates set: {', '.join(rates)}.")
        else:
            click.echo("Exchange rates already set; demo rates skipped.")

    @app.cli.command("seed-bench")
    @click.option("--count", type=int, default=10_000, show_default=True)
    def seed_bench_command(count: int) -> None:
        """Add COUNT generated products for benchmarks, reusing the demo photos."""
        from shop.demo.bulk import seed_bulk

        added = seed_bulk(count)
        refresh_statistics(db.engine)
        click.echo(f"Benchmark catalog ready: {added} products added.")

    @app.cli.command("search-reindex")
    def search_reindex_command() -> None:
        """Rebuild every product's search document (and add the default synonyms if none)."""
        from shop.services.catalog.search_index import reindex_all
        from shop.services.catalog.synonyms import seed_default_synonyms

        written = reindex_all(db.session.connection())
        seeded = seed_default_synonyms()
        db.session.commit()
        refresh_statistics(db.engine)
        click.echo(f"Search index rebuilt: {written} products, {seeded} default synonyms added.")

    @app.cli.command("load-rates")
    @click.argument("file", type=click.File("r", encoding="utf-8-sig"))
    def load_rates_command(file: TextIO) -> None:
        """Set exchange rates from a CSV file of "currency,idr_per_unit" rows ("." decimals)."""
        from shop.services import currency

        try:
            wanted = currency.rates_from_csv(file.read())
            changed = currency.set_rates(wanted, "cli")
        except (UnicodeDecodeError, csv.Error) as error:
            db.session.rollback()
            raise click.ClickException(f"Could not read the file: {error}") from None
        except currency.InvalidRate as error:
            db.session.rollback()
            problem = RATE_PROBLEMS.get(error.reason, error.reason)
            raise click.ClickException(
                f"{error.currency}: {problem}. Nothing was stored."
            ) from None
        if changed:
            click.echo(f"Rates changed: {', '.join(changed)}")
        else:
            click.echo("No rate changed.")

    @app.cli.command("shipping-defaults")
    def shipping_defaults_command() -> None:
        """Add the default shipping zones and countries that are missing."""
        from shop.services.ordering.shipping import install_default_zones

        click.echo(f"Shipping zones added: {install_default_zones()}")

    @app.cli.command("install-pages")
    def install_pages_command() -> None:
        """Add the shop's pages and default texts that are missing (staff's edits are kept)."""
        from shop.services.pages import install_defaults

        click.echo(f"Page texts added: {install_defaults()}")

    @app.cli.command("expire-orders")
    def expire_orders_command() -> None:
        """Expire orders whose payment window closed (returning their stock) and lapsed quotes."""
        from shop.services.ordering.expiry import expire_overdue
        from shop.services.quotes import requests as quotes

        click.echo(f"Orders expired: {expire_overdue()}")
        click.echo(f"Quotes expired: {quotes.expire_overdue()}")

    @app.cli.command("send-payment-reminders")
    def send_payment_reminders_command() -> None:
        """Remind buyers paying a quote by bank transfer that its deadline is near (hourly)."""
        from shop.jobs.tasks import payment_reminders

        click.echo(f"Payment reminders sent: {payment_reminders(app)}")

    @app.cli.command("reconcile-payments")
    @click.option("--days", type=click.IntRange(1, 90), default=3, show_default=True,
                  help="Check the payment sessions created in the last DAYS days.")  # fmt: skip
    def reconcile_payments_command(days: int) -> None:
        """Apply payments, refunds and expiries Stripe knows of but no webhook delivered."""
        from datetime import UTC, datetime, timedelta

        from shop.checkout.notify import order_paid
        from shop.gateways.payments import PaymentError
        from shop.services.ordering.reconcile import reconcile_payments

        gateway = current_app.extensions["payments"]
        if gateway.name == "demo":
            click.echo("Demo payments move no money: there is nothing to reconcile.")
            return
        # Mail links need the shop's address, which a command only knows from SERVER_NAME.
        mail = order_paid if current_app.config.get("SERVER_NAME") else None
        since = datetime.now(UTC) - timedelta(days=days)
        try:
            report = reconcile_payments(gateway, since, on_paid=mail)
        except PaymentError as error:
            raise click.ClickException(
                f"{error}. Orders updated before the error stay updated; run the command again."
            ) from None
        for label, outcome in report.changes + report.problems:
            click.echo(f"{label}: {outcome}")
        count = report.sessions_checked
        sessions = "1 session" if count == 1 else f"{count} sessions"
        summary = f"{sessions} checked, {len(report.changes)} changed"
        if report.problems:
            summary += f", {len(report.problems)} need a look"
        click.echo(summary)
        if mail is None and any(outcome == "paid" for _, outcome in report.changes):
            click.echo("No confirmation mail went to these buyers: without SERVER_NAME the "
                       "command cannot link to their orders.")  # fmt: skip

    @app.cli.command("media-migrate")
    def media_migrate_command() -> None:
        """Copy photos and buyers' files from the local folders to the S3 buckets."""
        from shop.media import LocalMediaStorage, StorageUnavailable, local_roots
        from shop.services.media.migrate import copy_media

        if current_app.config.get("MEDIA_STORAGE") != "s3":
            raise click.ClickException(
                "Set MEDIA_STORAGE=s3 (and the S3_* settings) first: "
                "media-migrate copies the local files to the buckets."
            )
        public_root, private_root = local_roots(current_app.config)
        pairs = (("Photos", public_root, "media"), ("Private files", private_root, "private_media"))
        for label, root, key in pairs:
            try:
                count = copy_media(LocalMediaStorage(root), current_app.extensions[key])
            except StorageUnavailable as error:
                raise click.ClickException(f"{label} from {root}: {error}") from None
            click.echo(f"{label} from {root}: {count.copied} copied, "
                       f"{count.already_there} already in the bucket.")  # fmt: skip

    @app.cli.command("purge-files")
    @click.option("--days", type=click.IntRange(1, 36_500), default=180, show_default=True,
                  help="Keep the files of requests changed in the last DAYS days.")  # fmt: skip
    def purge_files_command(days: int) -> None:
        """Delete the reference files of declined or expired quote requests older than DAYS."""
        from shop.services.quotes.files import purge_old_files

        purged = purge_old_files(current_app.extensions["private_media"], days=days)
        for file in purged:
            if file.shared:
                names = "kept on disk: another request has the same file"
            else:
                names = ", ".join(file.removed) or "already gone"
            click.echo(f"{file.quote_number}: {file.filename} ({names})")
        count = len(purged)
        click.echo(f"{'1 file' if count == 1 else f'{count} files'} of closed quote requests "
                   f"older than {days} days removed.")  # fmt: skip

    @app.cli.command("reseal-secrets")
    def reseal_secrets_command() -> None:
        """Seal stored secrets under the current SECRET_KEY (after rotating it)."""
        from shop.services.accounts.two_factor import reseal_secrets

        resealed, unreadable = reseal_secrets()
        click.echo(f"Secrets sealed under the current key: {resealed}.")
        if unreadable:
            raise click.ClickException(
                f"{unreadable} secret(s) open with no key: add the old key to SECRET_KEY_FALLBACKS."
            )

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="", help="The person's name, shown in the back office.")
    @click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="The password (asked for, hidden, when left out).",
    )
    def create_admin_command(email: str, name: str, password: str) -> None:
        """Create an admin account that can sign in at /admin."""
        from shop.models import Role
        from shop.services.accounts import staff as users

        try:
            user = users.create_user(email, password, role=Role.ADMIN, name=name)
        except users.DuplicateEmail as error:
            raise click.ClickException(f"An account for {error} already exists.") from None
        except users.InvalidEmail as error:
            raise click.ClickException(f"{error} is not a valid email address.") from None
        except users.WeakPassword:
            raise click.ClickException(
                f"The password needs at least {users.MIN_PASSWORD_LENGTH} characters."
            ) from None
        click.echo(f"Admin created: {user.email}")

    @app.cli.command("create-demo-admin")
    def create_demo_admin_command() -> None:
        """Create a demo admin with a random password, only when there are no accounts yet."""
        from shop.services.accounts import staff as users

        created = users.create_demo_admin()
        if created is None:
            click.echo("Accounts already exist; demo admin not created.")
            return
        user, password = created
        click.echo(f"Demo admin: {user.email} / {password}")
