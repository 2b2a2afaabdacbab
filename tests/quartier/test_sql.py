"""`field__any_of` (quartier/sql.py): the same rows as `__in`, with the list as one parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rooms.models import Room

from ..rooms.factories import make_room

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_same_rows_as_in():
    rooms = [make_room() for _ in range(4)]
    wanted = [rooms[0].pk, rooms[2].pk, 999_999]
    assert (
        set(Room.objects.filter(pk__any_of=wanted))
        == set(Room.objects.filter(pk__in=wanted))
        == {
            rooms[0],
            rooms[2],
        }
    )
    assert set(Room.objects.filter(location_id__any_of=[rooms[1].location_id])) == {rooms[1]}
    assert list(Room.objects.filter(pk__any_of=[])) == []
    assert set(Room.objects.exclude(pk__any_of=wanted)) == {rooms[1], rooms[3]}


def test_any_of_sends_a_list_of_any_length_as_one_parameter_on_postgresql():
    make_room()
    with CaptureQueriesContext(connection) as queries:
        list(Room.objects.filter(pk__any_of=list(range(1, 301))))
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
