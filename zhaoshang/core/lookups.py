"""``field__one_of=[...]``: membership in a long list of values, for the lookups of a bulk import."""

from django.db.models import Field, Lookup
from django.db.models.lookups import In


@Field.register_lookup
class OneOf(Lookup):
    """``= ANY(%s)`` with the list as one array parameter on PostgreSQL, ``IN (...)`` elsewhere. With ``__in``,
    Django and psycopg build and parse one placeholder per value: for thousands of values that costs more than
    the query itself (a 10,000-row import makes about fifty such lookups)."""

    lookup_name = "one_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        field = self.lhs.output_field
        return "%s", [[field.get_db_prep_value(item, connection, prepared=False) for item in value]]

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} = ANY({rhs_sql})", (*lhs_params, *rhs_params)
