"""``field__one_of=[...]``: membership in a long list of values, for the lookups of a bulk import."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, Lookup


@Field.register_lookup
class OneOf(Lookup):
    """``= ANY(%s)`` with the list as one array parameter on PostgreSQL, ``IN (%s, ...)`` elsewhere. ``__in``
    prepares each value through several layers of Django and PostgreSQL then parses a placeholder per value: for
    thousands of values that costs more than the query itself (a 10,000-row import makes about fifty lookups)."""

    lookup_name = "one_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        prepare = self.lhs.output_field.get_db_prep_value
        return "%s", [[prepare(item, connection, prepared=False) for item in value]]

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        _, (values,) = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s)", (*lhs_params, values)
        if not values:
            raise EmptyResultSet
        return f"{lhs_sql} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)
