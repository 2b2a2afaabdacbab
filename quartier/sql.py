"""SQL of the hot paths, cheaper than the ORM builds it (issue 18).

- `field__any_of=[ids]`: `field = ANY(%s)` with the list as one array parameter on PostgreSQL (`IN (…)` on
  SQLite). Django's `__in` writes one placeholder per value and prepares each value; for the room finder's
  200 rooms that cost more than the query itself. Registered on every field and relation
  (QuartierConfig.ready).
- `plain_rows`: the rows of a query of plain values that runs on every request, or several times a request, with
  changing values (a session's account and its permissions, the room finder's busy times, bookable hours), its
  SQL compiled once per process.
- `plain_objects`: the same for a query of model instances (with `select_related`), as the ORM makes them;
  `plain_count` its count and `PlainPages` its pages, for a Paginator.
- `read_timestamps_in_c`: psycopg's own C loader for `timestamptz` columns. Django registers a loader of its
  own, written in Python on psycopg's Python one (about 6 µs a value here, against 0.3 µs): the room finder
  reads some 600 times a request, a week page hundreds.
"""

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Field, ForeignObject, Func, IntegerField, Lookup, Value


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs] if self.rhs else []

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)  # a relation keeps lookups of its own


# --- Plain rows of a query compiled once ------------------------------------------------------------------

_COMPILED: dict = {}  # key -> (SQL, a filler per parameter, database alias, rows -> result), or None: the ORM


def plain_objects(key: str, build, *values) -> list:
    """The model instances of `build(*values)`, a queryset of model instances of one shape whatever the values
    (as for `plain_rows`; its `select_related` relations and annotations filled in as the ORM fills them, no
    `prefetch_related`), its SQL compiled once per process and key on PostgreSQL. The home page's highlights
    are a handful of such queries on every request: building and compiling each cost more than running it."""
    return _run(("objects", key), build, values, objects=True)


def plain_count(key: str, build, *values) -> int:
    """`build(*values).count()` (a queryset as for `plain_rows`, without DISTINCT or GROUP BY), compiled once:
    a COUNT over the query's rows, its ordering left out, as Django counts them."""

    def counting(*values):
        query = build(*values).order_by()
        if query.query.distinct or query.query.group_by is not None or query.query.is_sliced:
            raise ImproperlyConfigured("plain_count: a query with DISTINCT, GROUP BY or a slice is counted by the ORM")
        return query.values_list(Func(Value(1), function="COUNT", output_field=IntegerField()))

    return plain_rows(("count", key), counting, *values)[0][0]


class PlainPages:
    """What a Paginator pages through (`Paginator(PlainPages(...), per_page)`): the rows of a query compiled once
    per process (`plain_objects`; the count: `plain_count`), each of the first pages compiled once too. Further
    pages go through the ORM (their SQL differs in the offset: not one entry per page ever asked for)."""

    COMPILED_PAGES = 10

    def __init__(self, key: str, build, *values, per_page: int):
        self.key, self.build, self.values, self.per_page = key, build, values, per_page

    def count(self) -> int:
        return plain_count(self.key, self.build, *self.values)

    def __getitem__(self, window: slice) -> list:
        bottom, top = window.start or 0, window.stop
        number, rest = divmod(bottom, self.per_page)
        if rest or number >= self.COMPILED_PAGES or top is None or top - bottom > self.per_page:
            return list(self.build(*self.values)[window])
        limit = bottom + self.per_page  # the last page too: its rows are those up to the count

        def page(*values):
            return self.build(*values)[bottom:limit]

        return plain_objects(f"{self.key}.page{number}", page, *self.values)[: top - bottom]


def plain_rows(key: str, build, *values) -> list[tuple]:
    """The rows of `build(*values)`, a `values_list` queryset of one shape whatever the values (no branch on
    them; integers within their columns' range, aware datetimes, dates, lists of integers, text). On PostgreSQL its
    SQL is compiled once per process and key, with stand-ins for the values, and then run with the values in
    their places: the same SQL and parameters as the ORM's, without building and compiling the query on every
    call. Values are converted as the ORM converts them; on SQLite the ORM runs it each time."""
    return _run(key, build, values, objects=False)


def plain_rows_by(key: str, build, ids) -> dict[int, list[tuple]]:
    """`plain_rows(key, build, ids)` grouped by each row's first column: a list for every id, in their order (empty
    where no row names it). What a page's rows have of a relation (a directory card's topics, a decision's
    history) in one query, in place of a prefetch."""
    grouped: dict[int, list[tuple]] = {id_: [] for id_ in ids}
    for row in plain_rows(key, build, list(grouped)):
        grouped[row[0]].append(row)
    return grouped


def _run(key, build, values: tuple, objects: bool) -> list:
    """The query of `key`, compiled on its first call (None: the ORM runs it), with these values."""
    compiled = _COMPILED.get(key, _COMPILED)
    if compiled is _COMPILED:
        compiled = _COMPILED[key] = _compile_with_stand_ins(build, values, objects=objects)
    if compiled is None:
        return list(build(*values))
    sql, fills, alias, read = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [fill(values) for fill in fills])
        return read(cursor.fetchall())


def _stand_in(value, number: int, turn: int):
    """A value of the same kind as `value`, different in each turn (number: which value it stands for)."""
    if isinstance(value, bool):
        raise ImproperlyConfigured("plain_rows: a boolean can not be told from the query's own parameters")
    if isinstance(value, int):
        return 7000 + 101 * turn + number  # within a small integer column's range; odd in one turn, even in the other
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1901 + turn, 2, 3, 4, 5, 6, 1000 + number, tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.date(1901 + turn, 2, 3) + datetime.timedelta(days=number)
    if isinstance(value, list | tuple):
        return [7000 + 101 * turn + number]
    if isinstance(value, str):  # no text a query of the portal spells itself
        return f"quartier stand-in {turn}.{number}"
    raise ImproperlyConfigured(f"plain_rows: no stand-in for {type(value).__name__}")


def _compile_with_stand_ins(build, values, objects: bool = False):
    """(SQL, a filler per parameter, alias, what makes the instances of the rows: for `objects`), or None where
    the ORM is to run the query. Compiled twice, with two sets of stand-ins: the same SQL both times, and the
    parameters that differ are where the values go (a constant of the query that happens to equal a stand-in
    differs from neither)."""
    turns = []
    for turn in (0, 1):
        stand_ins = [_stand_in(value, number, turn) for number, value in enumerate(values)]
        queryset = build(*stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        if compiler.connection.vendor != "postgresql":
            return None
        sql, params = compiler.as_sql()
        if turn == 0:
            read = _reader(queryset, compiler, objects)
        turns.append((sql, params, stand_ins))
    (sql, params, stand_ins), (other_sql, other_params, other_stand_ins) = turns
    if sql != other_sql or len(params) != len(other_params):
        raise ImproperlyConfigured(f"plain_rows: the query's shape depends on its values: {sql!r}")
    found: set[int] = set()
    pairs = zip(params, other_params, strict=True)
    fills = [_fill(param, other, stand_ins, other_stand_ins, found) for param, other in pairs]
    if found != set(range(len(values))):
        raise ImproperlyConfigured(f"plain_rows: values not found among the parameters {params!r}")
    return sql, fills, queryset.db, read


def _reader(queryset, compiler, objects: bool):
    """rows -> what the ORM gives for them: each value through the converters of its column (an expression's
    output type, a field's `from_db_value`), then, for `objects`, the model instances."""
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    make = _instance_maker(queryset, compiler) if objects else None

    def read(rows: list[tuple]) -> list:
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return make(rows) if make else rows

    return read


def _instance_maker(queryset, compiler):
    """rows -> model instances, as Django's ModelIterable makes them from this compiler's rows: the model's
    columns through `from_db`, each `select_related` relation by its populator, annotations as attributes."""
    from django.db.models.query import ModelIterable, get_related_populators

    if queryset._iterable_class is not ModelIterable:
        raise ImproperlyConfigured("plain_objects: a queryset of model instances (not values) is needed")
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise ImproperlyConfigured("plain_objects: prefetch_related and related managers are not followed")
    select, klass_info, annotations = compiler.select, compiler.klass_info, list(compiler.annotation_col_map.items())
    model, alias = klass_info["model"], queryset.db
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)

    def make(rows: list[tuple]) -> list:
        instances = []
        for row in rows:
            instance = model.from_db(alias, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances

    return make


def _fill(param, other, stand_ins: list, other_stand_ins: list, found: set):
    """How to make this parameter from a call's values: a constant, a value itself (in the type the ORM gave it:
    psycopg's Int2, Int4 or Int8 for an integer column), or a range of two."""
    from psycopg.types.range import Range

    def which(end, other_end) -> int:
        for number, (stand_in, other_stand_in) in enumerate(zip(stand_ins, other_stand_ins, strict=True)):
            if isinstance(end, type(stand_in)) and end == stand_in and other_end == other_stand_in:
                found.add(number)
                return number
        raise ImproperlyConfigured(f"plain_rows: a parameter that changes with no value: {end!r}")

    if type(param) is type(other) and param == other:
        return lambda values: param
    if isinstance(param, Range) and isinstance(other, Range) and param.bounds == other.bounds:
        lower, upper = which(param.lower, other.lower), which(param.upper, other.upper)
        return lambda values: Range(values[lower], values[upper], param.bounds)
    number = which(param, other)
    wrap = type(param)
    if isinstance(stand_ins[number], list):  # the ORM's list (AnyOf), whatever sequence a caller gives
        return lambda values: list(values[number])
    if wrap is not type(stand_ins[number]):
        return lambda values: wrap(values[number])
    return lambda values: values[number]


def _c_timestamptz_loader():
    """psycopg's C loader of `timestamptz` values, or None (psycopg without its C module, or no psycopg)."""
    try:
        from psycopg._cmodule import _psycopg
    except ImportError:
        return None
    return getattr(_psycopg, "TimestamptzLoader", None) if _psycopg is not None else None


class UtcTimestampLoader:
    """Stands where Django's `timestamptz` loader stands and makes psycopg's C loader instead (psycopg creates a
    loader by calling the registered class; its C loader cannot be subclassed). In a session whose time zone is
    UTC the C loader gives what Django's does: the value with `datetime.timezone.utc`. `timezone` is what
    Django's `create_cursor` compares with the connection's, so it registers no loader of its own per cursor."""

    timezone = datetime.UTC
    c_loader = _c_timestamptz_loader()
    format = getattr(c_loader, "format", None)  # text, as Django's: what psycopg files the loader under

    def __new__(cls, oid, context=None):
        return cls.c_loader(oid, context)


def read_timestamps_in_c(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection (`connection_created`) whose values Django reads as UTC, in a session
    set to UTC: the C loader for `timestamptz` (UtcTimestampLoader). Otherwise Django's own loader stays."""
    if connection.vendor != "postgresql" or UtcTimestampLoader.c_loader is None:
        return
    session = connection.connection
    if connection.timezone is not datetime.UTC or session.info.parameter_status("TimeZone") != "UTC":
        return
    session.adapters.register_loader("timestamptz", UtcTimestampLoader)
