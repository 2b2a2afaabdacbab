"""SQL of the hot paths, cheaper than the ORM builds it (issue 18).

- `field__any_of=[ids]`: `field = ANY(%s)` with the list as one array parameter on PostgreSQL (`IN (…)` on
  SQLite). Django's `__in` writes one placeholder per value and prepares each value; for the room finder's
  200 rooms that cost more than the query itself. Registered on every field and relation
  (QuartierConfig.ready).
- `compile_once`: the SQL of a query that runs on every request with one changing value (the account of a
  session, its permissions), compiled once per process; `MARKER` stands for that value.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Field, ForeignObject, Lookup

MARKER = -7_654_321  # where a query compiled once takes its value


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


def compile_once(queryset) -> tuple[str, tuple, bool]:
    """(SQL, its parameters with MARKER where the value goes, whether the database converts the values of the
    columns: then a row from a plain cursor is not what the ORM would give, as with SQLite's dates) of a
    queryset built with MARKER as its value."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    if MARKER not in params:  # Django compiled it differently: not to be reused
        raise ImproperlyConfigured(f"Unexpected parameters of a query compiled once: {params!r}")
    converts = bool(compiler.get_converters([column for column, _sql, _alias in compiler.select]))
    return sql, params, converts


def with_value(params: tuple, value) -> list:
    """The parameters of a query compiled once, with its value where MARKER stands."""
    return [value if param == MARKER else param for param in params]
