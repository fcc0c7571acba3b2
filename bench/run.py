"""The load run: `python -m bench.run --scale S` (after `python -m bench.generate --scale S`).

Serves the project and the raw baseline (bench/baseline.py) with the same gunicorn configuration
(conductatlas/gunicorn.py: gthread workers, DATABASE_POOL_MAX_SIZE connections each), loads each endpoint
from a second process on loopback with wrk, and prints requests/s, p50 and p99 and the ratio of the
project's requests/s to the baseline's. Throughput runs use several connections; latency runs use one, so
that p50 and p99 are a request's own time rather than queueing. Each run is bounded (--seconds); the
servers are stopped at the end. Results are also written to bench/results/run-<scale>.json.

The project runs three ways: cache on (Redis, as in production), cache off (API_RESPONSE_CACHE=0) for the
uncached figures, and conditional (If-None-Match with the ETag of the first answer).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

from bench.generate import SERVER, database_name

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PROJECT_PORT, BASELINE_PORT = 8701, 8702
CATEGORY = "training-on-user-content"
TEN = ",".join(f"platform-{n:04d}" for n in range(1, 11))
RARE, COMMON, PAIR, COMMON_PAIR = "merchantable", "data", "opt out", "personal data"


@dataclass
class Result:
    name: str
    target: str
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310  # loopback only
                response.read()
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


@contextmanager
def serve(app: str, port: int, env: dict[str, str]) -> Iterator[None]:
    command = [sys.executable, "-m", "gunicorn", "-c", "python:conductatlas.gunicorn", app]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env, "BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _ms(text: str) -> float:
    value = float(re.sub(r"[a-z]+$", "", text))
    unit = re.search(r"[a-z]+$", text)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit.group(0) if unit else "s"]


def wrk(
    url: str, *, connections: int, seconds: int, headers: dict[str, str] | None = None
) -> tuple[float, float, float, int]:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    distribution = output.partition("Latency Distribution")[2]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", distribution, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", distribution, re.MULTILINE).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def measure(
    name: str, target: str, url: str, args: argparse.Namespace, headers: dict[str, str] | None = None
) -> list[Result]:
    wait_for(url)  # the first answer, and the cache filled where there is one
    # Every pooled connection used once before measuring: a new PostgreSQL backend loads its text-search
    # dictionaries and catalog caches on first use, which production's long-lived pools pay once.
    wrk(url, connections=args.connections, seconds=2, headers=headers)
    results = []
    for connections in (args.connections, 1):
        rps, p50, p99, errors = wrk(url, connections=connections, seconds=args.seconds, headers=headers)
        results.append(Result(name, target, connections, rps, p50, p99, errors))
        print(f"  {name:<36} {target:<22} c={connections:<2} {rps:9.1f} req/s  p50 {p50:8.2f} ms  p99 {p99:8.2f} ms"
              + (f"  ({errors} errors)" if errors else ""), flush=True)  # fmt: skip
    return results


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310  # loopback only
        return response.headers["ETag"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="S")
    parser.add_argument("--database")
    parser.add_argument("--seconds", type=int, default=8, help="Per measurement (default 8).")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", default="", help="Only the endpoints whose name contains this (e.g. search).")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    database = args.database or database_name(args.scale)
    common = {
        "DATABASE_URL": f"{SERVER}/{database}",
        "DEBUG": "0",
        "DATABASE_POOL_MAX_SIZE": "8",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "WEB_THREADS": os.environ.get("WEB_THREADS", "4"),
        # One client on one address: limits would only measure the throttle.
        "THROTTLE_ANONYMOUS": "100000000/minute",
    }
    project, baseline = f"http://127.0.0.1:{PROJECT_PORT}", f"http://127.0.0.1:{BASELINE_PORT}"
    endpoints = {
        "comparison, all platforms": ("/api/v1/categories/{c}/comparison/", "/comparison?category={c}"),
        "comparison, 10 platforms": ("/api/v1/categories/{c}/comparison/?platforms={ten}",
                                     "/comparison?category={c}&platforms={ten}"),
        "provision list": ("/api/v1/provisions/", "/provisions"),
        f"search, rare ({RARE})": (f"/api/v1/search/?q={RARE}", f"/search?q={RARE}"),
        f"search, common ({COMMON})": (f"/api/v1/search/?q={COMMON}", f"/search?q={COMMON}"),
        f"search, two words ({PAIR})": (f"/api/v1/search/?q={quote(PAIR)}", f"/search?q={quote(PAIR)}"),
        f"search, common pair ({COMMON_PAIR})": (f"/api/v1/search/?q={quote(COMMON_PAIR)}",
                                                 f"/search?q={quote(COMMON_PAIR)}"),
    }  # fmt: skip
    endpoints = {name: paths for name, paths in endpoints.items() if args.only in name}
    # Served through the response cache: measured cached, conditional and uncached.
    cached = {name for name in endpoints if "comparison" in name or name == "provision list"}
    results: list[Result] = []
    print(f"Scale {args.scale} ({database}), {args.seconds} s per run, wrk -c{args.connections} and -c1:")
    redis_db = "redis://127.0.0.1:6379/9"
    subprocess.run(["redis-cli", "-n", "9", "FLUSHDB"], capture_output=True, check=False)
    with serve("bench.baseline:application", BASELINE_PORT, common):
        for name, (_api, raw) in endpoints.items():
            results += measure(name, "baseline", baseline + raw.format(c=CATEGORY, ten=TEN), args)
    with serve("conductatlas.wsgi", PROJECT_PORT, {**common, "REDIS_URL": redis_db}):
        for name, (api, _raw) in endpoints.items():
            url = project + api.format(c=CATEGORY, ten=TEN)
            results += measure(name, "project (cached)" if name in cached else "project", url, args)
            if name in cached:
                results += measure(name, "project (conditional)", url, args, {"If-None-Match": etag_of(url)})
    with serve("conductatlas.wsgi", PROJECT_PORT, {**common, "API_RESPONSE_CACHE": "0"}):
        for name, (api, _raw) in endpoints.items():
            if name in cached:
                results += measure(name, "project (uncached)", project + api.format(c=CATEGORY, ten=TEN), args)
    print("\nRatio of requests/s, project / baseline (throughput runs):")
    by_key = {(r.name, r.target, r.connections): r for r in results}
    for name in endpoints:
        base = by_key[(name, "baseline", args.connections)].requests_per_second
        for target in ("project", "project (cached)", "project (conditional)", "project (uncached)"):
            found = by_key.get((name, target, args.connections))
            if found and base:
                print(f"  {name:<36} {target:<22} {found.requests_per_second / base:6.2f}")
            elif found:
                print(f"  {name:<36} {target:<22}    n/a (the baseline finished no request in the run)")
    RESULTS.mkdir(exist_ok=True)
    only = re.sub(r"\W+", "-", args.only).strip("-")
    path = RESULTS / (f"run-{args.scale}-{only}.json" if only else f"run-{args.scale}.json")
    path.write_text(json.dumps([asdict(result) for result in results], indent=2))
    print(f"\nWritten to {path.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
