"""Queries on a list of ids, compiled by the ORM once instead of at every call; and the values of a
prepared INSERT or UPDATE (`db_values`).

The outbox's listeners run after every batch of new contacts, each with a query or two of the shape
"these columns of the rows among these ids that ...". The ORM builds and compiles such a query anew at
every call, ~0.2-0.5 ms of Python, where SQLite answers it in a few tens of µs; a batch paid that a
dozen times over. `IdsQuery` has the ORM build the query once per size of the list (padded to a power
of two, repeating an id: `IN` does not mind), with stand-in ids, and from then on only puts the real
ids in their places: the same SQL the ORM would run, the same values back (the database's converters,
e.g. for dates on SQLite, applied as the ORM applies them).

Only for queries whose other parameters are constants: `build` must not read the clock or any other
state, since it runs once per list size for the life of the process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, models
from django.db.models import QuerySet

_STAND_IN = -(10**12)  # no real id is negative: a stand-in is never confused with a parameter


class IdsQuery:
    """`IdsQuery(lambda ids: Model.objects.filter(pk__in=ids, ...).values_list(...))`, then
    `.rows(ids)`: the rows that queryset gives for `ids`, as tuples."""

    def __init__(self, build: Callable[[list[int]], QuerySet[Any, Any]]) -> None:
        self.build = build
        self._model: Any = None
        self._compiled: dict[tuple[str, str, int], tuple[str, list[Any], list[tuple[int, int]], Any]] = {}

    def rows(self, ids: Iterable[int]) -> list[tuple[Any, ...]]:
        unique = sorted({int(i) for i in ids})
        if not unique:
            return []
        size = 1 << (len(unique) - 1).bit_length()
        sql, params, places, convert = self._compile(size)
        values = list(params)
        padded = unique + [unique[-1]] * (size - len(unique))
        for position, index in places:
            values[position] = padded[index]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            found = cursor.fetchall()
        return [tuple(row) for row in convert(found)] if convert is not None else found

    def column(self, ids: Iterable[int]) -> list[Any]:
        """The first column of `rows(ids)`."""
        return [row[0] for row in self.rows(ids)]

    def objects(self, ids: Iterable[int]) -> list[Any]:
        """The model instances of a plain queryset (`Model.objects.filter(...)`: every concrete field,
        nothing joined or annotated), as iterating it would give them."""
        rows = self.rows(ids)
        if not rows:
            return []
        model = self._model
        names = [f.attname for f in model._meta.concrete_fields]
        return [model.from_db(connection.alias, names, row) for row in rows]

    def _compile(self, size: int) -> tuple[str, list[Any], list[tuple[int, int]], Any]:
        key = (connection.alias, connection.vendor, size)
        found = self._compiled.get(key)
        if found is None:
            stand_ins = [_STAND_IN - index for index in range(size)]
            compiler = self.build(stand_ins).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            places = [
                (position, _STAND_IN - value) for position, value in enumerate(params) if value in stand_ins
            ]
            if {index for _position, index in places} != set(range(size)):  # pragma: no cover - a misuse
                raise ValueError("IdsQuery: the query does not use every id as a parameter of its own")
            columns = [col for col, _info, _alias in compiler.select]
            self._model = compiler.query.model
            if compiler.query.values_select == () and not compiler.query.annotation_select:
                # A plain queryset (for `objects`): its columns are the model's fields, in their order.
                fields = [getattr(col, "target", None) for col in columns]
                if fields != list(self._model._meta.concrete_fields):  # pragma: no cover - a misuse
                    raise ValueError("IdsQuery.objects: a plain queryset of one model, nothing joined")
            converters = compiler.get_converters(columns)
            convert = (lambda rows: compiler.apply_converters(rows, converters)) if converters else None
            found = self._compiled[key] = (sql, list(params), places, convert)
        return found


_TEXT_STAND_IN = "\x00gezien-prepared-key\x00"  # no real key holds NUL bytes


class KeyQuery:
    """`KeyQuery(lambda key: Model.objects.filter(some_text_field=key))`, then `.objects(key)`: the
    model instances that plain queryset gives for one text key (the hot path's "the rows of this call"),
    compiled by the ORM once per database instead of at every call; the same SQL, the same values."""

    def __init__(self, build: Callable[[str], QuerySet[Any, Any]]) -> None:
        self.build = build
        self._compiled: dict[tuple[str, str], tuple[str, list[Any], list[int], Any, Any]] = {}

    def objects(self, key: str) -> list[Any]:
        sql, params, places, convert, model = self._compile()
        values = list(params)
        for position in places:
            values[position] = key
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        if not rows:
            return []
        if convert is not None:
            rows = [tuple(row) for row in convert(rows)]
        names = [f.attname for f in model._meta.concrete_fields]
        return [model.from_db(connection.alias, names, row) for row in rows]

    def _compile(self) -> tuple[str, list[Any], list[int], Any, Any]:
        key = (connection.alias, connection.vendor)
        found = self._compiled.get(key)
        if found is None:
            compiler = self.build(_TEXT_STAND_IN).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            places = [position for position, value in enumerate(params) if value == _TEXT_STAND_IN]
            columns = [col for col, _info, _alias in compiler.select]
            model = compiler.query.model
            fields = [getattr(col, "target", None) for col in columns]
            if not places or fields != list(model._meta.concrete_fields):  # pragma: no cover - a misuse
                raise ValueError("KeyQuery: a plain queryset of one model filtered by the key")
            converters = compiler.get_converters(columns)
            convert = (lambda rows: compiler.apply_converters(rows, converters)) if converters else None
            found = self._compiled[key] = (sql, list(params), places, convert, model)
        return found


# A moment no real row holds (year 1001), one second apart per parameter: a stand-in for a moment.
_STAND_IN_MOMENT = datetime(1001, 1, 1, tzinfo=UTC)


class ParamsQuery:
    """A query with a few named parameters (ids, numbers, moments such as "now"), compiled by the ORM
    once: `ParamsQuery(lambda p: Span.objects.filter(user_id=p["user"], started_at__lt=p["now"])
    .values_list(...))`, then `.rows(user=5, now=timezone.now())`: the rows that queryset gives for these
    values, as tuples, the database's converters applied.

    The ORM builds the query once with stand-in values (ints no row has, moments in the year 1001) and
    from then on only the real values are put in their places, adapted as the ORM adapts them (a moment
    to SQLite's text). Only for parameters compared as they are (`=`, `<`, `>`, `IN`; no `__contains`,
    no arithmetic): each must reach the SQL as one parameter of its own, which is checked.
    """

    def __init__(self, build: Callable[[dict[str, Any]], QuerySet[Any, Any]]) -> None:
        self.build = build
        self._compiled: dict[tuple[str, str], tuple[str, list[Any], list[tuple[int, str, bool]], Any]] = {}

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        sql, params, places, convert = self._compile(values)
        filled = list(params)
        for position, name, moment in places:
            value = values[name]
            filled[position] = connection.ops.adapt_datetimefield_value(value) if moment else value
        with connection.cursor() as cursor:
            cursor.execute(sql, filled)
            found = cursor.fetchall()
        return [tuple(row) for row in convert(found)] if convert is not None else found

    def _compile(self, values: dict[str, Any]) -> tuple[str, list[Any], list[tuple[int, str, bool]], Any]:
        key = (connection.alias, connection.vendor)
        found = self._compiled.get(key)
        if found is not None:
            return found
        stand_ins: dict[str, Any] = {}
        for index, (name, value) in enumerate(sorted(values.items())):
            if isinstance(value, datetime):
                stand_ins[name] = _STAND_IN_MOMENT + timedelta(seconds=index + 1)
            elif isinstance(value, int) and not isinstance(value, bool):
                stand_ins[name] = _STAND_IN - 10**6 - index
            else:  # pragma: no cover - a misuse
                raise TypeError(f"ParamsQuery: {name} is neither an int nor a moment")
        forms = {
            connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v: (
                name,
                isinstance(v, datetime),
            )
            for name, v in stand_ins.items()
        }
        compiler = self.build(stand_ins).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        places = [
            (position, *forms[value]) for position, value in enumerate(params) if _hashable(value) in forms
        ]
        if {name for _position, name, _moment in places} != set(stand_ins):  # pragma: no cover - a misuse
            raise ValueError("ParamsQuery: a parameter does not reach the SQL as one of its own")
        columns = [col for col, _info, _alias in compiler.select]
        converters = compiler.get_converters(columns)
        convert = (lambda rows: compiler.apply_converters(rows, converters)) if converters else None
        found = self._compiled[key] = (sql, list(params), places, convert)
        return found


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return None
    return value


# Fields whose database value is their Python value, when it is of exactly this type (or None): their
# `get_db_prep_save` only checks that and hands it on, four calls deep (~3 µs a field on this machine; a
# row of twenty fields, prepared for every mail and message, is ~50 µs). Exact classes only: a subclass may
# prepare its values otherwise.
_PLAIN: dict[type[Any], type[Any]] = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.BooleanField: bool,
    models.FloatField: float,
}
# Dates and JSON: their `get_db_prep_save` ends in the backend's `adapt_datetimefield_value` or
# `adapt_json_value` after four or five calls that change nothing for an aware datetime or a dict or list;
# these are called directly (exact classes only, as above).
_DATETIME, _JSON = object(), object()
_KINDS: dict[int, tuple[Sequence[Any], list[Any]]] = {}  # by id of the caller's kept list


def _kind(field: Any) -> Any:
    if type(field) in (models.ForeignKey, models.OneToOneField):  # an integer key: its target's kind
        target = field.target_field
        return int if type(target) in (models.AutoField, models.BigAutoField) else None
    if type(field) is models.DateTimeField:
        return _DATETIME
    if type(field) is models.JSONField:
        return _JSON
    return _PLAIN.get(type(field))


def db_values(fields: Sequence[Any], obj: Any, *, add: bool) -> list[Any]:
    """`[f.get_db_prep_save(f.pre_save(obj, add), connection) for f in fields]`, the values of a prepared
    INSERT (`add`) or UPDATE, without the ORM's per-field calls where a value needs no preparing.
    `fields`: a list the caller keeps for its statement (what to do with each field is kept by it)."""
    found = _KINDS.get(id(fields))
    if found is None or found[0] is not fields:
        found = _KINDS[id(fields)] = (fields, [_kind(f) for f in fields])
    kinds = found[1]
    ops = connection.ops
    values = []
    for field, kind in zip(fields, kinds, strict=True):
        if kind is None:
            value = field.pre_save(obj, add)
        elif kind is _DATETIME:
            value = field.pre_save(obj, add)  # auto_now and auto_now_add: the clock
            if type(value) is datetime and value.utcoffset() is not None:  # aware, as USE_TZ keeps them
                values.append(ops.adapt_datetimefield_value(value))
                continue
        elif kind is _JSON:
            value = getattr(obj, field.attname)  # JSONField's `pre_save` reads just this
            if type(value) in (dict, list):
                values.append(ops.adapt_json_value(value, field.encoder))
                continue
        else:
            value = getattr(obj, field.attname)  # `pre_save` of these classes reads just this
            if value is None or type(value) is kind:
                values.append(value)
                continue
        values.append(field.get_db_prep_save(value, connection))
    return values
