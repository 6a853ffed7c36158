"""The form to have an order's link mailed again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Regexp

from shop.pages.forms import ORDER_NUMBER, email_field


class FindOrderForm(FlaskForm):
    """The address an order was placed with, and its number."""

    email = email_field()
    order_number = StringField(
        _l("Order number"),
        description=_l("It starts with KB-, e.g. KB-2612-000123."),
        validators=[
            DataRequired(_l("Enter the order number.")),
            Regexp(ORDER_NUMBER, message=_l("An order number looks like KB-2612-000123.")),
        ],
    )
    submit = SubmitField(_l("Send me the link"))
