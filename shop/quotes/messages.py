"""Quote states and refusals in words, in the visitor's language."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

from shop.models import QuoteStatus
from shop.services.quotes import requests as quotes
from shop.services.quotes.files import InvalidFile

_STATUS = {
    QuoteStatus.NEW: lazy_gettext("Request received"),
    QuoteStatus.ANSWERED: lazy_gettext("Quote sent"),
    QuoteStatus.ACCEPTED: lazy_gettext("Accepted"),
    QuoteStatus.PAID: lazy_gettext("Paid"),
    QuoteStatus.IN_PRODUCTION: lazy_gettext("In production"),
    QuoteStatus.SHIPPED: lazy_gettext("Shipped"),
    QuoteStatus.DECLINED: lazy_gettext("Declined"),
    QuoteStatus.EXPIRED: lazy_gettext("Expired"),
}

_ERRORS = {
    "quantity_range": lazy_gettext("Enter a quantity from %(min)d to %(max)d."),
    "date_past": lazy_gettext("Choose a date after today."),
    "date_far": lazy_gettext("Choose a date within the next three years."),
    "country": lazy_gettext("We don't ship to that country yet. Choose another, or write to us."),
    "too_many_files": lazy_gettext("Send at most %(max)d files."),
    "message_empty": lazy_gettext("Write your message first."),
    "message_long": lazy_gettext("Keep the message under %(max)d characters."),
    "expired": lazy_gettext(
        "This quote is no longer valid. Send us a message and we will prepare a new one."
    ),
    "no_offer": lazy_gettext("There is no quote to accept yet."),
    "revised": lazy_gettext(
        "The quote was revised while you were reading it. Please look at the new version below."
    ),
    "not_open": lazy_gettext("This quote can no longer be accepted or declined."),
    "not_accepted": lazy_gettext("Accept the quote before paying."),
    "already_paid": lazy_gettext("This quote is already paid. Thank you!"),
    "part_paid": lazy_gettext(
        "Part of the payment has arrived for the earlier version of this quote. We will write "
        "to you about the balance; there is nothing to pay here for now."
    ),
}

_FILE_ERRORS = {
    "empty": lazy_gettext("%(name)s is empty."),
    "too_large": lazy_gettext("%(name)s is larger than 10 MB."),
    "format": lazy_gettext("%(name)s is not a JPEG, PNG, WebP picture or a PDF."),
    "damaged": lazy_gettext("%(name)s is damaged or incomplete."),
    "too_many_pixels": lazy_gettext("%(name)s has too many pixels (at most 40 megapixels)."),
}


def status_label(status: QuoteStatus | str) -> str:
    """A quote's state in words."""
    try:
        return str(_STATUS[QuoteStatus(status)])
    except ValueError:
        return str(status)


def error_message(error: quotes.QuoteError) -> str:
    """Why a quote action was refused, in words."""
    template = _ERRORS.get(error.key)
    if template is None:
        return gettext("Please check this and try again.")
    return str(template) % error.params if error.params else str(template)


def file_message(error: InvalidFile) -> str:
    """Why a reference file was refused, naming the file."""
    template = _FILE_ERRORS.get(error.reason, _FILE_ERRORS["damaged"])
    return str(template) % {"name": error.filename}
