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

_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|([^<]+)|(<)")
_HREF = re.compile(r"""\bhref="([^"]*)\"""")
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "ul", "ol", "dl", "pre", "center",
          "caption", "blockquote", "hr"}  # fmt: skip
_LINE = {"br", "li", "dt", "dd", "tr"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u200c\u200d\ufeff]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def sanitise(markup: str) -> str:
    """HTML safe to show in the desk: no script, style, form, event handler or remote image."""
    if not markup.strip():
        return ""
    return _CLEANER.clean(markup.replace("\x00", ""))


def html_to_text(markup: str) -> str:
    """Clean plain text of an HTML mail: links as "text (url)", quoted blocks as "> " lines."""
    return sanitised_to_text(sanitise(markup))


def sanitised_to_text(clean: str) -> str:
    """`html_to_text` of HTML that `sanitise` already made."""
    lines: list[str] = []
    current: list[str] = []
    depth = 0
    links: list[tuple[int, str]] = []  # (position in `current` where the link text starts, url)

    def end_line(blank: bool = False) -> None:
        text = _SPACES.sub(" ", "".join(current)).strip()
        current.clear()
        prefix = "> " * depth
        if text:
            lines.append(prefix + text)
        if blank and lines and lines[-1].strip("> "):
            lines.append(prefix.rstrip())

    for match in _TOKEN.finditer(clean):
        closing, tag, attrs, text, stray = match.groups()
        if text is not None:
            current.append(html.unescape(text).replace("\n", " "))
            continue
        if stray is not None:
            current.append("<")
            continue
        tag = tag.lower()
        if tag == "a":
            if not closing:
                href = _HREF.search(attrs)
                links.append((len(current), html.unescape(href.group(1)) if href else ""))
            elif links:
                start, url = links.pop()
                label = _SPACES.sub(" ", "".join(current[start:])).strip()
                shown = url[7:] if url.lower().startswith("mailto:") else url
                if url and shown != label and not url.startswith("#"):
                    current.append(f" ({shown})" if label else shown)
            continue
        if tag == "blockquote":
            end_line(blank=not closing)
            while closing and lines and lines[-1] == ">" * depth:
                lines.pop()
            depth = max(depth + (-1 if closing else 1), 0)
            if closing:
                lines.append(("> " * depth).rstrip())
            continue
        if tag in ("td", "th") and closing:
            current.append(" ")
        elif tag in _BLOCK:
            end_line(blank=tag in ("p", "table", "h1", "h2", "h3", "ul", "ol", "hr"))
            if tag == "hr" and not closing:
                lines.append("> " * depth + "---")
        elif tag in _LINE:
            end_line()
    end_line()
    while lines and not lines[-1].strip("> "):
        lines.pop()
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
