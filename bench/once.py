"""Requests too large for a load run, timed one by one: `python -m bench.once --scale L` (after bench.generate).

At scale L a comparison of one category across all 2,000 platforms is about 50 MB of JSON; neither app
answers it within a wrk run. Here both are called in this process, through WSGI, one request after another:
the raw baseline (bench/baseline.py) and the project with its response cache off, so that each request does
all its work. Prints each app's times and the ratio of the project's best time to the baseline's.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

from bench.generate import SERVER, database_name
from bench.run import CATEGORY

Application = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def call(application: Application, url: str) -> tuple[float, int]:
    """(seconds, bytes) of one GET of `url` (a path and query string) through `application`."""
    parts = urlsplit(url)
    environ: dict[str, Any] = {"PATH_INFO": parts.path, "QUERY_STRING": parts.query, "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    status: list[str] = []
    started = time.perf_counter()
    body = b"".join(application(environ, lambda code, headers, exc_info=None: status.append(code)))
    elapsed = time.perf_counter() - started
    if not status[0].startswith("200"):
        raise SystemExit(f"{url} answered {status[0]}")
    return elapsed, len(body)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["S", "M", "L"], default="L")
    parser.add_argument("--database")
    parser.add_argument("--times", type=int, default=3, help="Requests per app (default 3).")
    args = parser.parse_args(argv)
    os.environ.update(
        DATABASE_URL=f"{SERVER}/{args.database or database_name(args.scale)}",
        DEBUG="0",
        API_RESPONSE_CACHE="0",
        THROTTLE_ANONYMOUS="100000000/minute",
        DJANGO_SETTINGS_MODULE="conductatlas.settings",
    )
    from bench import baseline  # both read DATABASE_URL when imported
    from conductatlas.wsgi import application as project

    apps: dict[str, tuple[Application, str]] = {
        "baseline": (baseline.application, f"/comparison?category={CATEGORY}"),
        "project (uncached)": (project, f"/api/v1/categories/{CATEGORY}/comparison/"),
    }
    print(f"Comparison of {CATEGORY}, all platforms, scale {args.scale}, {args.times} requests each:")
    best = {}
    for name, (application, url) in apps.items():
        timings = []
        for _ in range(args.times):
            seconds, size = call(application, url)
            timings.append(seconds)
        best[name] = min(timings)
        print(
            f"  {name:<20} best {min(timings):6.2f} s  median {statistics.median(timings):6.2f} s  "
            f"({size / 1e6:.1f} MB)"
        )
    print(f"Ratio of requests/s, project / baseline (best times): {best['baseline'] / best['project (uncached)']:.2f}")


if __name__ == "__main__":
    main()
