"""Desk pages: resolution (insights, issue 5)."""

from __future__ import annotations

from django.urls import URLPattern

urls: list[URLPattern] = []
