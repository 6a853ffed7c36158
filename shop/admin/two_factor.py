"""Setting up and switching off two-factor sign-in; admins resetting it for someone else."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from shop.admin import bp, staff_session
from shop.admin.access import role_required
from shop.admin.auth import wrong_code_message
from shop.admin.forms import ConfirmForm
from shop.admin.security import security_page
from shop.admin.two_factor_forms import DisableTwoFactorForm, EnrolForm
from shop.models import Role
from shop.services.accounts import staff as users
from shop.services.accounts import staff_passwords, two_factor


def _enrol_page(form: EnrolForm) -> str:
    user = current_user._get_current_object()
    secret = two_factor.start_enrolment(user)
    uri = two_factor.provisioning_uri(user, secret)
    return render_template(
        "admin/two_factor_enrol.html",
        form=form,
        # Made here from the account's own secret: an SVG of squares, no text from anyone.
        qr=Markup(two_factor.qr_svg(uri)),  # noqa: S704
        secret=two_factor.grouped(secret),
    )


@bp.route("/security/two-factor", methods=["GET", "POST"])
def two_factor_enrol() -> str | Response:
    """Show the secret as a QR code and text; a current code switches two-factor sign-in on."""
    user = current_user._get_current_object()
    if two_factor.is_enabled(user):
        return redirect(url_for("admin.security"))
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(
                user,
                form.code.data,
                now=staff_session.now(),
                claim_once=staff_session.throttle().claim_once,
                actor=user,
            )
        except two_factor.WrongCode:
            form.code.errors.append(wrong_code_message())
        else:
            # Shown in this response only: the page is never cached, and never shown again.
            return render_template("admin/two_factor_codes.html", codes=codes)
    return _enrol_page(form)


@bp.post("/security/two-factor/off")
def two_factor_disable() -> str | Response | tuple[str, int, dict]:
    """Switch two-factor sign-in off after the password and a current code."""
    user = current_user._get_current_object()
    form = DisableTwoFactorForm()
    if not two_factor.is_enabled(user):
        return redirect(url_for("admin.security"), 303)
    if current_app.config.get("STAFF_2FA_REQUIRED") and user.is_admin:
        flash(
            gettext("Admins must sign in with two factors here; it can't be switched off."), "error"
        )
        return redirect(url_for("admin.security"), 303)
    if not form.validate_on_submit():
        return security_page(disable_form=form)
    throttle = staff_session.throttle()
    paused = throttle.paused_for(user.email)
    if paused:
        return security_page(disable_form=form, paused=paused)
    if not staff_passwords.password_matches(user, form.password.data):
        throttle.failed(user.email)
        form.password.errors.append(gettext("That is not your current password."))
        return security_page(disable_form=form)
    if not two_factor.verify(
        user, form.code.data, now=staff_session.now(), claim_once=throttle.claim_once
    ):
        throttle.failed(user.email)
        form.code.errors.append(wrong_code_message())
        return security_page(disable_form=form)
    two_factor.switch_off(user, actor=user)
    staff_session.renew_identity(user)
    flash(gettext("Two-factor sign-in is off. Your password alone signs you in."), "success")
    return redirect(url_for("admin.security"), 303)


@bp.post("/users/<int:user_id>/two-factor/reset")
@role_required(Role.ADMIN)
def reset_two_factor(user_id: int) -> Response:
    """Switch off someone else's two-factor sign-in (a lost phone); their sessions end."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    account = users.find_user(user_id)
    if account is None:
        abort(404)
    if account.id == current_user.id:
        flash(gettext("Use your own security page to change your two-factor sign-in."), "error")
    elif not two_factor.is_enabled(account):
        flash(gettext("%(email)s has no two-factor sign-in to reset.", email=account.email), "info")
    else:
        actor = current_user._get_current_object()
        two_factor.switch_off(account, actor=actor, action="user.two_factor_reset")
        flash(
            gettext(
                "Two-factor sign-in is reset for %(email)s; they can set it up again after "
                "signing in.",
                email=account.email,
            ),
            "success",
        )
    return redirect(url_for("admin.staff_accounts"), 303)
