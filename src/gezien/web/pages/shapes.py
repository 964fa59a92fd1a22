"""Shapes several page builders share."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.functional import Promise

Label = str | Promise  # a text for the page, possibly translated lazily (a model choice's label)
Choices = Sequence[tuple[str, Label]]  # (value, label) pairs for a select or tabs
