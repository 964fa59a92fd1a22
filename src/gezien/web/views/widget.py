"""The chat widget's public side: the script a website embeds (`/widget/chat.js`), its styles as a file
for browsers without constructable stylesheets (`/widget/chat.css`), and a demo page that embeds it
exactly as a website would (`/widget/demo/`), sent with the strict CSP the widget promises to work
under. No login: these are for a website's visitors. The customer API the script talks to is chat's,
under `/widget/api/v1/` (docs/widget.md)."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import translation
from django.views.decorators.http import require_safe

from gezien.chat.selectors import demo_widget_key
from gezien.web.widget_texts import WIDGET_TEXTS

WIDGET_DIR = Path(__file__).resolve().parent.parent / "static" / "widget"
CSS_SLOT = '"__GEZIEN_CSS__"'  # where chat.js takes its styles; filled here, so they live in one file
TEXTS_SLOT = '"__GEZIEN_TEXTS__"'  # where chat.js takes its words, from the gettext catalogues
LANGUAGES = ("nl", "en")
MAX_AGE_S = 300  # websites embed a fixed URL: a new version reaches their visitors within five minutes
DEMO_CSP = (
    "default-src 'none'; script-src {desk}; connect-src {desk}; img-src {desk} blob: data:; style-src {desk}"
)


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    etag: str
    content_type: str


def _asset(body: bytes, content_type: str) -> Asset:
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Asset(body, gzip.compress(body, compresslevel=9, mtime=0), etag, content_type)


@lru_cache(maxsize=4)
def _built(name: str, _changed: tuple[int, ...]) -> Asset:
    """The served file, built once per version of its sources (their mtimes are the cache key)."""
    css = (WIDGET_DIR / "chat.css").read_text(encoding="utf-8")
    if name == "chat.css":
        return _asset(css.encode(), "text/css; charset=utf-8")
    script = (WIDGET_DIR / "chat.js").read_text(encoding="utf-8")
    for slot in (CSS_SLOT, TEXTS_SLOT):
        if script.count(slot) != 1:
            raise RuntimeError(f"chat.js must hold {slot} exactly once")
    script = script.replace(CSS_SLOT, json.dumps(css)).replace(TEXTS_SLOT, _texts_json())
    return _asset(script.encode(), "text/javascript; charset=utf-8")


def _texts_json() -> str:
    """The widget's words in every language it speaks, as a JSON object {"nl": {...}, "en": {...}}."""
    texts: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = {key: str(text) for key, text in WIDGET_TEXTS.items()}
    return json.dumps(texts, ensure_ascii=False, separators=(",", ":"))


def widget_asset(name: str) -> Asset:
    """`chat.js` (with chat.css inside) or `chat.css`, as served."""
    sources = (WIDGET_DIR / "chat.js", WIDGET_DIR / "chat.css")
    return _built(name, tuple(source.stat().st_mtime_ns for source in sources))


def _serve(request: HttpRequest, name: str) -> HttpResponse:
    asset = widget_asset(name)
    if asset.etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(asset.gzipped, content_type=asset.content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(asset.body, content_type=asset.content_type)
    response["ETag"] = asset.etag
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = f"public, max-age={MAX_AGE_S}"
    response["Access-Control-Allow-Origin"] = "*"  # any website may load it; it carries no one's data
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@login_not_required
@require_safe
def chat_js(request: HttpRequest) -> HttpResponse:
    return _serve(request, "chat.js")


@login_not_required
@require_safe
def chat_css(request: HttpRequest) -> HttpResponse:
    return _serve(request, "chat.css")


@login_not_required
@require_safe
def demo(request: HttpRequest) -> HttpResponse:
    """Voorbeeld Telecom, a made-up website with the widget on it, as a customer would meet it: the demo
    organisation's widget, else the oldest active one (none: the page says how to make one). The
    widget must allow the desk's own origin, as the page is served from it."""
    desk = request.build_absolute_uri("/").rstrip("/")
    response = render(request, "widget/demo.html", {"desk": desk, "key": demo_widget_key()})
    response["Content-Security-Policy"] = DEMO_CSP.format(desk=desk)
    return response


urls: list[URLPattern] = [
    path("widget/chat.js", chat_js, name="widget_js"),
    path("widget/chat.css", chat_css, name="widget_css"),
    path("widget/demo/", demo, name="widget_demo"),
]
