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

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp, staff_session
from shop.extensions import login_manager
from shop.models import Role, User
from shop.services.accounts import staff as users
from shop.services.accounts import two_factor

PUBLIC_ENDPOINTS = frozenset(
    {"admin.login", "admin.login_code", "admin.forgot_password", "admin.reset_password"}
)
# All an admin who must still set up two-factor sign-in may open.
ENROLMENT_ENDPOINTS = frozenset({"admin.two_factor_enrol", "admin.logout"})
# Which roles each required role admits: admins may do everything staff may.
ADMITS: dict[Role, frozenset[Role]] = {
    Role.STAFF: frozenset({Role.STAFF, Role.ADMIN}),
    Role.ADMIN: frozenset({Role.ADMIN}),
}

View = TypeVar("View", bound=Callable[..., Any])


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """Return the signed-in account; a deactivated one or an ended session is signed out."""
    return users.signed_in_user(identity)


def sign_in_redirect(message: str | None = None) -> Response:
    """Send the visitor to the sign-in page, coming back here afterwards if it was a page."""
    flash(message or str(login_manager.login_message), login_manager.login_message_category)
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
    ended = staff_session.expiry_reason()
    if ended:
        staff_session.sign_out()
        return sign_in_redirect(ended)
    staff_session.touch()
    if must_enrol(current_user) and request.endpoint not in ENROLMENT_ENDPOINTS:
        flash(gettext("Set up two-factor sign-in to continue."), "info")
        return redirect(url_for("admin.two_factor_enrol"))
    return None


def must_enrol(user: User) -> bool:
    """Whether this account must set up two-factor sign-in before doing anything else."""
    required = current_app.config.get("STAFF_2FA_REQUIRED", False)
    return bool(required and user.is_admin and not two_factor.is_enabled(user))


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
