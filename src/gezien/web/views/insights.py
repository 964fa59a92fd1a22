"""Desk pages: insights (insights, issue 5)."""

from __future__ import annotations

from django.urls import URLPattern

urls: list[URLPattern] = []
