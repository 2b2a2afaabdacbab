"""The statutory caps of § 3 Nr. 26 and Nr. 26a EStG since 2007: the one definition of the shipped rows.

The data migration adds them, and so does every `migrate` or flush afterwards (`post_migrate`, see
VolunteersConfig): a database emptied by a flush (as transactional tests do) has them back at once. Rows are
only ever added, never changed: what staff edit or add in the admin (a new law) stays as they left it.
"""

from decimal import Decimal

# (from year, Übungsleiterpauschale, Ehrenamtspauschale): each row holds until the next one.
STATUTORY_CAPS = [
    (2007, "2100.00", "500.00"),
    (2013, "2400.00", "720.00"),
    (2021, "3000.00", "840.00"),
    (2026, "3300.00", "960.00"),
]


def add_statutory_caps(cap_model) -> None:
    """Add the shipped caps that are missing (the model class: the real one, or a migration's historical one)."""
    for year, trainer, honorary in STATUTORY_CAPS:
        cap_model.objects.get_or_create(
            from_year=year, defaults={"trainer_amount": Decimal(trainer), "honorary_amount": Decimal(honorary)}
        )


def restore_statutory_caps(sender=None, **kwargs) -> None:
    """post_migrate: the caps are there after every migrate and every flush."""
    from django.db import connection

    from .models import Cap

    if Cap._meta.db_table in connection.introspection.table_names():
        add_statutory_caps(Cap)
