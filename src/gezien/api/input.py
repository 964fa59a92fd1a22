"""Refuse, for every API input at once, what no field may hold: NUL characters (PostgreSQL text cannot
store them, and no customer types one) and lone surrogates (JSON's "\\ud800" without its pair: not a
character, and no database or encoder takes it; they gave a 500 before). Query parameters are checked by
the parser, JSON bodies by the `In` base class of every input schema (ninja turns parser errors on
bodies into a bare 400). Both answer 422 with the field at fault."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.parser import Parser
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, model_validator

from gezien.core.errors import Invalid

# A valid pair arrives from JSON as one character above U+FFFF: any surrogate left is a lone one.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _find_bad(value: Any, path: str) -> str | None:
    """The path of the first string (or key) holding a NUL or a lone surrogate, else None."""
    if isinstance(value, str):
        return path if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _find_bad(key, path) or _find_bad(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_bad(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _refuse_bad(data: Any) -> None:
    field = _find_bad(data, "")
    if field is not None:
        raise Invalid(_("Dit veld bevat een ongeldig teken."), field=field or None)


class StrictParser(Parser):
    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_bad(result)
        return result


class In(Schema):
    """Base of every API input schema."""

    @model_validator(mode="before")
    @classmethod
    def _no_unstorable(cls, data: Any) -> Any:
        # ninja may hand the raw input over wrapped in its DjangoGetter.
        field = _find_bad(data._obj if isinstance(data, DjangoGetter) else data, "")
        if field is not None:
            raise ValueError(
                _("Het veld %(field)s bevat een ongeldig teken (NUL of een losse surrogaat).")
                % {"field": field or "body"}
            )
        return data


class BodyIn(In):
    """A request body: a field the endpoint does not know is refused (422), never silently dropped."""

    model_config = ConfigDict(extra="forbid")
