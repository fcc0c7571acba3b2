"""Benchmark and reading aid: relink clauses of the shared corpus through every later version.

    .venv/bin/python -m bench.lineage [--corpus DIR]

For each document series, the first sentence of the earliest version that mentions training, opting
out, retention or a licence becomes a provision; it is relinked version by version (as recording
does) and each outcome is printed with the old and new quote, for checking by hand. Then it times
relinking 50 provisions through a ~300 KB document.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared/datasets/corpus"
KEYWORDS = {
    "training": re.compile(r"\btrain(s|ed|ing)?\b", re.I),
    "opt-out": re.compile(r"\bopt[- ]?out\b", re.I),
    "retention": re.compile(r"\bretain|retention\b", re.I),
    "licence": re.compile(r"\blicen[cs]e\b", re.I),
}
SENTENCE = re.compile(r"[^.\n]{40,300}\.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from provisions.anchoring import quote_anchor
    from provisions.lineage import anchor_relink

    counts: dict[str, int] = {}
    series = sorted(p for p in args.corpus.glob("*/*") if p.is_dir())
    for folder in series:
        files = sorted(folder.glob("*.md"))
        texts = [f.read_text(encoding="utf-8") for f in files]
        for topic, pattern in KEYWORDS.items():
            sentence = next(
                (m.group(0).strip() for m in SENTENCE.finditer(texts[0]) if pattern.search(m.group(0))), None
            )
            if sentence is None or texts[0].count(sentence) != 1:
                continue
            anchor = quote_anchor(text=texts[0], quote=sentence)
            start, end, prefix, suffix = anchor.start, anchor.end, anchor.prefix, anchor.suffix
            print(f"\n## {folder.parent.name}/{folder.name} [{topic}] {files[0].stem}: {sentence[:160]}")
            for previous, current, name in zip(texts, texts[1:], files[1:], strict=False):
                result = anchor_relink(
                    old_text=previous, new_text=current, start=start, end=end, prefix=prefix, suffix=suffix
                )
                counts[result.outcome] = counts.get(result.outcome, 0) + 1
                shown = result.quote[:160] if result.outcome in ("modified",) else ""
                print(f"  {name.stem}: {result.outcome} {result.similarity} {shown}")
                if result.start is None or result.end is None:
                    break
                start, end = result.start, result.end
                prefix, suffix = current[max(0, start - 60) : start], current[end : end + 60]
    print("\noutcomes:", counts)

    big = args.corpus / "microsoft-copilot/microsoft-privacy-statement"
    old, new = (big / "2024-02-09.md").read_text(), (big / "2024-06-25.md").read_text()
    sentences = [m.group(0).strip() for m in SENTENCE.finditer(old)]
    chosen = [s for s in sentences if old.count(s) == 1][:: max(1, len(sentences) // 50)][:50]
    anchors = [quote_anchor(text=old, quote=s) for s in chosen]
    started = time.perf_counter()
    outcomes: dict[str, int] = {}
    for a in anchors:
        r = anchor_relink(old_text=old, new_text=new, start=a.start, end=a.end, prefix=a.prefix, suffix=a.suffix)
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    elapsed = time.perf_counter() - started
    print(
        f"300 KB relink: {len(anchors)} provisions, {len(old) // 1000} KB -> {len(new) // 1000} KB in "
        f"{elapsed * 1000:.0f} ms ({outcomes})"
    )


if __name__ == "__main__":
    main()
