"""Diffs of two texts: paragraphs first, then words inside each modified paragraph.

Bounded for any input: paragraphs are compared by hash (difflib on lists of paragraph strings), a
word-level diff runs only on paragraph pairs under WORD_DIFF_MAX_WORDS words, and at most
WORD_DIFF_MAX_PAIRS pairs per diff get one; the rest are shown as whole paragraphs removed and added.
A full rewrite of a 300 KB document therefore costs one paragraph-level pass.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

WORD_DIFF_MAX_WORDS = 2000
WORD_DIFF_MAX_PAIRS = 400
CONTEXT_PARAGRAPHS = 1
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SETEXT = re.compile(r"^(=+|-+)\s*$")
WORD = re.compile(r"\S+")
EMPHASIS = re.compile(r"[*_`]+|\\(?=[^\w\s])")


@dataclass
class DiffStats:
    words_added: int = 0
    words_removed: int = 0
    paragraphs_added: int = 0
    paragraphs_removed: int = 0
    paragraphs_modified: int = 0


@dataclass
class Diff:
    hunks: list[dict[str, Any]] = field(default_factory=list)
    stats: DiffStats = field(default_factory=DiffStats)
    sections: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.hunks)

    def as_json(self) -> dict[str, Any]:
        return {"hunks": self.hunks, "stats": self.stats.__dict__, "sections": self.sections}


def paragraphs_split(text: str) -> list[str]:
    """Blank-line separated blocks, whitespace inside folded, so reflowing a paragraph is not a change."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def _heading(paragraph: str) -> tuple[int, str] | None:
    match = HEADING.match(paragraph)
    if match:
        return len(match.group(1)), match.group(2).strip()
    # A setext heading folds into "Title ====" once whitespace is folded.
    parts = paragraph.rsplit(" ", 1)
    if len(parts) == 2 and SETEXT.match(parts[1]):
        return (1 if parts[1].startswith("=") else 2), parts[0].strip()
    return None


def section_paths(paragraphs: list[str]) -> list[str]:
    """For each paragraph, the path of the headings it stands under ("2. Data > Retention")."""
    stack: list[tuple[int, str]] = []
    paths: list[str] = []
    for paragraph in paragraphs:
        heading = _heading(paragraph)
        if heading is not None:
            level, title = heading
            title = EMPHASIS.sub("", title).strip()
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title[:120]))
        paths.append(" > ".join(title for _, title in stack))
    return paths


def words_diff(old: str, new: str) -> list[list[str]]:
    """[["=", "kept words"], ["-", "removed"], ["+", "added"]...] for two paragraphs."""
    old_words, new_words = old.split(" "), new.split(" ")
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    ops: list[list[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(["=", " ".join(old_words[i1:i2])])
            continue
        if tag in ("replace", "delete"):
            ops.append(["-", " ".join(old_words[i1:i2])])
        if tag in ("replace", "insert"):
            ops.append(["+", " ".join(new_words[j1:j2])])
    return ops


def _count_words(paragraphs: list[str]) -> int:
    return sum(len(WORD.findall(p)) for p in paragraphs)


def text_diff(old: str, new: str) -> Diff:
    old_paragraphs, new_paragraphs = paragraphs_split(old), paragraphs_split(new)
    old_sections, new_sections = section_paths(old_paragraphs), section_paths(new_paragraphs)
    matcher = difflib.SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    diff = Diff()
    sections: dict[str, None] = {}
    pairs_left = WORD_DIFF_MAX_PAIRS
    for group in matcher.get_grouped_opcodes(CONTEXT_PARAGRAPHS):
        hunk: dict[str, Any] = {
            "old_start": group[0][1],
            "new_start": group[0][3],
            "section": "",
            "lines": [],
        }
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk["lines"] += [{"op": "=", "text": p} for p in old_paragraphs[i1:i2]]
                continue
            removed, added = old_paragraphs[i1:i2], new_paragraphs[j1:j2]
            touched = new_sections[j1:j2] or old_sections[i1:i2]
            for path in touched:
                sections.setdefault(path)
            if not hunk["section"] and touched:
                hunk["section"] = touched[0]
            paired = min(len(removed), len(added)) if tag == "replace" else 0
            for index in range(paired):
                before, after = removed[index], added[index]
                small = len(before.split(" ")) + len(after.split(" ")) <= WORD_DIFF_MAX_WORDS
                if small and pairs_left > 0:
                    pairs_left -= 1
                    ops = words_diff(before, after)
                    diff.stats.paragraphs_modified += 1
                    diff.stats.words_removed += sum(len(WORD.findall(t)) for op, t in ops if op == "-")
                    diff.stats.words_added += sum(len(WORD.findall(t)) for op, t in ops if op == "+")
                    hunk["lines"].append({"op": "~", "words": ops})
                else:
                    diff.stats.paragraphs_removed += 1
                    diff.stats.paragraphs_added += 1
                    diff.stats.words_removed += _count_words([before])
                    diff.stats.words_added += _count_words([after])
                    hunk["lines"] += [{"op": "-", "text": before}, {"op": "+", "text": after}]
            for paragraph in removed[paired:]:
                diff.stats.paragraphs_removed += 1
                diff.stats.words_removed += _count_words([paragraph])
                hunk["lines"].append({"op": "-", "text": paragraph})
            for paragraph in added[paired:]:
                diff.stats.paragraphs_added += 1
                diff.stats.words_added += _count_words([paragraph])
                hunk["lines"].append({"op": "+", "text": paragraph})
        diff.hunks.append(hunk)
    diff.sections = [path for path in sections if path]
    return diff


def changed_words(diff: Diff) -> tuple[str, str]:
    """All removed words and all added words of a diff, for the rules that read them."""
    removed: list[str] = []
    added: list[str] = []
    for hunk in diff.hunks:
        for line in hunk["lines"]:
            if line["op"] == "-":
                removed.append(line["text"])
            elif line["op"] == "+":
                added.append(line["text"])
            elif line["op"] == "~":
                removed += [t for op, t in line["words"] if op == "-"]
                added += [t for op, t in line["words"] if op == "+"]
    return " ".join(removed), " ".join(added)


def changed_paragraphs(diff: Diff) -> tuple[str, str]:
    """The changed paragraphs whole, old side and new side: what differs between the texts, and nothing else."""
    old: list[str] = []
    new: list[str] = []
    for hunk in diff.hunks:
        for line in hunk["lines"]:
            if line["op"] == "-":
                old.append(line["text"])
            elif line["op"] == "+":
                new.append(line["text"])
            elif line["op"] == "~":
                old.append(" ".join(t for op, t in line["words"] if op != "+"))
                new.append(" ".join(t for op, t in line["words"] if op != "-"))
    return "\n\n".join(old), "\n\n".join(new)
