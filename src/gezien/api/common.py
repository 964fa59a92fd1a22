"""Schemas and helpers shared by the API's resource modules."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeVar

from django.db.models import Model
from django.shortcuts import get_object_or_404
from ninja import Schema
from pydantic import Field

from gezien.customers.models import Customer

IdentityKindLiteral = Literal["phone", "email", "chat", "customer_number", "address"]


class IdentityIn(Schema):
    kind: IdentityKindLiteral
    value: str = Field(min_length=1, max_length=320)


class IdentityOut(Schema):
    id: int
    kind: str
    value: str
    display: str
    created_at: datetime


class CustomerBrief(Schema):
    id: int
    customer_number: str
    first_name: str
    last_name: str
    full_name: str

    @staticmethod
    def resolve_full_name(obj: Customer) -> str:
        return obj.full_name


class ErrorOut(Schema):
    detail: list[dict[str, object]] | str


M = TypeVar("M", bound=Model)


def get_or_404(model: type[M], pk: int) -> M:
    return get_object_or_404(model, pk=pk)
