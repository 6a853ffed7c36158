"""A staff member's own sign-in security: password, two-factor sign-in, other sessions."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.account.forms import password_problem
from shop.admin import auth, bp, staff_session
from shop.admin.forms import ChangePasswordForm, ConfirmForm
from shop.admin.password_reset import tell_password_changed
from shop.admin.two_factor_forms import DisableTwoFactorForm
from shop.services.accounts import staff as users
from shop.services.accounts import staff_passwords, two_factor


def security_page(**forms: object) -> str | tuple[str, int, dict]:
    """The security page, with any form given in place of a fresh one."""
    user = current_user._get_current_object()
    paused = forms.pop("paused", None)
    context = {
        "password_form": ChangePasswordForm(formdata=None),
        "disable_form": DisableTwoFactorForm(formdata=None),
        "everywhere_form": ConfirmForm(formdata=None),
        "two_factor_on": two_factor.is_enabled(user),
        "codes_left": two_factor.unused_recovery_codes(user),
        **forms,
    }
    if isinstance(paused, int) and paused:
        return auth.paused_page("admin/security.html", paused, **context)
    return render_template("admin/security.html", **context)


@bp.get("/security")
def security() -> str | tuple[str, int, dict]:
    """Show the staff member's password, two-factor and session settings."""
    return security_page()


@bp.post("/security/password")
def change_password() -> str | Response | tuple[str, int, dict]:
    """Change one's own password; every other session ends, this one goes on."""
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if not form.validate_on_submit():
        return security_page(password_form=form)
    throttle = staff_session.throttle()
    paused = throttle.paused_for(user.email)
    if paused:
        return security_page(password_form=form, paused=paused)
    try:
        staff_passwords.change_password(user, form.current.data, form.password.data)
    except staff_passwords.WrongPassword:
        throttle.failed(user.email)
        form.current.errors.append(gettext("That is not your current password."))
        return security_page(password_form=form)
    except users.WeakPassword as error:
        form.password.errors.append(password_problem(error))
        return security_page(password_form=form)
    staff_session.renew_identity(user)
    tell_password_changed(user)
    flash(gettext("Your password is changed. Every other session is signed out."), "success")
    return redirect(url_for("admin.security"), 303)


@bp.post("/security/sign-out-everywhere")
def sign_out_everywhere() -> Response:
    """End every other session of this account (other phones, browsers, copied cookies)."""
    if not ConfirmForm().validate_on_submit():
        flash(gettext("Nothing was changed. Please try again."), "error")
        return redirect(url_for("admin.security"), 303)
    user = current_user._get_current_object()
    users.end_sessions(user, actor=user, audited=True)
    staff_session.renew_identity(user)
    flash(gettext("Every other session of your account is signed out."), "success")
    return redirect(url_for("admin.security"), 303)
