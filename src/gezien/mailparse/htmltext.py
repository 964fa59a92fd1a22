"""HTML mail made safe to show (`sanitise`) and turned into clean text (`html_to_text`).

Both go through nh3 (the ammonia sanitiser): scripts, styles, forms and event handlers are removed with
their content, and images keep only a `cid:` source (an inline image of the mail itself), so tracking
pixels and remote images load nothing. The text is made from the sanitised HTML, whose markup ammonia
has normalised, so a small tokeniser reads it: blocks become lines, links "text (url)", quoted blocks
(`<blockquote>`) lines starting with "> " so that `split_quote` can fold them.
"""

from __future__ import annotations

import html
import re

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "dd", "del", "div", "dl", "dt", "em",
    "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "q", "s",
    "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "tt", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "font": {"color"},
    "ol": {"start"},
}
_DROPPED_WITH_CONTENT = {"script", "style", "title", "head", "noscript", "template", "object", "iframe",
                         "svg", "math", "select", "textarea", "button"}  # fmt: skip


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.lower().startswith("cid:"):
        return None  # a remote image or tracking pixel: never loaded from the desk
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    url_schemes={"http", "https", "mailto", "tel", "cid"},
    link_rel="noopener noreferrer nofollow",
)

_PRE_STRIP = re.compile(r"<!--.*?-->|<(head|style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"')
_BLOCKQUOTE = re.compile(r"<(/?)blockquote\b[^>]*>")
_CELL_END = re.compile(r"</t[dh]>")
_HR = re.compile(r"<hr\b[^>]*>")
_PARAGRAPH = re.compile(r"</?(?:p|table|ul|ol|dl|h[1-6]|pre|center|caption)\b[^>]*>")
_MARKERS = re.compile(r"[\x01\x02]")
_BREAK = re.compile(r"<br\b[^>]*>")
_BREAKS = re.compile(r"\n?[ \x01\x02]*[\x01\x02][ \x01\x02]*")
_LINE = re.compile(r"<(?:/?li|/?dt|/?dd|/?tr|/?div|tbody|/tbody|thead|/thead|tfoot|/tfoot)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u200c\u200d\ufeff]+")
_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")
_ONLY_MARKS = re.compile(r"^[> ]*$")


def sanitise(markup: str) -> str:
    """HTML safe to show in the desk: no script, style, form, event handler or remote image."""
    if not markup.strip():
        return ""
    # What nh3 would drop anyway goes first, cheaply: Outlook's HTML is half head, styles and comments.
    return _CLEANER.clean(_PRE_STRIP.sub("", markup.replace("\x00", "")))


def html_to_text(markup: str) -> str:
    """Clean plain text of an HTML mail: links as "text (url)", quoted blocks as "> " lines."""
    return sanitised_to_text(sanitise(markup))


def _link(match: re.Match[str]) -> str:
    attributes, label = match.groups()
    href = _HREF.search(attributes)
    url = html.unescape(href.group(1)) if href else ""
    shown = url[7:] if url.lower().startswith("mailto:") else url
    label_text = " ".join(html.unescape(_ANY_TAG.sub("", label)).split())
    if not url or url.startswith("#") or shown == label_text:
        return label
    escaped = html.escape(shown, quote=False)
    return f"{label} ({escaped})" if label_text else escaped


def _breaks(match: re.Match[str]) -> str:
    return "\n\n" if "\x02" in match.group(0) else "\n"


def _flat(piece: str) -> str:
    piece = _CELL_END.sub(" ", _MARKERS.sub("", piece).replace("\n", " "))
    piece = _HR.sub("\n\n---\n\n", piece)
    piece = _BREAK.sub("\n", piece)
    piece = _PARAGRAPH.sub("\x02", piece)
    piece = _LINE.sub("\x01", piece)
    piece = _BREAKS.sub(
        _breaks, piece
    )  # adjacent block edges make one line break, a paragraph's a blank line
    piece = html.unescape(_ANY_TAG.sub("", piece))
    piece = _AROUND_NEWLINE.sub("\n", _SPACES.sub(" ", piece))
    return _BLANK_LINES.sub("\n\n", piece).strip("\n ")


def sanitised_to_text(clean: str) -> str:
    """`html_to_text` of HTML that `sanitise` already made (normalised markup: a few regexes read it)."""
    clean = _LINK.sub(_link, clean)
    pieces = _BLOCKQUOTE.split(clean)
    lines: list[str] = []
    depth = 0
    for index, piece in enumerate(pieces):
        if index % 2:  # a <blockquote> or </blockquote>
            outer = depth - 1 if piece else depth
            depth = max(depth + (-1 if piece else 1), 0)
            lines.append(("> " * max(outer, 0)).rstrip())
            continue
        text = _flat(piece)
        if text:
            prefix = "> " * depth
            lines.extend((prefix + line).rstrip() for line in text.split("\n"))
    kept: list[str] = []
    for line in lines:  # one blank (or quote-mark-only) line between blocks, none at the ends
        if _ONLY_MARKS.match(line) and (not kept or _ONLY_MARKS.match(kept[-1])):
            continue
        kept.append(line)
    while kept and _ONLY_MARKS.match(kept[-1]):
        kept.pop()
    return "\n".join(kept)
