"""Full-text ranking on PostgreSQL: which rows of a searchable table best match a query, and how they were found.

Both searchable tables carry a stored `search_vector` (migration 0008). Ranking reads them in one of three ways:

- **ranked by the index** where the RUM extension is installed (migration 0010): `ORDER BY search_vector <=>
  query LIMIT n` is answered from the index, which keeps each word's positions, so the table is read only for
  the n rows shown. For a one-word query its score is exactly `ts_rank`; for several words RUM's score also
  weighs how near they stand, so the rows it picks can differ from `ts_rank`'s best (they are shown, and merged
  with the other kind, by their `ts_rank` all the same), and rows of equal score are picked in no set order.
  The index still scores every match (it cannot stop early): 9 ms for 16,000 matches at scale L, 0.19 s for
  86,000.
- **ranked by `ts_rank`** over the GIN index's matches where RUM is missing: every match is read and ranked.
- **among the newest matches** when a query is broad: one the planner expects in more than BROAD_SHARE (3 %)
  of the table and in more than the corpus's `candidates` rows ("data", "cookies", "personal data"...).
  Ranking all of them costs time in proportion to the matches (a quarter of a million provisions at scale L:
  0.2 s ranked by the index, 1.4 s by `ts_rank`), while the newest `candidates` matches are found by walking
  the recency index, reading about 1 / BROAD_SHARE rows for each match kept (15-35 ms at L). So a broad query
  is ranked among the 1,000 most recently published provisions, and the 250 documents whose text in force was
  recorded last, that match, and says so:
  `Ranking.NEWEST_MATCHES`. (At scale L the best of them rank within 3 % of the best of all matches.)

bench/README.md has the figures behind these choices.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

SEARCH_CONFIG = "english"
# The share of a table above which a query counts as broad: the recency walk then reads at most 1/BROAD_SHARE
# rows per candidate, and ranking every match would read more than BROAD_SHARE of the table. At 10 %, "personal
# data" (86,000 of a million provisions at scale L, but 30,000 expected) was ranked in full: 0.19 s.
# The planner multiplies the words' frequencies, so words that go together are expected rarer than they
# are ("third parties": 65,000, 5,000 expected): ranked in full from the index, 0.11 s at L. Expecting more
# instead (the rarest word's count) would send words that seldom meet into a walk that can read the table.
BROAD_SHARE = 0.03


class Ranking(StrEnum):
    ALL_MATCHES = "all_matches"
    NEWEST_MATCHES = "newest_matches"


QUERY = f"websearch_to_tsquery('{SEARCH_CONFIG}'::regconfig, %(q)s)"


@dataclass(frozen=True)
class Corpus:
    """A searchable table: the rows that may be found, how to walk them newest first, its RUM index.

    Its SQL takes the named parameters `q` (and `limit`), so that the raw baseline (bench/baseline.py) runs
    exactly the project's queries.
    """

    table: str
    searchable: str  # a SQL condition on the table's own columns
    newest_first: str  # an ORDER BY served by a btree index on the same rows
    ranked_index: str
    candidates: int  # a broad query is ranked among this many of its newest matches (a whole policy is costlier)

    def estimate_sql(self) -> str:
        return f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {self.table} WHERE {self.searchable} AND search_vector @@ {QUERY}"

    def ranking_sql(self, *, broad: bool, by_index: bool) -> str:
        """(id, ts_rank) of the `limit` best rows: among the `candidates` newest matches when `broad`, else all
        of them, read in rank order from the RUM index when `by_index`."""
        where = f"{self.searchable} AND search_vector @@ query"
        if broad:
            return (
                f"SELECT id, ts_rank(search_vector, query) AS rank FROM ("
                f"SELECT id, search_vector FROM {self.table}, {QUERY} query WHERE {where} "
                f"ORDER BY {self.newest_first} LIMIT {int(self.candidates)}"
                f") newest, {QUERY} query ORDER BY rank DESC, id LIMIT %(limit)s"
            )
        if by_index:
            return (
                f"SELECT id, ts_rank(search_vector, query) AS rank FROM {self.table}, {QUERY} query "
                f"WHERE {where} ORDER BY search_vector <=> query LIMIT %(limit)s"
            )
        return (
            f"SELECT id, ts_rank(search_vector, query) AS rank FROM {self.table}, {QUERY} query "
            f"WHERE {where} ORDER BY rank DESC, id LIMIT %(limit)s"
        )


PROVISIONS = Corpus(
    table="provisions_provision",
    searchable="state = 'published'",
    newest_first="published_at DESC, id DESC",  # the `provision_recent` index
    ranked_index="provision_search_ranked",
    candidates=1000,
)
DOCUMENTS = Corpus(
    table="platforms_document",
    searchable="current_version_id IS NOT NULL",
    # Version ids grow as versions are recorded; the one-to-one's unique index serves the walk.
    newest_first="current_version_id DESC",
    ranked_index="document_search_ranked",
    candidates=250,
)
TABLE_SIZES_SQL = (
    "SELECT relname, reltuples FROM pg_class "
    f"WHERE oid IN ('{PROVISIONS.table}'::regclass, '{DOCUMENTS.table}'::regclass)"
)


def search_broad(*, corpus: Corpus, plan: Any, table_rows: float) -> bool:
    """Whether an estimate (EXPLAIN's JSON) of more than `corpus.candidates` matches is above BROAD_SHARE of
    the table.

    The planner's estimate comes from the column's statistics (its most common words and their frequencies),
    costs no read of the table, and is what PostgreSQL itself plans by. A word missing from the statistics is
    estimated rare, which it is. A table never analysed (`table_rows` < 0) is taken as small.
    """
    matches = float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
    return matches > corpus.candidates and table_rows > 0 and matches > BROAD_SHARE * table_rows


def best_first(rows: Iterable[tuple[int, float]]) -> list[tuple[int, float]]:
    """Best rank first, ties by id: the index orders by rank alone, the other two orders also by id."""
    return sorted(((row_id, float(rank)) for row_id, rank in rows), key=lambda row: (-row[1], row[0]))


@dataclass(frozen=True)
class Ranked:
    """The best rows of one corpus: (id, ts_rank) best first, ties by id, and how they were ranked."""

    rows: list[tuple[int, float]]
    ranking: Ranking


# The corpora's RUM indexes that the database has. Parameters: `names`.
RANKED_INDEXES_SQL = (
    "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%(names)s) AND indexdef ILIKE '%%using rum%%'"
)


def search_ranked_indexes(*, using: BaseDatabaseWrapper) -> frozenset[str]:
    """Which of the corpora's RUM indexes the database behind `using` has (read each time)."""
    with using.cursor() as cursor:
        cursor.execute(RANKED_INDEXES_SQL, {"names": [PROVISIONS.ranked_index, DOCUMENTS.ranked_index]})
        return frozenset(name for (name,) in cursor.fetchall())


@cache
def _ranked_indexes(database: str) -> frozenset[str]:
    return search_ranked_indexes(using=connection)


def search_ranked_by_index(*, corpus: Corpus) -> bool:
    """Whether the corpus has its RUM index, read once per process and database (migrations add it)."""
    return corpus.ranked_index in _ranked_indexes(str(connection.settings_dict["NAME"]))


def search_table_sizes() -> dict[str, float]:
    """The planner's row count of each searchable table (`reltuples`: -1 before its first ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(TABLE_SIZES_SQL)
        return {name: float(rows) for name, rows in cursor.fetchall()}


def search_is_broad(*, corpus: Corpus, q: str, table_rows: float) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(corpus.estimate_sql(), {"q": q})
        (plan,) = cursor.fetchone()
    return search_broad(corpus=corpus, plan=plan, table_rows=table_rows)


def search_rank(*, corpus: Corpus, q: str, limit: int, table_rows: dict[str, float]) -> Ranked:
    """The `limit` best rows of `corpus` for `q` (web-search syntax), best first; `table_rows` as
    search_table_sizes gives them."""
    broad = search_is_broad(corpus=corpus, q=q, table_rows=table_rows.get(corpus.table, -1))
    sql = corpus.ranking_sql(broad=broad, by_index=not broad and search_ranked_by_index(corpus=corpus))
    with connection.cursor() as cursor:
        cursor.execute(sql, {"q": q, "limit": limit})
        rows = best_first(cursor.fetchall())
    return Ranked(rows, Ranking.NEWEST_MATCHES if broad else Ranking.ALL_MATCHES)


# The document hits kept, in one query: each document as selectors.document_refs gives it (its platform and
# type), with a highlighted passage of its text in force as `snippet`.
#
# `ts_headline` parses all the text it is given: a whole 20 KB policy costs milliseconds, twenty of them more
# than the search. It is given a window around the first occurrence, in lower, title or upper case, of a stem
# of the query (a stem starts most forms of its word: "train" in "training") or of a query word that its stem
# does not start ("company", stemmed "compani"; stop words are no clue), or the whole text when none occurs
# literally. Parameters: `q`, `document_ids`.
DOCUMENT_HITS = {
    "document_id": "d.id",
    "document__name": "d.name",
    "document__jurisdiction": "d.jurisdiction",
    "document__language": "d.language",
    "document__product_tier": "d.product_tier",
    "document__current_version_id": "d.current_version_id",
    "document__platform_id": "d.platform_id",
    "document__platform__slug": "pl.slug",
    "document__platform__name": "pl.name",
    "document__document_type_id": "d.document_type_id",
    "document__document_type__slug": "dt.slug",
    "document__document_type__name": "dt.name",
}
DOCUMENT_HITS_SQL = f"""
WITH query AS (SELECT {QUERY} AS query),
stems AS (SELECT unnest(tsvector_to_array(to_tsvector('{SEARCH_CONFIG}'::regconfig, %(q)s))) AS stem),
needles AS (
    SELECT stem AS needle FROM stems
    UNION SELECT word FROM regexp_split_to_table(lower(%(q)s), '\\W+') AS word
    WHERE to_tsvector('{SEARCH_CONFIG}'::regconfig, word) <> ''::tsvector
        AND NOT EXISTS (SELECT 1 FROM stems WHERE starts_with(word, stem))
),
spellings AS MATERIALIZED (
    SELECT DISTINCT unnest(ARRAY[needle, initcap(needle), upper(needle)]) AS spelling FROM needles
),
-- The text detoasted once, not once per spelling.
hits AS MATERIALIZED (
    SELECT {", ".join(f'{column} AS "{name}"' for name, column in DOCUMENT_HITS.items())}, v.text || '' AS text
    FROM platforms_document d JOIN platforms_platform pl ON pl.id = d.platform_id
    JOIN platforms_documenttype dt ON dt.id = d.document_type_id
    JOIN platforms_version v ON v.id = d.current_version_id
    WHERE d.id = ANY(%(document_ids)s)
)
SELECT {", ".join(f'"{name}"' for name in DOCUMENT_HITS)}, ts_headline('{SEARCH_CONFIG}'::regconfig,
           CASE WHEN found.at IS NULL THEN text ELSE substr(text, greatest(1, found.at - 100), 400) END,
           query.query, 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2') AS snippet
FROM hits CROSS JOIN query
CROSS JOIN LATERAL (SELECT min(nullif(strpos(text, spelling), 0)) AS at FROM spellings) found
"""


def search_document_hits(*, document_ids: list[int], q: str) -> dict[int, dict[str, Any]]:
    """DOCUMENT_HITS_SQL's rows by document id."""
    if not document_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(DOCUMENT_HITS_SQL, {"q": q, "document_ids": document_ids})
        names = [column.name for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
