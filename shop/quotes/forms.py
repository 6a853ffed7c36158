"""The quote request form and the buyer's answers on the request page."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from shop.models import QuoteRequest
from shop.services.quotes import acceptance
from shop.services.quotes import files as quote_files
from shop.services.quotes import requests as quotes
from shop.services.quotes.acceptance import BuyerDetails

COMMON_SCALES = ("1:400", "1:200", "1:150", "1:100", "1:72", "1:50", "1:25")


def _required(message: str) -> DataRequired:
    return DataRequired(message)


class QuoteRequestForm(FlaskForm):
    """What a buyer needs to tell us for a quote on display models."""

    organisation = StringField(
        _l("Airline or organisation"),
        validators=[_required(_l("Enter your airline or organisation.")), Length(max=200)],
    )
    contact_name = StringField(
        _l("Your name"), validators=[_required(_l("Enter your name.")), Length(max=120)]
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            _required(_l("Enter your email address.")),
            Email(_l("Enter a valid email address, like name@example.com.")),
            Length(max=254),
        ],
    )
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=40)])
    country = SelectField(_l("Deliver to"), validators=[_required(_l("Choose a country."))])
    aircraft_type = StringField(
        _l("Aircraft type"),
        description=_l("For example Boeing 737-800 or ATR 72-600."),
        validators=[_required(_l("Enter the aircraft type.")), Length(max=120)],
    )
    livery = StringField(
        _l("Livery / airline"),
        description=_l("Whose colours the models wear, and which scheme if there are several."),
        validators=[_required(_l("Enter the livery.")), Length(max=200)],
    )
    scale = StringField(
        _l("Scale"),
        description=_l("For example 1:100 (desk) or 1:25 (lobby)."),
        validators=[_required(_l("Enter the scale, like 1:100.")), Length(max=20)],
    )
    quantity = IntegerField(
        _l("Quantity"),
        validators=[
            InputRequired(_l("Enter how many models you need.")),  # 0 is an answer, a wrong one
            NumberRange(
                min=quotes.MIN_QUANTITY,
                max=quotes.MAX_QUANTITY,
                message=_l("Enter a quantity from %(min)d to %(max)d."),
            ),
        ],
    )
    wanted_by = DateField(
        _l("Wanted by"), validators=[_required(_l("Enter the date you need the models by."))]
    )
    finish_notes = TextAreaField(
        _l("Finish and other notes (optional)"),
        validators=[Optional(), Length(max=quotes.MAX_NOTES)],
    )
    files = MultipleFileField(
        _l("Reference files (optional)"),
        description=_l(
            "Up to %(num)d livery pictures or drawings: JPEG, PNG, WebP or PDF, 10 MB each.",
            num=quote_files.MAX_FILES,
        ),
    )
    # A field people never see: bots that fill in every input fill this one too.
    website = StringField(_l("Leave this empty"), validators=[Optional()])
    submit = SubmitField(_l("Send the request"))


class AcceptForm(FlaskForm):
    """Accept the offer version the buyer is looking at, saying who is invoiced and where to."""

    version = HiddenField()
    company_name = StringField(
        _l("Company name for the invoice"),
        validators=[_required(_l("Enter the company to invoice.")), Length(max=200)],
    )
    tax_id = StringField(
        _l("Tax or VAT ID (optional)"),
        description=_l("Printed on the pro-forma and the invoice."),
        validators=[Optional(), Length(max=40)],
    )
    delivery_name = StringField(
        _l("Deliver to (name or department)"),
        validators=[_required(_l("Enter the recipient's name.")), Length(max=120)],
    )
    delivery_line1 = StringField(
        _l("Street address"),
        validators=[_required(_l("Enter the street address.")), Length(max=200)],
    )
    delivery_line2 = StringField(
        _l("Address line 2 (optional)"), validators=[Optional(), Length(max=200)]
    )
    delivery_city = StringField(
        _l("City"), validators=[_required(_l("Enter the city.")), Length(max=120)]
    )
    delivery_state = StringField(
        _l("State or region (optional)"), validators=[Optional(), Length(max=120)]
    )
    delivery_postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=20)])
    delivery_phone = StringField(
        _l("Phone (optional)"),
        description=_l("The carrier may call if a delivery needs it."),
        validators=[Optional(), Length(max=40)],
    )
    submit = SubmitField(_l("Accept this quote"))

    def details(self) -> BuyerDetails:
        """What the buyer typed, each on one line."""
        names = [f.name for f in dataclass_fields(BuyerDetails)]
        return BuyerDetails.of(**{name: self[name].data for name in names})

    def fill_from(self, quote: QuoteRequest) -> AcceptForm:
        """Start from what the buyer gave before, or from the request itself."""
        given = acceptance.given(quote)
        if given is not None:
            for f in dataclass_fields(BuyerDetails):
                self[f.name].data = getattr(given, f.name)
        else:
            self.company_name.data = quote.organisation
            self.delivery_name.data = quote.contact_name
            self.delivery_phone.data = quote.phone
        return self


class DeclineForm(FlaskForm):
    """Turn the quote down, saying why if the buyer likes."""

    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Decline"))


class MessageForm(FlaskForm):
    """A question or an answer in the request's thread."""

    body = TextAreaField(
        _l("Your message"),
        validators=[
            _required(_l("Write your message first.")),
            Length(
                max=quotes.MAX_MESSAGE, message=_l("Keep the message under %(max)d characters.")
            ),
        ],
    )
    submit = SubmitField(_l("Send message"))


class PayForm(FlaskForm):
    """Go to the payment page for the accepted quote."""

    submit = SubmitField(_l("Pay now"))
