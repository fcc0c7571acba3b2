"""Running the same call from several threads at once, each with its own database connection."""

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(call: Callable[[], object], *, times: int = 2) -> list[BaseException]:
    """Start `times` threads that pass a barrier together, then call; return what they raised."""
    barrier = threading.Barrier(times)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
