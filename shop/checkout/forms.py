"""Checkout forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from shop.services.ordering.gifts import MAX_MESSAGE_LENGTH


class CheckoutForm(FlaskForm):
    """Who is buying and where it goes."""

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address, like name@example.com.")),
            Length(max=254),
        ],
    )
    country = SelectField(_l("Ship to"), validators=[DataRequired(_l("Choose a country."))])
    submit = SubmitField(_l("Continue to payment"))


class GiftForm(FlaskForm):
    """Whether the order is a gift, the message for the recipient and gift wrap.

    Posted with the checkout form (one CSRF token serves both); the message's length is
    checked again by the service after line breaks are normalized.
    """

    is_gift = BooleanField(_l("This is a gift"))
    gift_message = TextAreaField(
        _l("Gift message (optional)"),
        description=_l(
            "Printed on the packing slip, which then shows no prices. Up to %(max)d characters.",
            max=MAX_MESSAGE_LENGTH,
        ),
        # Generous for the raw text (browsers send line breaks as two characters).
        validators=[
            Length(
                max=MAX_MESSAGE_LENGTH * 4,
                message=_l(
                    "Your gift message is too long: up to %(max)d characters.",
                    max=MAX_MESSAGE_LENGTH,
                ),
            )
        ],
    )
    gift_wrap = BooleanField(_l("Gift wrap"))
    update = SubmitField(_l("Update total"))


class DemoPaymentForm(FlaskForm):
    """The address a hosted payment page would collect."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    line1 = StringField(_l("Street address"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)])
    postal_code = StringField(_l("Postal code"), validators=[DataRequired(), Length(max=32)])
    pay = SubmitField(_l("Pay (demo)"))


class DemoCancelForm(FlaskForm):
    """Leave the demo payment page without paying."""

    cancel = SubmitField(_l("Cancel and return to the cart"))
