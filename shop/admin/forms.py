"""Back-office forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    ValidationError,
)

from shop.models import Role
from shop.services.accounts.staff import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """Email address and password."""

    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_PASSWORD_LENGTH)],
    )
    submit = SubmitField(_l("Sign in"))


def _password_fields(label: str, again: str) -> tuple[PasswordField, PasswordField]:
    """A password and its repetition, with the shared length limits."""
    password = PasswordField(
        label,
        validators=[
            DataRequired(_l("Enter a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        again, validators=[EqualTo("password", _l("The two passwords are not the same."))]
    )
    return password, confirm


class NewUserForm(FlaskForm):
    """A new staff or admin account."""

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address, like name@example.com.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.STAFF.value, _l("Staff — listings, stock and orders")),
            SelectChoice(Role.ADMIN.value, _l("Admin — everything, including staff accounts")),
        ],
        default=Role.STAFF.value,
    )
    password, confirm = _password_fields(_l("Password"), _l("Password again"))
    submit = SubmitField(_l("Create account"))


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_PASSWORD_LENGTH)],
    )
    password, confirm = _password_fields(_l("New password"), _l("New password again"))
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(FlaskForm):
    """The address of the account whose password was forgotten."""

    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
    )
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    """A new password, twice, set through an emailed link."""

    password, confirm = _password_fields(_l("New password"), _l("New password again"))
    submit = SubmitField(_l("Set new password"))


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token (send a reset link, sign out everywhere)."""


class AccountActiveForm(FlaskForm):
    """Switch an account off ("0") or on again ("1")."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])


FIRST_YEAR, LAST_YEAR = 2000, 2100


def sensible_year(form: FlaskForm, field: DateField) -> None:
    """Refuse days and months far outside the shop's life (they would overflow time-zone sums)."""
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l("Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )
