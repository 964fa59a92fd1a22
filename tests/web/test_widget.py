"""The chat widget as a website gets it: the script (anyone may load it, small, cached, talking only to
the desk that served it), and the demo page that embeds it under a strict CSP. No login for either."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.test import Client

from gezien.chat.services import widget_create
from gezien.web.views.widget import WIDGET_DIR, widget_asset
from gezien.web.widget_texts import WIDGET_TEXTS

pytestmark = pytest.mark.django_db

GZIP_BUDGET = 30 * 1024


def test_the_script_is_served_to_anyone_small_and_cacheable(client: Client) -> None:
    response = client.get("/widget/chat.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "max-age=300" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
    served = response.content
    assert len(served) <= GZIP_BUDGET, f"chat.js is {len(served)} bytes gzipped, over {GZIP_BUDGET}"
    script = gzip.decompress(served).decode()
    assert script.startswith("/* Gezien chat widget.")
    assert "__GEZIEN_CSS__" not in script  # its styles are inside
    assert ".launcher {" in script
    # A browser that asked for none gets the plain text; one that has it gets a 304.
    plain = client.get("/widget/chat.js")
    assert "Content-Encoding" not in plain and plain.content.decode() == script
    again = client.get("/widget/chat.js", headers={"If-None-Match": plain["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_the_script_talks_only_to_its_own_desk_and_never_writes_markup_or_styles() -> None:
    script = widget_asset("chat.js").body.decode()
    addresses = set(re.findall(r"https?://[^\s\"')\\]*", script))
    assert addresses <= {"http://www.w3.org/2000/svg", "https?://", "https://DESK/widget/chat.js"}, addresses
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", ".style.", "eval("):
        assert forbidden not in script, forbidden
    assert 'setAttribute("style"' not in script and '"style"' not in script
    assert "adoptedStyleSheets" in script  # a constructable stylesheet, allowed by a strict style-src


def test_the_styles_for_older_browsers_are_served_too(client: Client) -> None:
    response = client.get("/widget/chat.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert ".panel {" in response.content.decode()


def test_the_demo_page_embeds_the_tag_exactly_under_a_strict_csp(client: Client) -> None:
    widget_create(name="Voorbeeld Telecom", key="telecom-demo", allowed_origins=["http://testserver"])
    response = client.get("/widget/demo/")
    assert response.status_code == 200  # no login
    desk = "http://testserver"
    assert response["Content-Security-Policy"] == (
        f"default-src 'none'; script-src {desk}; connect-src {desk}; "
        f"img-src {desk} blob: data:; style-src {desk}"
    )
    page = response.content.decode()
    assert f'<script src="{desk}/widget/chat.js" data-gezien-widget="telecom-demo" async></script>' in page
    assert "Voorbeeld Telecom" in page
    # Nothing the CSP would refuse: no inline script or style, no style attribute.
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert "<style" not in page and " style=" not in page


def test_without_a_widget_the_demo_page_says_how_to_make_one(client: Client) -> None:
    page = client.get("/widget/demo/").content.decode()
    assert 'data-testid="no-widget"' in page
    assert "/widget/chat.js" not in page.split("</pre>")[-1]  # no tag with an empty key


def test_the_widget_paths_need_no_login_and_take_no_writes(client: Client) -> None:
    for url in ("/widget/chat.js", "/widget/chat.css", "/widget/demo/"):
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 405


def test_the_widgets_words_come_from_the_catalogues_in_both_languages() -> None:
    script = widget_asset("chat.js").body.decode()
    assert "__GEZIEN_TEXTS__" not in script
    texts = json.loads(re.search(r"var TEXTS = (\{.*?\}\}); ", script).group(1))  # type: ignore[union-attr]
    assert set(texts) == {"nl", "en"}
    assert texts["nl"]["open"] == "Chat met ons" and texts["en"]["open"] == "Chat with us"
    assert texts["nl"]["placeholder"] == "Typ uw bericht…" and texts["en"]["send"] == "Send"
    source = (WIDGET_DIR / "chat.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bT\.(\w+)", source))
    assert used <= set(WIDGET_TEXTS), used - set(WIDGET_TEXTS)  # every word the script shows is there
    untranslated = [k for k, v in texts["en"].items() if v == texts["nl"][k]]
    assert untranslated == [], untranslated  # each has its English in the en catalogue
