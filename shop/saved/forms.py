"""The save/unsave form: a product id and what to do with it, posted with a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange


class SaveForm(FlaskForm):
    """Save a product for later, or take it off the list."""

    product = IntegerField(
        validators=[
            InputRequired(_l("That item is no longer on sale.")),
            NumberRange(1, 2**31 - 1, _l("That item is no longer on sale.")),
        ]
    )
    action = StringField(
        validators=[AnyOf(["save", "remove"], _l("Something in the form was not right."))]
    )
    next = HiddenField(validators=[Length(max=2000)])
