"""Karya Binaan: the application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from shop import config, config_jobs, hosts
from shop.converters import CONVERTERS
from shop.wrappers import ShopRequest


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the shop application."""
    app = hosts.ShopFlask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.request_class = ShopRequest
    app.url_map.converters.update(CONVERTERS)  # ids, text and paths a database can take
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config_jobs.DEFAULTS)
    if test_config is None:
        app.config.from_mapping(config.from_environment(app.instance_path))
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"],
        app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {},
        app.config["DATABASE_CONNECT_TIMEOUT"],
    )
    os.makedirs(app.instance_path, exist_ok=True)
    # Absolute links from SITE_URL; malformed or untrusted hosts refused (inside ProxyFix).
    hosts.init_app(app)

    if app.config["PROXY_COUNT"]:
        # Behind N proxies the client's address, scheme and host come from their headers:
        # rate limits count real visitors, and external URLs use https.
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    register_extensions(app)
    register_operations(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind extension objects and database settings to the app."""
    from shop import i18n
    from shop.database import configure_engine_events
    from shop.extensions import babel, cache, csrf, db, limiter, login_manager, migrate
    from shop.gateways import payment_gateway_for
    from shop.gateways.mail import mailer_from_config
    from shop.media import media_storages
    from shop.services.catalog import cache_tags
    from shop.services.catalog.search_index import track_search_changes
    from shop.services.catalog.version import track_catalog_changes

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    cache.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_fast_gettext(app)
    i18n.install_form_translations()
    # Only admin pages need `current_user`: loading it for every storefront template would
    # touch the session of every visitor.
    login_manager.init_app(app, add_context_processor=False)
    limiter.init_app(app)
    with app.app_context():
        configure_engine_events(db.engine)
    track_catalog_changes(db.session)
    track_search_changes(db.session)
    cache_tags.init_app(app)
    app.extensions["media"], app.extensions["private_media"] = media_storages(app.config)

    from shop import card_cache, fragments, http, personal, templating

    templating.init_app(app)
    personal.init_app(app)
    card_cache.init_app(app)
    fragments.init_app(app)
    http.init_app(app)
    app.extensions["payments"] = payment_gateway_for(app)
    # The same for every visitor of this app, so pages showing it can still be cached whole.
    app.jinja_env.globals["demo_payments"] = lambda: app.extensions["payments"].name == "demo"
    # Services send through a mailer that queues each message in the database; the real
    # transport (SMTP or the outbox folder) is used by whoever delivers the queue.
    from shop import mail_queue

    app.extensions["mail_transport"] = mailer_from_config(app.config)
    mail_queue.init_app(app)
    from shop import jobs

    jobs.init_app(app)


def register_operations(app: Flask) -> None:
    """Request ids and log lines, Prometheus metrics, and Sentry when configured."""
    from shop import metrics, monitoring, request_log

    request_log.init_app(app)
    metrics.init_app(app)
    monitoring.init_sentry(app)


def register_blueprints(app: Flask) -> None:
    """Attach one blueprint per area of the shop."""
    from shop.account import bp as account_bp
    from shop.admin import bp as admin_bp
    from shop.cart import bp as cart_bp
    from shop.catalog import bp as catalog_bp
    from shop.checkout import bp as checkout_bp
    from shop.impact import bp as impact_bp
    from shop.main import bp as main_bp
    from shop.orders import bp as orders_bp
    from shop.pages import bp as pages_bp
    from shop.quotes import bp as quotes_bp
    from shop.saved import bp as saved_bp
    from shop.webhooks import bp as webhooks_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(cart_bp)
    app.register_blueprint(checkout_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(impact_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(quotes_bp)
    app.register_blueprint(saved_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(admin_bp)


def register_errorhandlers(app: Flask) -> None:
    """Render error pages in the site's look."""
    from shop.main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    """Add the shop's CLI commands."""
    from shop.cli import register
    from shop.jobs.worker import register as register_jobs

    register(app)
    register_jobs(app)
