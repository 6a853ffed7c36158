"""Cart forms: every one posts with a CSRF token; quantities are checked again in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from shop.services.ordering.cart import MAX_LINE_QUANTITY


class AddToCartForm(FlaskForm):
    """Add pieces of one variant."""

    variant = StringField(validators=[DataRequired()])
    quantity = IntegerField(
        _l("Quantity"),
        default=1,
        validators=[
            InputRequired(_l("Enter how many you want.")),
            NumberRange(
                1, MAX_LINE_QUANTITY, _l("Choose from 1 to %(max)d.", max=MAX_LINE_QUANTITY)
            ),
        ],
    )
    submit = SubmitField(_l("Add to cart"))


class LineQuantityForm(FlaskForm):
    """Change one line's quantity (0 removes it)."""

    max_quantity = MAX_LINE_QUANTITY  # for the quantity inputs' max attribute

    quantity = IntegerField(
        _l("Quantity"),
        validators=[
            InputRequired(_l("Enter how many you want.")),
            NumberRange(
                0, MAX_LINE_QUANTITY, _l("Choose from 0 to %(max)d.", max=MAX_LINE_QUANTITY)
            ),
        ],
    )


class RemoveLineForm(FlaskForm):
    """Take a line out."""


class DestinationForm(FlaskForm):
    """The country to estimate shipping for."""

    country = SelectField(_l("Ship to"), validators=[DataRequired()])


class DiscountCodeForm(FlaskForm):
    """The discount code a buyer types; whether it applies is decided by the server."""

    code = StringField(
        _l("Discount code"),
        validators=[DataRequired(_l("Enter a discount code.")), Length(max=64)],
    )
    submit = SubmitField(_l("Apply"))


class RemoveDiscountForm(FlaskForm):
    """Take the discount code off the cart."""
