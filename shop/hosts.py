"""The shop's public address: absolute links come from SITE_URL, and only its hosts are served.

A request's Host header is the visitor's to choose. Were links in mails, payment pages or the
sitemap built from it, a forged Host could send a buyer's private order link to an attacker's
site; so every absolute URL is built from SITE_URL, and requests naming another host (Flask's
TRUSTED_HOSTS) or a malformed one are refused with 400 before any view runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, request
from werkzeug.routing import MapAdapter
from werkzeug.sansio.utils import get_current_url, host_is_trusted

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# A DNS name has at most 253 characters; with ":65535" that is 259.
LONGEST_HOST = 259


class ShopFlask(Flask):
    """A Flask app whose absolute URLs use SITE_URL's scheme and host, whatever the request's."""

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Bind URLs as Flask does; then, when SITE_URL is set, point external ones at it."""
        adapter = super().create_url_adapter(request)
        site_url = self.config.get("SITE_URL")
        if adapter is not None and site_url:
            parts = urlsplit(site_url)
            adapter.url_scheme = parts.scheme
            adapter.server_name = parts.netloc
        return adapter


def acceptable_host(host: str, scheme: str, trusted: Iterable[str] | None) -> bool:
    """Whether a Host header is well formed and, when hosts are listed, one of them."""
    if len(host) > LONGEST_HOST:
        return False
    if scheme == "https":
        host = host.removesuffix(":443")
    else:
        host = host.removesuffix(":80")
    return host_is_trusted(host, list(trusted) if trusted else None)


class RefuseUnknownHosts:
    """WSGI middleware answering 400 to a malformed Host, or one TRUSTED_HOSTS does not list.

    It sits inside ProxyFix, so behind a proxy it checks the host the proxy forwarded. Flask
    checks TRUSTED_HOSTS too, but only once its request has begun, and then an error page
    could not build a single URL; refusing here keeps that a clean 400.
    """

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        """Wrap `wsgi_app`, reading the trusted hosts from `app`'s config on each request."""
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        """Refuse the request with 400 if its host is unacceptable, else pass it on."""
        host = environ.get("HTTP_HOST")
        scheme = environ.get("wsgi.url_scheme", "http")
        trusted = self.app.config.get("TRUSTED_HOSTS")
        # Without a Host header (HTTP/1.0) Werkzeug falls back to the server's own address,
        # which is no trusted name either.
        if (host is None and trusted) or (
            host is not None and not acceptable_host(host, scheme, trusted)
        ):
            refusal = Response(
                "400 Bad Request: this server does not answer for that host name.\n",
                status=400,
                mimetype="text/plain",
                headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
            )
            return refusal(environ, start_response)
        return self.wsgi_app(environ, start_response)


def site_root() -> str:
    """The shop's address with a trailing slash: SITE_URL, or the request's host in debug."""
    site_url = current_app.config.get("SITE_URL")
    return f"{site_url}/" if site_url else request.host_url


def page_url() -> str:
    """This page's absolute address, without its query, on SITE_URL (for canonical links)."""
    site_url = current_app.config.get("SITE_URL")
    if not site_url:
        return request.base_url
    parts = urlsplit(site_url)
    return get_current_url(parts.scheme, parts.netloc, request.root_path, request.path)


def init_app(app: Flask) -> None:
    """Build URLs outside requests (mail from commands, jobs) from SITE_URL; refuse bad hosts."""
    site_url = app.config.get("SITE_URL")
    if site_url:
        parts = urlsplit(site_url)
        app.config["SERVER_NAME"] = parts.netloc
        app.config["PREFERRED_URL_SCHEME"] = parts.scheme
        app.config["APPLICATION_ROOT"] = "/"
    app.wsgi_app = RefuseUnknownHosts(app, app.wsgi_app)  # type: ignore[method-assign]
    app.jinja_env.globals.update(page_url=page_url, site_root=site_root)
