"""Forms for two-factor sign-in: the code at sign-in, enrolling, switching it off."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from shop.services.accounts.staff import MAX_PASSWORD_LENGTH


def _code_field(label: str | None = None) -> StringField:
    return StringField(
        label or _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        description=_l("The 6-digit code from your authenticator app, or a recovery code."),
    )


class SignInCodeForm(FlaskForm):
    """The second step of signing in."""

    code = _code_field()
    submit = SubmitField(_l("Continue"))


class EnrolForm(FlaskForm):
    """A current code from the app, proving it was set up right."""

    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        description=_l("The 6-digit code your authenticator app shows now."),
    )
    submit = SubmitField(_l("Switch on two-factor sign-in"))


class DisableTwoFactorForm(FlaskForm):
    """Password and a current code, to switch two-factor sign-in off."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_PASSWORD_LENGTH)],
    )
    code = _code_field()
    submit = SubmitField(_l("Switch off two-factor sign-in"))
