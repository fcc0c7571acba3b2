"""Import an Open Terms Archive versions repository (a path or a `.bundle`), commit by commit.

Git is read with two processes for the whole history, never one per commit: one `git log` lists
every commit with the file it touched, and one `git cat-file --batch` streams the blobs in the same
order, so memory holds one text at a time. Each commit's text goes through `version_record`:

- "First record of <Service> <Terms type>" and "Record new changes of ..." record the terms as
  they changed (origin `imported`);
- "Apply technical or declaration upgrade on ..." records a technical upgrade (the extraction
  changed, not the terms), which must never alert anyone.

The commit date is the recorded date. A commit already imported is skipped, so a second run
records nothing new.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from platforms.archiving.recording import PendingText, pending_text, versions_record_many
from platforms.models import Check, Document, DocumentType, Platform, Version
from platforms.selectors import document_type_resolve

RECORD_PREFIXES = {
    "First record of ": False,
    "Record new changes of ": False,
    "Apply technical or declaration upgrade on ": True,
}
RECORD_SEPARATOR = "\x1e"
FIELD_SEPARATOR = "\x1f"
BATCH_SIZE = 100
BATCH_BYTES = 4 * 1024 * 1024


class HistoryError(Exception):
    """The repository cannot be read; the message says why in one line."""


@dataclass(frozen=True)
class HistoryCommit:
    sha: str
    recorded_at: datetime
    subject: str
    path: str
    technical: bool


@dataclass
class HistorySummary:
    commits: int = 0
    versions: int = 0
    technical: int = 0
    unchanged: int = 0
    skipped: int = 0
    ignored: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"Read {self.commits} records: {self.versions} new versions ({self.technical} technical upgrades), "
            f"{self.unchanged} unchanged, {self.skipped} already imported, {self.ignored} ignored, "
            f"{len(self.problems)} problems."
        )


def _git(*args: str, cwd: Path) -> list[str]:
    return ["git", "-c", "core.quotepath=false", "-C", str(cwd), *args]


def history_commits(*, repository: Path) -> Iterator[HistoryCommit | str]:
    """Every commit that records a document, oldest first; a string for each commit that does not."""
    command = _git(
        "log",
        "--reverse",
        "--no-renames",
        "--no-merges",
        f"--format={RECORD_SEPARATOR}%H{FIELD_SEPARATOR}%cI{FIELD_SEPARATOR}%s",
        "--name-status",
        cwd=repository,
    )
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8") as process:
        assert process.stdout is not None
        buffer: list[str] = []
        for line in process.stdout:
            if line.startswith(RECORD_SEPARATOR) and buffer:
                yield _commit_parse(buffer)
                buffer = []
            buffer.append(line.rstrip("\n"))
        if buffer:
            yield _commit_parse(buffer)
    if process.returncode:
        raise HistoryError(f"git log failed in {repository} (exit {process.returncode})")


def _commit_parse(lines: list[str]) -> HistoryCommit | str:
    sha, date, subject = lines[0].lstrip(RECORD_SEPARATOR).split(FIELD_SEPARATOR, 2)
    changes = [line.split("\t", 1) for line in lines[1:] if "\t" in line]
    technical = next((value for prefix, value in RECORD_PREFIXES.items() if subject.startswith(prefix)), None)
    files = [path for status, path in changes if status in ("A", "M") and path.endswith(".md") and "/" in path]
    if technical is None or len(files) != 1:
        return f"{sha[:10]} {subject!r}"
    return HistoryCommit(
        sha=sha, recorded_at=datetime.fromisoformat(date), subject=subject, path=files[0], technical=technical
    )


class BlobReader:
    """One `git cat-file --batch` process for the whole import."""

    def __init__(self, repository: Path) -> None:
        self.process = subprocess.Popen(
            _git("cat-file", "--batch", cwd=repository), stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def read(self, *, sha: str, path: str) -> bytes:
        stdin: IO[bytes] | None = self.process.stdin
        stdout: IO[bytes] | None = self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(f"{sha}:{path}\n".encode())
        stdin.flush()
        header = stdout.readline().decode().split()
        if len(header) != 3 or header[1] != "blob":
            raise HistoryError(f"git cat-file found no blob for {sha}:{path}")
        content = stdout.read(int(header[2]))
        stdout.read(1)
        return content

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def _repository_open(path: Path, workdir: Path) -> Path:
    if path.is_file() and path.suffix == ".bundle":
        target = workdir / "repository"
        result = subprocess.run(
            ["git", "clone", "--quiet", "--bare", str(path), str(target)], capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise HistoryError(f"{path} is not a readable git bundle: {result.stderr.strip()}")
        return target
    if not path.is_dir():
        raise HistoryError(f"{path} is neither a git repository nor a .bundle file")
    check = subprocess.run(_git("rev-parse", "--git-dir", cwd=path), capture_output=True, check=False)
    if check.returncode:
        raise HistoryError(f"{path} is not a git repository")
    return path


class _Documents:
    """Platforms and documents by OTA service and terms type, looked up once each."""

    def __init__(self, summary: HistorySummary) -> None:
        self.summary = summary
        self.cache: dict[tuple[str, str], Document | None] = {}
        self.types: dict[str, DocumentType | None] = {}

    def get(self, path: str) -> Document | None:
        service, terms_file = path.split("/", 1)
        terms_type = terms_file.removesuffix(".md")
        key = (service, terms_type)
        if key not in self.cache:
            if terms_type not in self.types:
                self.types[terms_type] = document_type_resolve(name=terms_type)
                if self.types[terms_type] is None:
                    self.summary.problems.append(f"unknown terms type {terms_type!r}: its records are skipped")
            document_type = self.types[terms_type]
            slug = slugify(service)
            if document_type is None or not slug:
                self.cache[key] = None
            else:
                platform, _ = Platform.objects.get_or_create(slug=slug, defaults={"name": service})
                self.cache[key], _ = Document.objects.get_or_create(
                    platform=platform, document_type=document_type, jurisdiction="", language="en", product_tier=""
                )
        return self.cache[key]


def _imported_keys() -> set[tuple[int, datetime, str]]:
    versions = Version.objects.filter(origin=Version.Origin.IMPORTED).values_list(
        "document_id", "recorded_at", "sha256"
    )
    checks = Check.objects.filter(outcome=Check.Outcome.UNCHANGED).values_list(
        "document_id", "checked_at", "version__sha256"
    )
    return {*versions.iterator(chunk_size=5000), *checks.iterator(chunk_size=5000)}


def history_import(*, path: Path, on_progress: Callable[[str], None] | None = None) -> HistorySummary:
    """Import every record, document by document (each in date order), in chunks of one INSERT each.

    The chain of versions is per document, so documents are independent: grouping the records by
    document lets each chunk be recorded under one lock with one multi-row INSERT, while
    `git cat-file` still streams one blob at a time.
    """
    summary = HistorySummary()
    with tempfile.TemporaryDirectory(prefix="ota-history-") as workdir:
        repository = _repository_open(path, Path(workdir))
        by_path: dict[str, list[HistoryCommit]] = {}
        for item in history_commits(repository=repository):
            if isinstance(item, str):
                summary.ignored += 1
            else:
                summary.commits += 1
                by_path.setdefault(item.path, []).append(item)
        # Git's order is not always the dates' order (some records were committed with earlier dates);
        # a document's chain follows its dates, git's order only breaking ties.
        for items in by_path.values():
            items.sort(key=lambda item: item.recorded_at)
        done = _imported_keys()
        documents = _Documents(summary)
        blobs = BlobReader(repository)
        try:
            for number, (file_path, items) in enumerate(by_path.items(), start=1):
                document = documents.get(file_path)
                if document is None:
                    summary.ignored += len(items)
                    continue
                _document_import(document=document, items=items, blobs=blobs, done=done, summary=summary)
                if on_progress:
                    on_progress(f"[{number}/{len(by_path)}] {file_path}: {len(items)} records")
        finally:
            blobs.close()
    return summary


def _document_import(
    *,
    document: Document,
    items: list[HistoryCommit],
    blobs: BlobReader,
    done: set[tuple[int, datetime, str]],
    summary: HistorySummary,
) -> None:
    """One document's records, flushed in chunks bounded in count and bytes so memory stays flat."""
    pendings: list[PendingText] = []
    kept: list[HistoryCommit] = []
    size = 0
    for item in items:
        content = blobs.read(sha=item.sha, path=item.path)
        try:
            pending = pending_text(text=content.decode("utf-8"), recorded_at=item.recorded_at, technical=item.technical)
        except UnicodeDecodeError:
            summary.problems.append(f"{item.sha[:10]} {item.path}: not UTF-8, skipped")
            continue
        except ValidationError as error:
            summary.problems.append(f"{item.sha[:10]} {item.path}: {'; '.join(error.messages)}")
            continue
        if (document.pk, item.recorded_at, pending.sha256) in done:
            summary.skipped += 1
            continue
        pendings.append(pending)
        kept.append(item)
        size += len(pending.text)
        if len(pendings) >= BATCH_SIZE or size >= BATCH_BYTES:
            _chunk_record(document=document, pendings=pendings, items=kept, summary=summary)
            pendings, kept, size = [], [], 0
    _chunk_record(document=document, pendings=pendings, items=kept, summary=summary)


def _chunk_record(
    *, document: Document, pendings: list[PendingText], items: list[HistoryCommit], summary: HistorySummary
) -> None:
    result = versions_record_many(document=document, pendings=pendings, origin=Version.Origin.IMPORTED)
    summary.versions += result.versions
    summary.technical += result.technical
    summary.unchanged += result.checks
    for index, message in result.refused:
        summary.problems.append(f"{items[index].sha[:10]} {items[index].path}: {message}")
