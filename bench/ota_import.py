"""Benchmark: import the whole Open Terms Archive GenAI versions bundle into PostgreSQL, against a floor.

    .venv/bin/python -m bench.ota_import [--bundle PATH] [--database-url URL]

The import runs as `manage.py import_ota_history` on a freshly migrated database. The floor reads the
same blobs from git (one log, one cat-file), hashes them and COPYs them into a one-table schema:
the least any importer must do. Peak memory is the largest child process's resident set.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUNDLE = ROOT.parent / "shared/datasets/ota-genai-contrib-versions.bundle"
SERVER = "postgres://postgres@127.0.0.1:5432"


def database_recreate(name: str) -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def floor_run(bundle: Path, url: str) -> tuple[float, int, int]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        repository = Path(workdir) / "repository"
        subprocess.run(["git", "clone", "--quiet", "--bare", str(bundle), str(repository)], check=True)
        log = subprocess.run(
            [
                "git",
                "-c",
                "core.quotepath=false",
                "-C",
                str(repository),
                "log",
                "--reverse",
                "--no-merges",
                "--format=\x1e%H\x1f%cI",
                "--name-status",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        entries: list[tuple[str, str, str]] = []
        for record in log.split("\x1e")[1:]:
            lines = record.strip("\n").split("\n")
            sha, date = lines[0].split("\x1f")
            files = [line.split("\t", 1)[1] for line in lines[1:] if line[:1] in "AM" and line.endswith(".md")]
            if len(files) == 1 and "/" in files[0]:
                entries.append((sha, date, files[0]))
        cat = subprocess.Popen(
            ["git", "-C", str(repository), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert cat.stdin is not None and cat.stdout is not None
        total = 0
        with psycopg.connect(url) as connection:
            connection.execute(
                "CREATE TABLE floor_versions (path text, recorded_at timestamptz, sha256 text, text text)"
            )
            with connection.cursor().copy("COPY floor_versions FROM STDIN") as copy:
                for sha, date, path in entries:
                    cat.stdin.write(f"{sha}:{path}\n".encode())
                    cat.stdin.flush()
                    size = int(cat.stdout.readline().split()[2])
                    blob = cat.stdout.read(size)
                    cat.stdout.read(1)
                    total += size
                    text = blob.decode("utf-8", errors="replace").replace("\x00", "")
                    copy.write_row((path, date, hashlib.sha256(blob).hexdigest(), text))
        cat.stdin.close()
        cat.wait()
    return time.monotonic() - started, len(entries), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    args = parser.parse_args()
    if not args.bundle.is_file():
        sys.exit(f"No bundle at {args.bundle}")

    url = database_recreate("conductatlas_bench_import")
    # DEBUG off as in production: with it on, Django keeps every query (texts included) in memory.
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)

    started = time.monotonic()
    result = subprocess.run(
        [python, "manage.py", "import_ota_history", str(args.bundle), "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    import_seconds = time.monotonic() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    second = subprocess.run(
        [python, "manage.py", "import_ota_history", str(args.bundle), "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )

    with psycopg.connect(url) as connection:
        versions, technical = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE technical) FROM platforms_version"
        ).fetchone() or (0, 0)
        checks = (connection.execute("SELECT count(*) FROM platforms_check").fetchone() or (0,))[0]
        size = (connection.execute("SELECT sum(length(text)) FROM platforms_version").fetchone() or (0,))[0]

    floor_url = database_recreate("conductatlas_bench_floor")
    floor_seconds, floor_rows, floor_bytes = floor_run(args.bundle, floor_url)

    print(f"import:  {import_seconds:7.1f} s  {result.stdout.strip()}")
    print(f"again:   {second.stdout.strip()}")
    print(f"floor:   {floor_seconds:7.1f} s  ({floor_rows} blobs, {floor_bytes / 1e6:.0f} MB read, hashed and COPYed)")
    print(f"ratio:   {import_seconds / floor_seconds:.2f}x the floor (goal: at most 4x)")
    print(
        f"stored:  {versions} versions ({technical} technical upgrades, {size / 1e6:.0f} MB of text), {checks} checks"
    )
    print(f"memory:  peak resident set of the largest process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
