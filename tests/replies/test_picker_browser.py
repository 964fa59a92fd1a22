"""macros.js in a real Chromium: "Invoegen" puts the written-out macro into the reply box."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

import gezien
from gezien.accounts.models import User
from gezien.contacts.models import Contact
from gezien.contacts.selectors import contact_with_thread
from gezien.replies.models import Macro
from gezien.replies.selectors import rendered_macros_for_contact
from tests.browser import chromium, skip_without_chromium

SCRIPT = Path(gezien.__file__).parent / "web" / "static" / "gezien" / "macros.js"

pytestmark = pytest.mark.browser

skip_without_chromium()


def _page_html(contact: Contact, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    macros = rendered_macros_for_contact(contact_with_thread(contact.pk), user)
    picker = render_to_string(
        "web/_macro_picker.html", {"contact": contact, "macros": macros}, request=request
    )
    reply = '<form data-testid="reply-form"><textarea name="text">Dag!</textarea></form>'
    return f"<!DOCTYPE html><html><body>{reply}{picker}</body></html>"


def test_invoegen_puts_the_text_at_the_cursor_and_selects_what_to_fill_in(
    open_contact: Callable[..., Contact], agent: User, shared_macro: Macro
) -> None:
    html = _page_html(
        open_contact(None, "hoi, waar blijft mijn pakket?"), agent
    )  # the ORM before the browser
    with chromium() as browser:
        page = browser.new_page()
        page.set_content(html)
        button = page.get_by_role("button", name="Invoegen")
        assert button.is_hidden()  # without the script the picker only offers the text to copy
        page.add_script_tag(path=str(SCRIPT))
        page.add_script_tag(path=str(SCRIPT))  # loaded twice (an htmx swap): still one insert a click
        box = page.locator('form[data-testid="reply-form"] textarea[name="text"]')
        box.evaluate("box => box.setSelectionRange(box.value.length, box.value.length)")
        button.click()
        value = box.input_value()
        assert value.startswith("Dag!\n\nHoi [naam]! Je bestelling [ordernummer] komt ")
        assert value.count("Hoi [naam]!") == 1
        selected = box.evaluate("box => box.value.slice(box.selectionStart, box.selectionEnd)")
        assert selected == "[naam]"
