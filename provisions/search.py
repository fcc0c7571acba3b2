"""Full-text ranking on PostgreSQL: which rows of a searchable table best match a query, and how they were found.

Both searchable tables carry a stored `search_vector` (migration 0008). Ranking reads them in one of three ways:

- **ranked by the index** where the RUM extension is installed (migration 0010): `ORDER BY search_vector <=>
  query LIMIT n` is answered from the index, which keeps each word's positions, so only the n rows shown are
  read; the distance is exactly `1 / ts_rank`, so the order is PostgreSQL's `ts_rank`.
- **ranked by `ts_rank`** over the GIN index's matches where RUM is missing: every match is read and ranked.
- **among the newest matches** when a query is broad: one the planner expects in more than a tenth of the
  table and in more than CANDIDATES rows ("data", "information"...). Ranking all of them costs time in
  proportion to the matches (a quarter of a million provisions at scale L: 0.2 s ranked by the index, 1.4 s
  by `ts_rank`), while the newest CANDIDATES matches are found by walking the recency index, reading at most
  ten rows for each match kept. So a broad query is ranked among the CANDIDATES most recently published
  provisions (documents: most recently recorded texts) that match, and says so: `Ranking.NEWEST_MATCHES`.

bench/README.md has the figures behind these choices.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from django.db import connection

SEARCH_CONFIG = "english"
# A broad query is ranked among this many of its newest matches.
CANDIDATES = 1000
# The share of a table above which a query counts as broad: the recency walk then reads at most 1/BROAD_SHARE
# rows per candidate, and ranking every match would read more than BROAD_SHARE of the table.
BROAD_SHARE = 0.1


class Ranking(StrEnum):
    ALL_MATCHES = "all_matches"
    NEWEST_MATCHES = "newest_matches"


@dataclass(frozen=True)
class Corpus:
    """A searchable table: the rows that may be found, how to walk them newest first, its RUM index."""

    table: str
    searchable: str  # a SQL condition on the table's own columns
    newest_first: str  # an ORDER BY served by a btree index on the same rows
    ranked_index: str


PROVISIONS = Corpus(
    table="provisions_provision",
    searchable="state = 'published'",
    newest_first="published_at DESC, id DESC",  # the `provision_recent` index
    ranked_index="provision_search_ranked",
)
DOCUMENTS = Corpus(
    table="platforms_document",
    searchable="current_version_id IS NOT NULL",
    # Version ids grow as versions are recorded; the one-to-one's unique index serves the walk.
    newest_first="current_version_id DESC",
    ranked_index="document_search_ranked",
)


@dataclass(frozen=True)
class Ranked:
    """The best rows of one corpus: (id, ts_rank) best first, ties by id, and how they were ranked."""

    rows: list[tuple[int, float]]
    ranking: Ranking


@cache
def _ranked_indexes(database: str) -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN (%s, %s) AND indexdef ILIKE %s",
            [PROVISIONS.ranked_index, DOCUMENTS.ranked_index, "%using rum%"],
        )
        return frozenset(name for (name,) in cursor.fetchall())


def search_ranked_by_index(*, corpus: Corpus) -> bool:
    """Whether the corpus has its RUM index, read once per process and database (migrations add it)."""
    return corpus.ranked_index in _ranked_indexes(str(connection.settings_dict["NAME"]))


def search_table_sizes() -> dict[str, float]:
    """The planner's row count of each searchable table (`reltuples`: -1 before its first ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE oid IN (%s::regclass, %s::regclass)",
            [PROVISIONS.table, DOCUMENTS.table],
        )
        return {name: float(rows) for name, rows in cursor.fetchall()}


def search_is_broad(*, corpus: Corpus, q: str, table_rows: float) -> bool:
    """Whether the planner expects `q` to match more than BROAD_SHARE of the corpus and more than CANDIDATES rows.

    The planner's estimate comes from the column's statistics (its most common words and their frequencies),
    costs no read of the table, and is what PostgreSQL itself plans by. A word missing from the statistics is
    estimated rare, which it is. A table never analysed (`table_rows` < 0) is taken as small.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {corpus.table} WHERE {corpus.searchable} "  # noqa: S608  # constants
            "AND search_vector @@ websearch_to_tsquery(%s::regconfig, %s)",
            [SEARCH_CONFIG, q],
        )
        (plan,) = cursor.fetchone()
    matches = float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
    return matches > CANDIDATES and table_rows > 0 and matches > BROAD_SHARE * table_rows


def search_rank(*, corpus: Corpus, q: str, limit: int, table_rows: dict[str, float]) -> Ranked:
    """The `limit` best rows of `corpus` for `q` (web-search syntax), best first; `table_rows` as
    search_table_sizes gives them."""
    query = f"websearch_to_tsquery('{SEARCH_CONFIG}'::regconfig, %s)"
    where = f"{corpus.searchable} AND search_vector @@ query"
    if search_is_broad(corpus=corpus, q=q, table_rows=table_rows.get(corpus.table, -1)):
        sql = (
            f"SELECT id, ts_rank(search_vector, query) AS rank FROM ("  # noqa: S608  # constants only
            f"  SELECT id, search_vector FROM {corpus.table}, {query} query WHERE {where}"
            f"  ORDER BY {corpus.newest_first} LIMIT %s"
            f") newest, {query} query ORDER BY rank DESC, id LIMIT %s"
        )
        params: list[str | int] = [q, CANDIDATES, q, limit]
        ranking = Ranking.NEWEST_MATCHES
    elif search_ranked_by_index(corpus=corpus):
        sql = (
            f"SELECT id, ts_rank(search_vector, query) FROM {corpus.table}, {query} query "  # noqa: S608
            f"WHERE {where} ORDER BY search_vector <=> query LIMIT %s"
        )
        params, ranking = [q, limit], Ranking.ALL_MATCHES
    else:
        sql = (
            f"SELECT id, ts_rank(search_vector, query) AS rank FROM {corpus.table}, {query} query "  # noqa: S608
            f"WHERE {where} ORDER BY rank DESC, id LIMIT %s"
        )
        params, ranking = [q, limit], Ranking.ALL_MATCHES
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [(row_id, float(rank)) for row_id, rank in cursor.fetchall()]
    # The index orders by rank only: ties are put in id order here, as the other two orders have them.
    return Ranked(sorted(rows, key=lambda row: (-row[1], row[0])), ranking)


def search_headlines(*, version_ids: list[int], q: str) -> dict[int, str]:
    """A highlighted passage of each version's text, taken around the first place a word of `q` appears.

    `ts_headline` parses all the text it is given: a whole 20 KB policy costs milliseconds, twenty of them
    more than the search. It is given a window around the first occurrence, in lower, title or upper case,
    of a stem of the query (a stem starts most forms of its word: "train" in "training") or of a query word
    that its stem does not start ("company", stemmed "compani"; stop words are no clue), or the whole text
    when none occurs literally.
    """
    if not version_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH query AS (SELECT websearch_to_tsquery('{SEARCH_CONFIG}'::regconfig, %s) AS query),
            stems AS (SELECT unnest(tsvector_to_array(to_tsvector('{SEARCH_CONFIG}'::regconfig, %s))) AS stem),
            needles AS (
                SELECT stem AS needle FROM stems
                UNION SELECT word FROM regexp_split_to_table(lower(%s), '\\W+') AS word
                WHERE to_tsvector('{SEARCH_CONFIG}'::regconfig, word) <> ''::tsvector
                    AND NOT EXISTS (SELECT 1 FROM stems WHERE starts_with(word, stem))
            ),
            spellings AS MATERIALIZED (
                SELECT DISTINCT unnest(ARRAY[needle, initcap(needle), upper(needle)]) AS spelling FROM needles
            ),
            -- Detoasted once, not once per spelling.
            texts AS MATERIALIZED (SELECT id, text || '' AS text FROM platforms_version WHERE id = ANY(%s))
            SELECT t.id, ts_headline('{SEARCH_CONFIG}'::regconfig,
                       CASE WHEN found.at IS NULL THEN t.text ELSE substr(t.text, greatest(1, found.at - 100), 400) END,
                       query.query, 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2')
            FROM texts t CROSS JOIN query
            CROSS JOIN LATERAL (SELECT min(nullif(strpos(t.text, spelling), 0)) AS at FROM spellings) found
            """,  # noqa: S608  # the configuration is a constant
            [q, q, q, version_ids],
        )
        return dict(cursor.fetchall())
