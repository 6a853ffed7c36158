"""The quote request form and the buyer's answers on the request page."""

from __future__ import annotations

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

from shop.services.quotes import files as quote_files
from shop.services.quotes import requests as quotes

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
    """Accept the offer version the buyer is looking at."""

    version = HiddenField()
    submit = SubmitField(_l("Accept this quote"))


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
