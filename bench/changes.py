"""Benchmark: compute every change of the Open Terms Archive GenAI bundle, against `git log -p`.

    .venv/bin/python -m bench.changes [--bundle PATH] [--samples FILE]

Imports the bundle first when the benchmark database is empty (see bench.ota_import), then computes
all changes in this process, timing each. The floor is `git log -p` over the same repository: git
producing a line diff of every commit. Writes 30 cosmetic and 30 substantive changes, chosen at random
with a fixed seed, to the samples file for reading by hand.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUNDLE = ROOT.parent / "shared/datasets/ota-genai-contrib-versions.bundle"
DATABASE = "postgres://postgres@127.0.0.1:5432/conductatlas_bench_import"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    parser.add_argument("--samples", type=Path, default=ROOT / "bench/results/change-samples.md")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = DATABASE
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conductatlas.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from platforms.models import Change, Version
    from platforms.services import change_record

    call_command("migrate", verbosity=0)
    if not Version.objects.exists():
        call_command("import_ota_history", str(args.bundle), verbosity=0)
    Change.objects.all().delete()
    ids = list(
        Version.objects.filter(predecessor__isnull=False).order_by("recorded_at", "id").values_list("id", flat=True)
    )
    timings: list[tuple[float, int]] = []
    started = time.monotonic()
    for pk in ids:
        version = Version.objects.select_related("predecessor").get(pk=pk)
        before = time.perf_counter()
        change_record(version=version)
        timings.append((time.perf_counter() - before, pk))
    total = time.monotonic() - started

    with tempfile.TemporaryDirectory() as workdir:
        repository = Path(workdir) / "repository"
        subprocess.run(["git", "clone", "--quiet", "--bare", str(args.bundle), str(repository)], check=True)
        floor_started = time.monotonic()
        subprocess.run(
            ["git", "-C", str(repository), "log", "-p", "--no-merges"], check=True, stdout=subprocess.DEVNULL
        )
        floor = time.monotonic() - floor_started

    seconds = sorted(t for t, _ in timings)
    slowest, slowest_pk = max(timings)
    largest = Change.objects.order_by("-words_added").values("version_id", "words_added", "words_removed").first()
    counts = {
        row: Change.objects.filter(significance=row).count()
        for row in ("technical", "cosmetic", "substantive", "material")
    }
    p50, p99 = statistics.median(seconds) * 1000, seconds[int(len(seconds) * 0.99)] * 1000
    print(f"changes: {len(ids)} computed in {total:.1f} s (diff and rules: {sum(seconds):.1f} s)")
    print(f"per change: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {slowest * 1000:.0f} ms (version {slowest_pk})")
    if largest:
        words = f"+{largest['words_added']} / -{largest['words_removed']} words"
        print(f"largest change: version {largest['version_id']}, {words}")
    print(f"floor: git log -p {floor:.1f} s; ratio {total / floor:.2f}x")
    print("significance: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    flags = {
        name: Change.objects.filter(**{field: True}).count()
        for name, field in (("silent", "silent"), ("announced", "announced"), ("reversions", "is_reversion"))
    }
    print(", ".join(f"{name}: {count}" for name, count in flags.items()))

    rng = random.Random(42)
    lines: list[str] = []
    for significance in ("cosmetic", "substantive"):
        pool = list(Change.objects.filter(significance=significance).values_list("pk", flat=True))
        for pk in sorted(rng.sample(pool, min(30, len(pool)))):
            change = Change.objects.select_related("document__platform", "document__document_type").get(pk=pk)
            lines.append(
                f"## {significance} #{pk}: {change.document} {change.recorded_at:%Y-%m-%d} "
                f"(+{change.words_added}/-{change.words_removed}) {change.reasons[0]}"
            )
            for hunk in change.hunks[:4]:
                for line in hunk["lines"]:
                    if line["op"] == "~":
                        lines.append(
                            "  ~ "
                            + " ".join(f"[{op}{text}]" if op != "=" else text[-60:] for op, text in line["words"])[:400]
                        )
                    elif line["op"] in "+-":
                        lines.append(f"  {line['op']} {line['text'][:300]}")
            lines.append("")
    args.samples.parent.mkdir(parents=True, exist_ok=True)
    args.samples.write_text("\n".join(lines))
    print(f"samples: {args.samples}")


if __name__ == "__main__":
    main()
