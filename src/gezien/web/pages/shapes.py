"""Shapes and small helpers several page builders share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import Promise

Label = str | Promise  # a text for the page, possibly translated lazily (a model choice's label)
Choices = Sequence[tuple[str, Label]]  # (value, label) pairs for a select or tabs

T = TypeVar("T")


def paged(items: Sequence[T] | QuerySet[Any, T], number: str | None, per_page: int) -> Page[T]:
    """Page `number` (as asked in the query string; the last one when past the end, the first when
    not a number) of `items`, `per_page` at a time."""
    return Paginator(items, per_page).get_page(number)
