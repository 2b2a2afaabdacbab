"""`make run` and `make test` start here: the database of DATABASE_URL exists (PostgreSQL: created if the role
may), or one line says what is wrong, instead of a traceback from `migrate`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection


class Command(BaseCommand):
    help = "Check that the configured database answers; create a missing PostgreSQL database."

    def handle(self, *args, **options):
        try:
            connection.ensure_connection()
            return
        except OperationalError as error:
            name = connection.settings_dict["NAME"]
            if connection.vendor != "postgresql" or f'database "{name}" does not exist' not in str(error):
                raise CommandError(f"The database does not answer: {_first_line(error)}") from None
        try:
            with connection._nodb_cursor() as cursor:  # Django's own way in: the "postgres" maintenance database
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        except Exception as error:  # noqa: BLE001 - any reason ends in the same one-line message
            raise CommandError(
                f"The database {name!r} does not exist and could not be created "
                f"({_first_line(error)}). Create it, e.g. `createdb {name}`."
            ) from None
        self.stdout.write(f"Created the database {name!r}.")


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
