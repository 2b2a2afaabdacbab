"""Running service calls at the same moment in threads with their own database connections (PostgreSQL races)."""

import threading

from django.core.exceptions import ValidationError
from django.db import connection


def race(calls) -> list:
    """Start every call at once (a barrier); each result is the call's return value or its ValidationError."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except ValidationError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
