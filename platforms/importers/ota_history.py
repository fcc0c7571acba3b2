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
from django.db import transaction
from django.utils.text import slugify

from platforms.archiving.recording import text_normalise, text_sha256, version_record
from platforms.models import Check, Document, DocumentType, Platform, Version
from platforms.selectors import document_type_resolve

RECORD_PREFIXES = {
    "First record of ": False,
    "Record new changes of ": False,
    "Apply technical or declaration upgrade on ": True,
}
RECORD_SEPARATOR = "\x1e"
FIELD_SEPARATOR = "\x1f"


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
    summary = HistorySummary()
    with tempfile.TemporaryDirectory(prefix="ota-history-") as workdir:
        repository = _repository_open(path, Path(workdir))
        done = _imported_keys()
        documents = _Documents(summary)
        blobs = BlobReader(repository)
        try:
            for item in history_commits(repository=repository):
                if isinstance(item, str):
                    summary.ignored += 1
                    continue
                summary.commits += 1
                _commit_import(item=item, blobs=blobs, documents=documents, done=done, summary=summary)
                if on_progress and summary.commits % 250 == 0:
                    on_progress(f"[{summary.commits}] {item.recorded_at:%Y-%m-%d} {item.path}")
        finally:
            blobs.close()
    return summary


def _commit_import(
    *,
    item: HistoryCommit,
    blobs: BlobReader,
    documents: _Documents,
    done: set[tuple[int, datetime, str]],
    summary: HistorySummary,
) -> None:
    document = documents.get(item.path)
    content = blobs.read(sha=item.sha, path=item.path)
    if document is None:
        summary.ignored += 1
        return
    try:
        text = text_normalise(text=content.decode("utf-8"))
    except UnicodeDecodeError:
        summary.problems.append(f"{item.sha[:10]} {item.path}: not UTF-8, skipped")
        return
    if not text:
        summary.problems.append(f"{item.sha[:10]} {item.path}: empty, skipped")
        return
    if (document.pk, item.recorded_at, text_sha256(text=text)) in done:
        summary.skipped += 1
        return
    try:
        with transaction.atomic():
            result = version_record(
                document=document,
                text=text,
                origin=Version.Origin.IMPORTED,
                recorded_at=item.recorded_at,
                technical=item.technical,
            )
    except ValidationError as error:
        summary.problems.append(f"{item.sha[:10]} {item.path}: {'; '.join(error.messages)}")
        return
    if result.version is not None:
        summary.versions += 1
        summary.technical += int(item.technical)
    else:
        summary.unchanged += 1
