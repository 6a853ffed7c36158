"""Checkout forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length


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
