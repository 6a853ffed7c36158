"""The back-office form for a discount code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from shop.admin.forms import sensible_year
from shop.admin.product_forms import RupiahField, WholeNumberField
from shop.models import DiscountKind


class DiscountCodeForm(FlaskForm):
    """A code, what it takes off, from when to when, how often, and for which categories."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter a code.")), Length(max=64)],
        description=_l("3–32 letters, digits, - or _; buyers may type it in any case."),
    )
    description = StringField(_l("Note for staff"), validators=[Length(max=200)])
    kind = RadioField(
        _l("Discount"),
        choices=[
            SelectChoice(DiscountKind.PERCENT.value, _l("Percentage of the items")),
            SelectChoice(DiscountKind.FIXED.value, _l("Fixed amount in rupiah")),
        ],
        default=DiscountKind.PERCENT.value,
    )
    value = WholeNumberField(
        _l("Percentage or amount"),
        required=True,
        description=_l("For a percentage 1–100; for a fixed amount whole rupiah."),
    )
    min_subtotal_idr = RupiahField(
        _l("Minimum order (items, rupiah)"), description=_l("Leave empty for no minimum.")
    )
    first_day = DateField(_l("Valid from"), validators=[Optional(), sensible_year])
    last_day = DateField(_l("Valid until (inclusive)"), validators=[Optional(), sensible_year])
    max_uses = WholeNumberField(_l("Uses in total"), description=_l("Leave empty for no limit."))
    max_uses_per_email = WholeNumberField(
        _l("Uses per customer (email)"), description=_l("Leave empty for no limit.")
    )
    categories = SelectMultipleField(
        _l("Only for these categories"),
        coerce=int,
        description=_l("Choose none for every category."),
    )
    submit = SubmitField(_l("Save code"))


class PauseForm(FlaskForm):
    """Pause a code ("1") or let buyers use it again ("0")."""

    paused = HiddenField(validators=[AnyOf(["0", "1"])])
