"""The thread's attachments: sizes in the reader's language, and which may show as a thumbnail."""

from __future__ import annotations

from django import template

from gezien.contacts.attachments import active_content, size_human, thumbnail_allowed
from gezien.contacts.models import Attachment

register = template.Library()


@register.filter
def file_size(size: int) -> str:
    """'1,4 kB' in Dutch, '1.4 kB' in English."""
    return size_human(int(size))


@register.filter
def thumbnail(attachment: Attachment) -> bool:
    """A raster image (PNG, JPEG, GIF, WebP) the desk may show small; never SVG or anything else."""
    return thumbnail_allowed(attachment)


@register.filter
def risky(attachment: Attachment) -> bool:
    """A program, script or web page (served as a plain download all the same)."""
    return active_content(attachment)
