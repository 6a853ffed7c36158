"""The contact form and Find my order: what is sent, to whom, in which language; what is refused."""

from __future__ import annotations

import re

import pytest

from shop.gateways.mail import MailError, MailMessage
from shop.services import pages
from tests.factories import csrf_from, shop_with_stock
from tests.order_factories import make_order


class RecordingMailer:
    """A mailer that keeps messages instead of sending them."""

    def __init__(self) -> None:
        self.sent: list[MailMessage] = []

    def send(self, message: MailMessage) -> None:
        """Keep the message."""
        self.sent.append(message)


class BrokenMailer:
    """A mailer whose server is down."""

    def send(self, message: MailMessage) -> None:
        """Fail like an unreachable server."""
        raise MailError("connection refused")


@pytest.fixture
def mailbox(app) -> RecordingMailer:
    """Every mail the shop sends, kept; the pages installed."""
    pages.install_defaults()
    mailer = RecordingMailer()
    app.extensions["mailer"] = mailer
    return mailer


MESSAGE = {
    "name": "Aiko Tanaka",
    "email": "aiko@example.jp",
    "order_number": "",
    "subject": "Teak bowl size",
    "message": "How wide is the large bowl?",
}


def send_contact(client, lang: str = "en", **fields: str):
    page = client.get(f"/contact?lang={lang}").get_data(as_text=True)
    return client.post("/contact", data={"csrf_token": csrf_from(page), **MESSAGE, **fields})


# --- Contact ----------------------------------------------------------------------------------


def test_a_message_reaches_staff_with_reply_to_the_sender(client, mailbox) -> None:
    response = send_contact(client, order_number="kb-2612-000123")

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/contact/sent")
    staff, reply = mailbox.sent
    assert staff.to == "orders@karyabinaan.example"
    assert staff.reply_to == "Aiko Tanaka <aiko@example.jp>"
    assert "Teak bowl size" in staff.subject
    assert "How wide is the large bowl?" in staff.text and "KB-2612-000123" in staff.text
    assert reply.to == "aiko@example.jp"


@pytest.mark.parametrize(
    ("lang", "hello"), [("ja", "お客様"), ("ko", "안녕하세요."), ("id", "Halo,"), ("en", "Hello,")]
)
def test_the_acknowledgement_is_in_the_senders_language(client, mailbox, lang, hello) -> None:
    send_contact(client, lang=lang)

    reply = mailbox.sent[1]
    assert reply.text.startswith(hello)
    assert f'<html lang="{lang}">' in reply.html
    shipping = "http://localhost/pages/shipping" + ("" if lang == "en" else f"?lang={lang}")
    assert f"{shipping}\n" in reply.text
    staff = mailbox.sent[0]
    assert f": {lang}\n" in staff.text  # staff see which language to answer in


def test_the_acknowledgement_repeats_nothing_the_sender_typed(client, mailbox) -> None:
    send_contact(client, name="Buy cheap pills http://spam.example", subject="<b>WIN</b>",
                 message="Visit http://spam.example now")  # fmt: skip

    reply = mailbox.sent[1]
    assert "spam.example" not in reply.text + reply.html
    assert "WIN" not in reply.text + reply.html


def test_a_hostile_name_cannot_add_mail_headers(client, mailbox) -> None:
    send_contact(client, name='Eve\r\nBcc: all@example.com "<x>"', subject="Hi\r\nBcc: a@b.c")

    staff = mailbox.sent[0]
    assert "\n" not in staff.reply_to and "\r" not in staff.reply_to
    assert staff.reply_to.endswith("<aiko@example.jp>")
    assert "\n" not in staff.subject and "\r" not in staff.subject


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter your name."),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"subject": ""}, "Enter a subject."),
        ({"message": ""}, "Write your message."),
        ({"message": "x" * 5001}, "Use at most 5000 characters."),
        ({"order_number": "12345"}, "An order number looks like KB-2612-000123."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_sent(client, mailbox, fields, message) -> None:
    response = send_contact(client, **fields)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert mailbox.sent == []


def test_a_bot_filling_the_hidden_field_is_thanked_and_nothing_is_sent(client, mailbox) -> None:
    response = send_contact(client, website="http://spam.example")

    assert response.status_code == 303
    assert mailbox.sent == []


def test_a_message_without_the_form_token_is_refused(client, mailbox) -> None:
    response = client.post("/contact", data=MESSAGE)

    assert response.status_code == 400
    assert mailbox.sent == []


def test_a_mail_server_that_is_down_says_so_and_keeps_the_message(app, client, mailbox) -> None:
    app.extensions["mailer"] = BrokenMailer()

    response = send_contact(client)

    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "could not be sent just now" in html
    assert "How wide is the large bowl?" in html  # the message is still in the form


def test_the_contact_form_is_limited_per_address(client, mailbox) -> None:
    for _ in range(3):
        assert send_contact(client).status_code == 303

    response = send_contact(client)

    assert response.status_code == 429
    assert "Too many messages" in response.get_data(as_text=True)
    assert len(mailbox.sent) == 6
    assert send_contact(client, email="other@example.jp").status_code == 303


def test_forms_sent_back_for_correction_do_not_count_against_the_limit(client, mailbox) -> None:
    for _ in range(6):
        assert send_contact(client, subject="").status_code == 422

    assert send_contact(client).status_code == 303


# --- Find my order ----------------------------------------------------------------------------


@pytest.fixture
def order(app):
    """A paid guest order."""
    return make_order(shop_with_stock().variants[0], email="Aiko@Example.jp")


def ask_for_link(client, email: str, number: str, lang: str = "en"):
    page = client.get(f"/orders/find?lang={lang}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "email": email, "order_number": number}
    return client.post("/orders/find", data=data)


def test_a_matching_order_gets_a_working_link_by_mail(client, mailbox, order) -> None:
    response = ask_for_link(client, " aiko@example.JP ", order.number.lower())

    assert response.status_code == 303
    (mail,) = mailbox.sent
    assert mail.to == "Aiko@Example.jp"
    assert order.number in mail.subject
    link = re.search(r"http://localhost(/orders/\S+)", mail.text).group(1)
    assert link == f"/orders/{order.token}"
    page = client.get(link)
    assert page.status_code == 200 and order.number in page.get_data(as_text=True)


def test_the_answer_is_the_same_whether_or_not_an_order_matched(client, mailbox, order) -> None:
    matched = ask_for_link(client, "aiko@example.jp", order.number)
    wrong_address = ask_for_link(client, "eve@example.jp", order.number)
    wrong_number = ask_for_link(client, "aiko@example.jp", "KB-2612-999999")

    assert matched.status_code == wrong_address.status_code == wrong_number.status_code == 303
    assert matched.headers["Location"] == wrong_address.headers["Location"]
    assert matched.headers["Location"] == wrong_number.headers["Location"]
    assert len(mailbox.sent) == 1 and mailbox.sent[0].to == "Aiko@Example.jp"
    sent_page = client.get(matched.headers["Location"]).get_data(as_text=True)
    assert "If an order with that number was placed with that address" in sent_page


def test_the_link_mail_is_in_the_askers_language(client, mailbox, order) -> None:
    ask_for_link(client, "aiko@example.jp", order.number, lang="ja")

    assert '<html lang="ja">' in mailbox.sent[0].html


def test_find_my_order_explains_bad_input_and_sends_nothing(client, mailbox, order) -> None:
    response = ask_for_link(client, "aiko@example.jp", "")

    assert response.status_code == 422
    assert "Enter the order number." in response.get_data(as_text=True)
    assert mailbox.sent == []


def test_find_my_order_is_limited_per_address_and_per_network(client, mailbox, order) -> None:
    for _ in range(3):
        assert ask_for_link(client, "aiko@example.jp", order.number).status_code == 303
    limited = ask_for_link(client, "AIKO@example.jp", order.number)
    assert limited.status_code == 429
    assert len(mailbox.sent) == 3

    for n in range(7):  # other addresses from the same network, up to its limit of 10
        assert ask_for_link(client, f"guess{n}@example.jp", order.number).status_code == 303
    assert ask_for_link(client, "new@example.jp", order.number).status_code == 429
