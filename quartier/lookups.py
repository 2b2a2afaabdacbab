"""`field__any_of=[ids]`: `field = ANY(%s)` with the list as one array parameter on PostgreSQL (`IN (…)` on
SQLite). Django's `__in` writes one placeholder per value and prepares each value; for the room finder's
200 rooms that cost more than the query itself (issue 18). Registered on every field and relation
(QuartierConfig.ready)."""

from django.db.models import Field, ForeignObject, Lookup


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
