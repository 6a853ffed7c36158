"""Back-office forms for orders: the list's filters and the actions on one order."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from shop.admin.forms import sensible_year
from shop.models import OrderStatus
from shop.services.ordering import bank_transfers, fulfilment, refunds
from shop.services.ordering.mail import status_label

# Whole rupiah, with or without thousands separators: "150000", "150.000", "Rp 150,000".
_RUPIAH = re.compile(r"(?:rp\.?\s*)?(\d{1,3}(?:[.,\s]\d{3})+|\d{1,15})", re.IGNORECASE)


def parse_rupiah(text: str | None) -> int | None:
    """Read an amount of whole rupiah as staff type it; None when it is not one."""
    found = _RUPIAH.fullmatch((text or "").strip())
    if found is None:
        return None
    return int(re.sub(r"\D", "", found.group(1)))


class OrderFilterForm(FlaskForm):
    """Status, creation dates and a search over order number and email (a GET form)."""

    class Meta:
        csrf = False  # a search changes nothing

    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=True)
    date_from = DateField(_l("From"), validators=[Optional(), sensible_year])
    date_to = DateField(_l("To"), validators=[Optional(), sensible_year])
    q = StringField(
        _l("Order number or email"), validators=[Optional(), Length(max=fulfilment.MAX_SEARCH)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice("", _l("Any status"))] + [
            SelectChoice(s.value, status_label(s)) for s in OrderStatus
        ]

    def validate_date_to(self, field: DateField) -> None:
        """Refuse a range that ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


class OrderActionForm(FlaskForm):
    """A button that moves the order on (packed, delivered): only the CSRF token."""


class ShipForm(FlaskForm):
    """Carrier and tracking number."""

    carrier = StringField(
        _l("Carrier"),
        validators=[
            DataRequired(_l("Enter the carrier, e.g. POS Indonesia or DHL.")),
            Length(max=fulfilment.MAX_CARRIER),
        ],
    )
    tracking_number = StringField(
        _l("Tracking number"),
        validators=[
            DataRequired(_l("Enter the tracking number.")),
            Length(max=fulfilment.MAX_TRACKING),
        ],
    )
    submit = SubmitField(_l("Mark shipped and email the customer"))


class CancelForm(FlaskForm):
    """Why, and a tick to confirm."""

    note = StringField(_l("Reason (for the history)"), validators=[Length(max=fulfilment.MAX_NOTE)])
    confirm = BooleanField(
        _l("Yes, cancel this order and return its stock"),
        validators=[DataRequired(_l("Tick the box to confirm the cancellation."))],
    )
    submit = SubmitField(_l("Cancel order"))


class _RupiahAmountForm(FlaskForm):
    """A form whose `amount` field (set by the subclass) takes whole rupiah."""

    amount: StringField

    def validate_amount(self, field: StringField) -> None:
        """Accept whole rupiah only."""
        if parse_rupiah(field.data) is None:
            raise ValidationError(_l("Enter the amount in whole rupiah, e.g. 150000."))

    @property
    def amount_idr(self) -> int:
        """The validated amount in whole rupiah."""
        return parse_rupiah(self.amount.data) or 0


class RefundForm(_RupiahAmountForm):
    """An amount of whole rupiah staff type themselves, a reason, and the form's one-time token."""

    amount = StringField(
        _l("Amount to refund (Rp)"),
        validators=[DataRequired(_l("Enter the amount to refund.")), Length(max=32)],
        description=_l("Type the amount yourself: nothing is filled in for you."),
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Say why the money goes back.")),
            Length(max=refunds.MAX_REASON),
        ],
        description=_l('Kept in the order\'s history, e.g. "damaged in transit".'),
    )
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Refund"))


class HoldRefundForm(FlaskForm):
    """Refund an order on hold in full, in one click (its token keeps it from running twice)."""

    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Refund in full"))


class ReleaseHoldForm(FlaskForm):
    """Send an order on hold to packing, with what staff settled."""

    note = TextAreaField(
        _l("What was settled"),
        validators=[Length(max=500)],
        description=_l('e.g. "pieces made" or "buyer confirmed the address".'),
    )
    submit = SubmitField(_l("Release to packing"))


class BankTransferForm(_RupiahAmountForm):
    """A bank transfer staff saw on the statement: amount, date and the bank's reference."""

    amount = StringField(
        _l("Amount (Rp)"),
        validators=[DataRequired(_l("Enter the amount of the transfer.")), Length(max=32)],
        description=_l("As the bank statement shows it, in whole rupiah."),
    )
    transferred_on = DateField(
        _l("Date on the statement"),
        validators=[DataRequired(_l("Enter the date of the transfer.")), sensible_year],
    )
    reference = StringField(
        _l("Bank reference"),
        validators=[
            DataRequired(_l("Enter the transfer's reference.")),
            Length(max=bank_transfers.MAX_REFERENCE),
        ],
        description=_l("The bank's reference for this transfer, as the statement shows it."),
    )
    submit = SubmitField(_l("Record transfer received"))
