"""Account forms: every one posts with a CSRF token; services check the values again."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from shop.services.accounts import passwords
from shop.services.accounts.passwords import MAX_LENGTH as MAX_PASSWORD_LENGTH
from shop.services.accounts.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH

PASSWORD_HINT = _l(
    "At least %(num)d characters, any kind. A few unrelated words make a strong pass-phrase "
    "that is easy to remember; very common passwords are refused.",
    num=MIN_PASSWORD_LENGTH,
)


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(_l("Enter a valid email address, like name@example.com.")),
        ],
    )


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(num)d characters.", num=limit))


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        description=PASSWORD_HINT,
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
            ),
            _at_most(MAX_PASSWORD_LENGTH),
        ],
    )


def _repeat_field() -> PasswordField:
    return PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )


def password_problem(error: passwords.PasswordRejected) -> str:
    """Say, in the visitor's language, why the policy refused a password."""
    if error.reason == passwords.TOO_LONG:
        return gettext("Use at most %(num)d characters.", num=MAX_PASSWORD_LENGTH)
    if error.reason == passwords.COMMON:
        return gettext("This is one of the most common passwords, the first ones attackers "
                       "try. Please choose another.")  # fmt: skip
    if error.reason == passwords.GUESSABLE:
        return gettext("This password is too easy to guess (a repeat, a sequence, a keyboard "
                       "row or a single word). Please choose another.")  # fmt: skip
    if error.reason == passwords.PERSONAL:
        return gettext("Your password must not contain your email address or the name "
                       "before the @. Please choose another.")  # fmt: skip
    return gettext("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)


class RegisterForm(FlaskForm):
    """Open an account: email, password twice, name and (optionally) organisation."""

    email = _email_field()
    password = _new_password_field(_l("Password"))
    confirm = _repeat_field()
    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), _at_most(120)]
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        description=_l("An airline, company or institution you buy for."),
        validators=[Optional(), _at_most(200)],
    )
    submit = SubmitField(_l("Create account"))


class SignInForm(FlaskForm):
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


class SignOutForm(FlaskForm):
    """Sign out (a button, never a link)."""

    submit = SubmitField(_l("Sign out"))


class ForgotPasswordForm(FlaskForm):
    """The address to send a password reset link to."""

    email = _email_field()
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    """A new password, twice, from a reset link."""

    password = _new_password_field(_l("New password"))
    confirm = _repeat_field()
    submit = SubmitField(_l("Save the new password"))


class ChangePasswordForm(FlaskForm):
    """The current password and a new one, twice."""

    current = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Enter your current password.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )
    password = _new_password_field(_l("New password"))
    confirm = _repeat_field()
    submit = SubmitField(_l("Change password"))


class SignOutEverywhereForm(FlaskForm):
    """End every session of the account, on every device."""

    submit = SubmitField(_l("Sign out everywhere"))


class ResendConfirmationForm(FlaskForm):
    """Send the confirmation link again."""

    submit = SubmitField(_l("Send the link again"))


class ButtonForm(FlaskForm):
    """A form that is only a button: order again, delete or make default an address."""


class AddressForm(FlaskForm):
    """A shipping address to keep."""

    label = StringField(
        _l("Label (optional)"),
        description=_l("For example: Office, Home, Warehouse."),
        validators=[Optional(), _at_most(80)],
    )
    name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Enter the recipient's name.")), _at_most(200)]
    )
    line1 = StringField(
        _l("Street address"),
        validators=[DataRequired(_l("Enter the street address.")), _at_most(200)],
    )
    line2 = StringField(_l("Address line 2 (optional)"), validators=[Optional(), _at_most(200)])
    city = StringField(_l("City"), validators=[DataRequired(_l("Enter the city.")), _at_most(120)])
    state = StringField(_l("State or region (optional)"), validators=[Optional(), _at_most(120)])
    postal_code = StringField(_l("Postal code"), validators=[Optional(), _at_most(32)])
    country = SelectField(_l("Country"), validators=[DataRequired(_l("Choose a country."))])
    phone = StringField(
        _l("Phone (optional)"),
        description=_l("The carrier may call if a delivery needs it."),
        validators=[Optional(), _at_most(40)],
    )
    is_default = BooleanField(_l("Use as my default address"))
    submit = SubmitField(_l("Save address"))
