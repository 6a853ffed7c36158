"""Back-office forms for quote requests: the offer, a reply, a production note; their messages."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from shop.admin.forms import sensible_year
from shop.admin.order_forms import parse_rupiah
from shop.models import QuoteStatus
from shop.services.quotes import offers as quote_offers
from shop.services.quotes.offers import OfferDetails
from shop.services.quotes.requests import QuoteError
from shop.templating import idr as format_idr

Q = QuoteStatus
STATUS_LABELS = {
    Q.NEW: _l("New"),
    Q.ANSWERED: _l("Answered"),
    Q.ACCEPTED: _l("Accepted"),
    Q.PAID: _l("Paid"),
    Q.IN_PRODUCTION: _l("In production"),
    Q.SHIPPED: _l("Shipped"),
    Q.DECLINED: _l("Declined"),
    Q.EXPIRED: _l("Expired"),
}
_WHOLE = re.compile(r"-?\d{1,12}")


def quote_status_label(status: str | None) -> str:
    """A quote status in words, or as stored when it is not a known one."""
    try:
        return str(STATUS_LABELS[Q(status)])
    except ValueError:
        return str(status or "")


def parse_whole(text: str | None) -> int | None:
    """A whole number as typed ("12", "-3"); None when it is not one."""
    cleaned = (text or "").strip()
    return int(cleaned) if _WHOLE.fullmatch(cleaned) else None


class DayField(DateField):
    """A date input whose parse error is in the shop's words, not WTForms' own."""

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the date, explaining the expected form when it is not one."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Enter a date like 2026-12-31.")) from None


def _rupiah(form: FlaskForm, field: StringField) -> None:
    if parse_rupiah(field.data) is None:
        raise ValidationError(_l("Enter the amount in whole rupiah, e.g. 150000."))


def _whole(form: FlaskForm, field: StringField) -> None:
    if parse_whole(field.data) is None:
        raise ValidationError(_l("Enter a whole number, e.g. 50."))


class OfferForm(FlaskForm):
    """The quote staff send: price per piece, quantity, shipping, lead time, validity, notes."""

    unit_price_idr = StringField(
        _l("Price per piece (Rp)"),
        validators=[DataRequired(_l("Enter the price per piece.")), Length(max=32), _rupiah],
    )
    quantity = StringField(
        _l("Quantity"),
        validators=[DataRequired(_l("Enter the quantity.")), Length(max=12), _whole],
    )
    shipping_idr = StringField(
        _l("Shipping (Rp)"),
        validators=[DataRequired(_l("Enter the shipping cost (0 if none).")), Length(max=32),
                    _rupiah],
    )  # fmt: skip
    lead_time_days = StringField(
        _l("Lead time (days)"),
        validators=[DataRequired(_l("Enter the lead time in days.")), Length(max=12), _whole],
    )
    valid_until = DayField(
        _l("Valid until"),
        # InputRequired, not DataRequired: that would hide the message for a date it cannot read.
        validators=[InputRequired(_l("Enter the last day the quote is valid.")), sensible_year],
    )
    notes = TextAreaField(
        _l("Notes for the buyer"),
        description=_l("Materials, finish, packing, payment terms: shown to the buyer."),
    )
    submit = SubmitField(_l("Send the quote"))

    def details(self) -> OfferDetails:
        """The validated offer, for the quotes service."""
        return OfferDetails(
            unit_price_idr=parse_rupiah(self.unit_price_idr.data) or 0,
            quantity=parse_whole(self.quantity.data) or 0,
            shipping_idr=parse_rupiah(self.shipping_idr.data) or 0,
            lead_time_days=parse_whole(self.lead_time_days.data) or 0,
            valid_until=self.valid_until.data or date.min,
            notes=self.notes.data or "",
        )


class MessageForm(FlaskForm):
    """A reply to the buyer (the quotes service checks length and emptiness)."""

    body = TextAreaField(_l("Message to the buyer"))
    submit = SubmitField(_l("Send the message"))


class ProgressForm(FlaskForm):
    """A short note on production the buyer will see."""

    note = StringField(
        _l("Production progress"),
        description=_l("E.g. “Bodies carved, painting the livery next week.”"),
    )
    submit = SubmitField(_l("Save and tell the buyer"))


def quote_error_message(error: QuoteError) -> str:
    """What staff are told when the quotes service refuses an offer, reply or note."""
    params = error.params
    messages = {
        "price_range": lambda: gettext(
            "Enter a price per piece between %(low)s and %(high)s.",
            low=format_idr(1), high=format_idr(quote_offers.MAX_UNIT_PRICE_IDR),
        ),
        "quantity_range": lambda: gettext(
            "Enter a quantity between %(min)d and %(max)d.", min=params["min"], max=params["max"]
        ),
        "shipping_range": lambda: gettext(
            "Enter a shipping cost between %(low)s and %(high)s.",
            low=format_idr(0), high=format_idr(quote_offers.MAX_UNIT_PRICE_IDR),
        ),
        "lead_range": lambda: gettext(
            "Enter a lead time between 1 and %(max)d days.", max=params["max"]
        ),
        "valid_past": lambda: gettext("The quote can't be valid until a day that has passed."),
        "valid_far": lambda: gettext("Choose a day within a year from today."),
        "notes_long": lambda: gettext(
            "Keep the notes to %(max)d characters or fewer.", max=params["max"]
        ),
        "message_empty": lambda: gettext("Write a message first."),
        "message_long": lambda: gettext(
            "Keep the message to %(max)d characters or fewer.", max=params["max"]
        ),
        "progress_empty": lambda: gettext("Write what has been done so far."),
        "progress_long": lambda: gettext(
            "Keep the note to %(max)d characters or fewer.", max=params["max"]
        ),
    }  # fmt: skip
    found = messages.get(error.key)
    return found() if found else gettext("This can't be saved. Please check the form.")


def put_error_on_field(form: FlaskForm, error: QuoteError) -> bool:
    """Show the service's refusal under the input it is about; False if no input fits."""
    if error.field is None or error.field not in form._fields:
        return False
    field = form[error.field]
    field.errors = [*field.errors, quote_error_message(error)]
    return True
