"""Generate a benchmark database: `python -m bench.generate --scale S|M|L`.

S = 20 platforms, M = 200, L = 2,000 (10,000 documents, 100,000 versions, about 1 million provisions).
Each platform has 5 documents of 10 versions; a version is ~20 KB of real policy paragraphs (from the
demo texts) and differs from its predecessor by a few paragraphs; each document has 100 published
provisions quoting its texts (60 on the version in force, 40 on earlier ones) and 2 silences.

The schema comes from the project's migrations; rows go in with COPY, with triggers and the full-text
indexes off during the load (then rebuilt), so that L takes minutes. The database is dropped first.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SCALES = {"S": 20, "M": 200, "L": 2000}
DOCUMENTS_PER_PLATFORM = 5
VERSIONS_PER_DOCUMENT = 10
PARAGRAPHS_PER_TEXT = 52  # about 20 KB with the demo corpus's 380-character paragraphs
PROVISIONS_PER_DOCUMENT = 100
PROVISIONS_ON_CURRENT = 60
SILENCES_PER_DOCUMENT = 2
CONTEXT_CHARS = 60  # the prefix and suffix kept around a quote (provisions.anchoring)
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
START = datetime(2023, 1, 1, tzinfo=UTC)


def database_name(scale: str) -> str:
    return f"conductatlas_bench_{scale.lower()}"


def paragraphs() -> list[str]:
    pool: set[str] = set()
    for path in sorted((ROOT / "demo" / "versions").rglob("*.md")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            block = block.strip()
            if 80 <= len(block) <= 1500:
                pool.add(block)
    return sorted(pool)


def recreate(name: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{name}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def copy_rows(cursor: psycopg.Cursor, table: str, columns: list[str], rows: Iterator[tuple]) -> int:
    count = 0
    quoted = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


class Generator:
    def __init__(self, scale: str, seed: int = 7) -> None:
        self.platforms = SCALES[scale]
        self.random = random.Random(seed)
        self.pool = paragraphs()
        self.now = datetime.now(UTC)

    def run(self, connection: psycopg.Connection) -> dict[str, int]:
        counts: dict[str, int] = {}
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            types = [row[0] for row in cursor.execute("SELECT id FROM platforms_documenttype ORDER BY position, id")]
            categories = cursor.execute("SELECT id, stances FROM provisions_category ORDER BY id").fetchall()
            cursor.execute(
                "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
                "is_active, date_joined) VALUES ('!', false, 'bench-editor', '', '', '', true, true, now()), "
                "('!', false, 'bench-reviewer', '', '', '', true, true, now()) RETURNING id"
            )
            author, reviewer = (row[0] for row in cursor.fetchall())
            counts["platforms"] = copy_rows(
                cursor,
                "platforms_platform",
                ["id", "slug", "name", "provider", "website", "hostnames", "kind", "country", "created_at",
                 "updated_at"],
                (
                    (n, f"platform-{n:04d}", f"Platform {n}", f"Provider {n}", f"https://p{n}.example", "[]",
                     "assistant", "US", self.now, self.now)
                    for n in range(1, self.platforms + 1)
                ),
            )  # fmt: skip
            documents: list[tuple] = []
            versions: list[tuple] = []
            provisions: list[tuple] = []
            silences: list[tuple] = []
            document_id = version_id = provision_id = silence_id = 0
            for platform in range(1, self.platforms + 1):
                for type_id in types[:DOCUMENTS_PER_PLATFORM]:
                    document_id += 1
                    chain = self._versions(document_id, version_id)
                    version_id += len(chain)
                    current = chain[-1]
                    documents.append(
                        (document_id, "", "en", "", "", timedelta(hours=12), self.now, self.now, type_id, platform,
                         current["id"], 0)
                    )  # fmt: skip
                    for version in chain:
                        versions.append(
                            (version["id"], version["predecessor_sha256"], version["text"], version["sha256"],
                             version["recorded_at"], None, None, "imported", self.now, document_id,
                             version["predecessor_id"], None, "", False)
                        )  # fmt: skip
                    for index in range(PROVISIONS_PER_DOCUMENT):
                        provision_id += 1
                        version = current if index < PROVISIONS_ON_CURRENT else self.random.choice(chain[:-1])
                        category_id, stances = self.random.choice(categories)
                        provisions.append(self._provision(provision_id, version, document_id, category_id, stances,
                                                          author, reviewer))  # fmt: skip
                    for category_id, _stances in self.random.sample(categories, SILENCES_PER_DOCUMENT):
                        silence_id += 1
                        silences.append(
                            (silence_id, "Searched the whole text.", "published", current["recorded_at"],
                             current["recorded_at"], author, category_id, document_id, reviewer, current["id"])
                        )  # fmt: skip
                if len(versions) >= 5000 or platform == self.platforms:
                    self._flush(cursor, documents, versions, provisions, silences, counts)
                    print(f"  {platform}/{self.platforms} platforms", file=sys.stderr, flush=True)
            for table, column in (
                ("platforms_platform", "id"),
                ("platforms_document", "id"),
                ("platforms_version", "id"),
                ("provisions_provision", "id"),
                ("provisions_silence", "id"),
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT max({column}) FROM {table}))"
                )
            cursor.execute("SET session_replication_role = origin")
        return counts

    def _flush(self, cursor: psycopg.Cursor, documents: list, versions: list, provisions: list, silences: list,
               counts: dict[str, int]) -> None:  # fmt: skip
        # Versions before the documents that point at them, as the foreign keys would have it.
        counts["versions"] = counts.get("versions", 0) + copy_rows(
            cursor,
            "platforms_version",
            ["id", "predecessor_sha256", "text", "sha256", "recorded_at", "stated_updated_on", "effective_on",
             "origin", "created_at", "document_id", "predecessor_id", "snapshot_id", "extractor_version", "technical"],
            iter(versions),
        )  # fmt: skip
        counts["documents"] = counts.get("documents", 0) + copy_rows(
            cursor,
            "platforms_document",
            ["id", "jurisdiction", "language", "product_tier", "name", "check_interval", "created_at", "updated_at",
             "document_type_id", "platform_id", "current_version_id", "consecutive_failures"],
            iter(documents),
        )  # fmt: skip
        counts["provisions"] = counts.get("provisions", 0) + copy_rows(
            cursor,
            "provisions_provision",
            ["id", "code", "start", "end", "quote", "prefix", "suffix", "stance", "summary", "states", "permits",
             "reserves", "impact", "jurisdiction", "product_tier", "state", "review_note", "published_at",
             "created_at", "updated_at", "author_id", "category_id", "document_id", "reviewer_id", "version_id",
             "text_changed_at"],
            iter(provisions),
        )  # fmt: skip
        counts["silences"] = counts.get("silences", 0) + copy_rows(
            cursor,
            "provisions_silence",
            ["id", "note", "state", "published_at", "created_at", "author_id", "category_id", "document_id",
             "reviewer_id", "version_id"],
            iter(silences),
        )  # fmt: skip
        for rows in (documents, versions, provisions, silences):
            rows.clear()

    def _versions(self, document_id: int, first_id: int) -> list[dict]:
        body = self.random.sample(self.pool, PARAGRAPHS_PER_TEXT)
        chain: list[dict] = []
        recorded = START + timedelta(days=self.random.randrange(0, 60), seconds=document_id)
        predecessor: dict | None = None
        for index in range(VERSIONS_PER_DOCUMENT):
            if index:
                for _ in range(self.random.randint(1, 3)):
                    body[self.random.randrange(len(body))] = self.random.choice(self.pool)
                recorded += timedelta(days=self.random.randint(20, 80))
            heading = f"# Document {document_id}\n\nVersion {index + 1}.\n\n"
            text = heading + "\n\n".join(body) + "\n"
            offsets = []
            position = len(heading)
            for paragraph in body:
                offsets.append((position, paragraph))
                position += len(paragraph) + 2
            version = {
                "id": first_id + index + 1,
                "text": text,
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "recorded_at": recorded,
                "predecessor_id": predecessor["id"] if predecessor else None,
                "predecessor_sha256": predecessor["sha256"] if predecessor else "",
                "paragraphs": offsets,
            }
            chain.append(version)
            predecessor = version
        return chain

    def _provision(self, provision_id: int, version: dict, document_id: int, category_id: int, stances: list,
                   author: int, reviewer: int) -> tuple:  # fmt: skip
        start, paragraph = self.random.choice(version["paragraphs"])
        length = min(len(paragraph), self.random.randint(120, 400))
        quote = paragraph[:length]
        text = version["text"]
        end = start + length
        published = version["recorded_at"] + timedelta(hours=self.random.randint(1, 400))
        words = quote.split()
        summary = " ".join(words[: self.random.randint(8, 18)])[:300]
        return (
            provision_id, f"CA-P-{provision_id:06d}", start, end, quote,
            text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS],
            self.random.choice(stances)["slug"], summary,
            " ".join(words[:40]), " ".join(words[5:30]), " ".join(words[10:25]),
            self.random.choice(["low", "medium", "high"]), "", "", "published", "", published, published, published,
            author, category_id, document_id, reviewer, version["id"], None,
        )  # fmt: skip


def rebuild_search(connection: psycopg.Connection) -> None:
    """What the triggers would have written during the load: the documents' stored search vectors."""
    with connection.cursor() as cursor:
        has_column = cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'platforms_document' "
            "AND column_name = 'search_vector'"
        ).fetchone()
        if has_column:
            cursor.execute(
                "UPDATE platforms_document d SET search_vector = to_tsvector('english', v.text) "
                "FROM platforms_version v WHERE v.id = d.current_version_id"
            )


def search_indexes(connection: psycopg.Connection) -> list[tuple[str, str]]:
    """The full-text indexes (GIN, or RUM where migration 0010 could use it): cheaper built once after the load."""
    return connection.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND (indexdef ILIKE '%USING gin%' OR indexdef ILIKE '%USING rum%') "
        "AND tablename IN ('platforms_version', 'platforms_document', 'provisions_provision')"
    ).fetchall()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="S")
    parser.add_argument("--database", help="Default: conductatlas_bench_<scale>.")
    args = parser.parse_args(argv)
    name = args.database or database_name(args.scale)
    started = time.monotonic()
    print(f"Creating {name} (scale {args.scale}: {SCALES[args.scale]} platforms)...", file=sys.stderr)
    recreate(name)
    with psycopg.connect(f"{SERVER}/{name}") as connection:
        indexes = search_indexes(connection)
        for index_name, _definition in indexes:
            connection.execute(f'DROP INDEX "{index_name}"')
        counts = Generator(args.scale).run(connection)
        connection.commit()
        loaded = time.monotonic()
        print(f"  loaded in {loaded - started:.0f} s; rebuilding search vectors and indexes...", file=sys.stderr)
        connection.execute("SET maintenance_work_mem = '1GB'")
        rebuild_search(connection)
        for _index_name, definition in indexes:
            connection.execute(definition)
        connection.commit()
    with psycopg.connect(f"{SERVER}/{name}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    summary = ", ".join(f"{count:,} {table}" for table, count in counts.items())
    print(f"{name}: {summary} in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
