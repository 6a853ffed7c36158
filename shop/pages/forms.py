"""The contact form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

ORDER_NUMBER = r"^\s*[Kk][Bb]-\d{4}-\d{6,12}\s*$"


def _stripped(value: object) -> object:
    """Spaces around an address (pasted from a mail) are not part of it."""
    return value.strip() if isinstance(value, str) else value


def email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        filters=[_stripped],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(_l("Enter a valid email address, like name@example.com.")),
        ],
    )


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(num)d characters.", num=limit))


class ContactForm(FlaskForm):
    """A message to the shop's staff."""

    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), _at_most(120)]
    )
    email = email_field()
    order_number = StringField(
        _l("Order number (if you write about an order)"),
        description=_l("For example KB-2612-000123."),
        validators=[
            Optional(),
            Regexp(ORDER_NUMBER, message=_l("An order number looks like KB-2612-000123.")),
        ],
    )
    subject = StringField(
        _l("Subject"), validators=[DataRequired(_l("Enter a subject.")), _at_most(150)]
    )
    message = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(_l("Write your message.")), _at_most(5000)],
    )
    # Hidden from people (off-screen, skipped by the keyboard); bots fill in every field.
    website = StringField(_l("Leave this field empty"))
    submit = SubmitField(_l("Send the message"))
