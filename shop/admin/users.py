"""Staff accounts: admins list them, add them, and switch them off or on."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.account.forms import password_problem
from shop.admin import bp
from shop.admin.access import role_required
from shop.admin.forms import AccountActiveForm, ConfirmForm, NewUserForm
from shop.admin.password_reset import send_reset_link
from shop.models import Role
from shop.services.accounts import staff as users
from shop.services.accounts import staff_passwords, two_factor


def _create_from(form: NewUserForm) -> bool:
    """Create the account the form describes; put any refusal on the form's fields."""
    try:
        user = users.create_user(
            form.email.data,
            form.password.data,
            role=Role(form.role.data),
            name=form.name.data,
            actor=current_user._get_current_object(),
        )
    except users.DuplicateEmail:
        form.email.errors.append(gettext("An account with this email address already exists."))
    except users.InvalidEmail:
        form.email.errors.append(gettext("Enter a valid email address, like name@example.com."))
    except users.WeakPassword as error:
        form.password.errors.append(password_problem(error))
    else:
        flash(gettext("Account created for %(email)s.", email=user.email), "success")
        return True
    return False


@bp.route("/users", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def staff_accounts() -> str | Response:
    """List every account and offer a form to add one."""
    form = NewUserForm()
    if form.validate_on_submit() and _create_from(form):
        return redirect(url_for("admin.staff_accounts"), 303)
    return render_template(
        "admin/users.html",
        form=form,
        accounts=users.list_users(),
        two_factor_on=two_factor.is_enabled,
    )


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def set_account_active(user_id: int) -> Response:
    """Switch an account off or on again; nobody can switch off their own."""
    form = AccountActiveForm()
    if not form.validate_on_submit():
        abort(400)
    account = users.find_user(user_id)
    if account is None:
        abort(404)
    active = form.active.data == "1"
    try:
        users.set_active(
            account,
            active,
            acting_user_id=current_user.id,
            actor=current_user._get_current_object(),
        )
    except users.CannotDeactivateSelf:
        flash(gettext("You can't deactivate your own account."), "error")
    else:
        message = (
            gettext("%(email)s can sign in again.", email=account.email)
            if active
            else gettext("%(email)s can no longer sign in.", email=account.email)
        )
        flash(message, "success")
    return redirect(url_for("admin.staff_accounts"), 303)


@bp.post("/users/<int:user_id>/password-reset")
@role_required(Role.ADMIN)
def send_password_reset(user_id: int) -> Response:
    """Email a staff member a one-time link to set a new password (valid for an hour)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    account = users.find_user(user_id)
    if account is None:
        abort(404)
    if not account.is_active:
        flash(
            gettext("%(email)s is deactivated: reactivate the account first.", email=account.email),
            "error",
        )
        return redirect(url_for("admin.staff_accounts"), 303)
    staff_passwords.record_reset_sent(account, actor=current_user._get_current_object())
    if send_reset_link(account):
        flash(
            gettext("A link to set a new password was sent to %(email)s.", email=account.email),
            "success",
        )
    else:
        flash(
            gettext(
                "The email to %(email)s could not be sent. Try again later.", email=account.email
            ),
            "error",
        )
    return redirect(url_for("admin.staff_accounts"), 303)
