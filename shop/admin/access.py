"""Who may see what in the back office.

Every admin route needs a signed-in, active account: a `before_request` on the blueprint
enforces it, so a new route is protected without anyone remembering to. The only public
route is the sign-in page. Routes for admins only add `@role_required(Role.ADMIN)`;
everything else is open to staff too (listings, stock, orders).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.extensions import login_manager
from shop.models import Role, User
from shop.services.accounts import staff as users

PUBLIC_ENDPOINTS = frozenset({"admin.login"})
# Which roles each required role admits: admins may do everything staff may.
ADMITS: dict[Role, frozenset[Role]] = {
    Role.STAFF: frozenset({Role.STAFF, Role.ADMIN}),
    Role.ADMIN: frozenset({Role.ADMIN}),
}

View = TypeVar("View", bound=Callable[..., Any])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the signed-in account; a deactivated one is signed out at once."""
    return users.active_user(user_id)


def sign_in_redirect() -> Response:
    """Send the visitor to the sign-in page, coming back here afterwards if it was a page."""
    flash(str(login_manager.login_message), login_manager.login_message_category)
    # A form's target cannot be revisited with GET, so only pages are remembered.
    back = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
    return redirect(url_for("admin.login", next=back))


@bp.before_request
def require_sign_in() -> Response | None:
    """Refuse every admin route but the sign-in page to visitors who are not signed in."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not (current_user.is_authenticated and current_user.is_active):
        return sign_in_redirect()
    return None


def role_required(role: Role) -> Callable[[View], View]:
    """Answer 403 unless the signed-in account holds `role` (admins hold every role)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return sign_in_redirect()
            if current_user.role not in ADMITS[role]:
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorator


@bp.after_request
def never_cache(response: Response) -> Response:
    """Keep back-office pages out of shared and browser caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def admin_context() -> dict[str, Any]:
    """Give admin templates the signed-in account and the role names."""
    return {"current_user": current_user, "Role": Role}
