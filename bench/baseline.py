"""The raw baseline: the fastest plain thing that answers the API's comparison, provision list and search.

A WSGI app with no framework: psycopg (a connection pool) and orjson, the same SQL the API's selectors
issue, the same result rows (the same platforms, provisions, silences, hits, in the same order) with
the same fields per provision. Served by the same gunicorn configuration as the project
(`gunicorn -c python:conductatlas.gunicorn bench.baseline:application`), with DATABASE_URL set.

    /comparison?category=<slug>[&platforms=a,b]   one category across platforms, versions in force today
    /provisions                                    the first page (50) of published provisions, newest first
    /search?q=<words>                              provisions and documents in force, ranked, top 20
"""

from __future__ import annotations

import os
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs

import orjson
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from provisions import search as search_sql

BASE = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=2, max_size=8, kwargs={"row_factory": dict_row}, open=False)

PROVISION_SQL = """
SELECT p.id, p.code, p.stance, p.summary, p.states, p.permits, p.reserves, p.impact, p.jurisdiction,
       p.product_tier, p.quote, p.start, p."end", p.published_at, p.text_changed_at, p.category_id,
       c.slug AS category_slug, c.name AS category_name,
       d.id AS document_id, d.name AS document_name, d.jurisdiction AS document_jurisdiction,
       d.language, d.product_tier AS document_product_tier, d.platform_id,
       pl.slug AS platform_slug, pl.name AS platform_name,
       t.id AS type_id, t.slug AS type_slug, t.name AS type_name,
       v.id AS version_id, v.sha256, v.recorded_at
FROM provisions_provision p
JOIN provisions_category c ON c.id = p.category_id
JOIN platforms_document d ON d.id = p.document_id
JOIN platforms_platform pl ON pl.id = d.platform_id
JOIN platforms_documenttype t ON t.id = d.document_type_id
JOIN platforms_version v ON v.id = p.version_id
"""


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _secondary(cursor: Any, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if ids:
        cursor.execute(
            "SELECT s.provision_id, c.slug FROM provisions_provision_secondary_categories s "
            "JOIN provisions_category c ON c.id = s.category_id JOIN provisions_topic t ON t.id = c.topic_id "
            "WHERE s.provision_id = ANY(%s) ORDER BY t.position, c.position, c.slug",
            (ids,),
        )
        for row in cursor.fetchall():
            found[row["provision_id"]].append(row["slug"])
    return found


def _name(name: str, type_name: str, jurisdiction: str, product_tier: str) -> str:
    """A document's display name, as platforms.models.Document.compose_display_name makes it."""
    if name:
        return name
    scope = ", ".join(part for part in (jurisdiction, product_tier) if part)
    return f"{type_name} ({scope})" if scope else type_name


def provision_json(row: dict[str, Any], secondary: list[str]) -> dict[str, Any]:
    return {
        "code": row["code"],
        "url": f"{BASE}/api/v1/provisions/{row['code']}/",
        "document": {
            "id": row["document_id"],
            "name": _name(
                row["document_name"], row["type_name"], row["document_jurisdiction"], row["document_product_tier"]
            ),
            "platform": {"id": row["platform_id"], "slug": row["platform_slug"], "name": row["platform_name"]},
            "document_type": {"id": row["type_id"], "slug": row["type_slug"], "name": row["type_name"]},
            "jurisdiction": row["document_jurisdiction"],
            "language": row["language"],
            "product_tier": row["document_product_tier"],
        },
        "category": {"slug": row["category_slug"], "name": row["category_name"]},
        "secondary_categories": secondary,
        "stance": row["stance"],
        "summary": row["summary"],
        "states": row["states"],
        "permits": row["permits"],
        "reserves": row["reserves"],
        "impact": row["impact"],
        "jurisdiction": row["jurisdiction"],
        "product_tier": row["product_tier"],
        "quote": row["quote"],
        "start": row["start"],
        "end": row["end"],
        "version": {"id": row["version_id"], "sha256": row["sha256"], "recorded_at": _iso(row["recorded_at"])},
        "published_at": _iso(row["published_at"]),
        "text_changed_at": _iso(row["text_changed_at"]),
    }


def comparison(cursor: Any, params: dict[str, str]) -> tuple[int, Any]:
    cursor.execute("SELECT id, slug, name, question, stances FROM provisions_category WHERE slug = %s",
                   (params.get("category", ""),))  # fmt: skip
    category = cursor.fetchone()
    if category is None:
        return 404, {"error": "no such category"}
    wanted = [slug for slug in params.get("platforms", "").split(",") if slug]
    if wanted:
        cursor.execute("SELECT id, slug, name FROM platforms_platform WHERE slug = ANY(%s) ORDER BY slug", (wanted,))
    else:
        cursor.execute("SELECT id, slug, name FROM platforms_platform ORDER BY slug")
    platforms = cursor.fetchall()
    end = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time.min, tzinfo=UTC)
    cursor.execute(
        """SELECT d.id, d.platform_id, d.name, d.jurisdiction, d.product_tier, t.slug AS type_slug,
                  t.name AS type_name, v.id AS version_id,
                  v.sha256, v.recorded_at
           FROM platforms_document d JOIN platforms_documenttype t ON t.id = d.document_type_id
           JOIN LATERAL (SELECT id, sha256, recorded_at FROM platforms_version
                         WHERE document_id = d.id AND recorded_at < %s ORDER BY recorded_at DESC, id DESC LIMIT 1) v
             ON true
           WHERE d.platform_id = ANY(%s) ORDER BY d.platform_id, t.position, d.id""",
        (end, [platform["id"] for platform in platforms]),
    )
    documents = cursor.fetchall()
    version_ids = [document["version_id"] for document in documents]
    cursor.execute(
        PROVISION_SQL
        + """WHERE p.state = 'published' AND p.version_id = ANY(%s) AND (p.category_id = %s OR EXISTS (
            SELECT 1 FROM provisions_provision_secondary_categories s WHERE s.provision_id = p.id
            AND s.category_id = %s)) ORDER BY p.published_at DESC, p.id DESC""",
        (version_ids, category["id"], category["id"]),
    )
    provisions = cursor.fetchall()
    secondary = _secondary(cursor, [row["id"] for row in provisions])
    cursor.execute(
        """SELECT s.id, s.note, s.published_at, s.version_id, d.platform_id, t.slug AS type_slug
           FROM provisions_silence s JOIN platforms_document d ON d.id = s.document_id
           JOIN platforms_documenttype t ON t.id = d.document_type_id
           WHERE s.category_id = %s AND s.state = 'published' AND s.version_id = ANY(%s)""",
        (category["id"], version_ids),
    )
    silences = cursor.fetchall()
    by_platform: dict[int, list[dict]] = defaultdict(list)
    for row in provisions:
        by_platform[row["platform_id"]].append(row)
    silent: dict[int, list[dict]] = defaultdict(list)
    for row in silences:
        silent[row["platform_id"]].append(row)
    docs: dict[int, list[dict]] = defaultdict(list)
    for row in documents:
        docs[row["platform_id"]].append(row)
    rows = []
    for platform in platforms:
        own = by_platform.get(platform["id"], [])
        stances = Counter(row["stance"] for row in own if row["category_id"] == category["id"])
        if own:
            status = "addressed"
            stance = stances.most_common(1)[0][0] if len(stances) == 1 else ("mixed" if stances else None)
        elif silent.get(platform["id"]):
            status, stance = "not_addressed", None
        else:
            status, stance = "not_reviewed", None
        rows.append({
            "platform": platform,
            "status": status,
            "stance": stance,
            "provisions": [provision_json(row, secondary.get(row["id"], [])) for row in own],
            "silences": [{"version_id": s["version_id"], "document_type": s["type_slug"], "note": s["note"],
                          "published_at": _iso(s["published_at"])} for s in silent.get(platform["id"], [])],
            "documents": [{"id": d["id"], "document_type": d["type_slug"],
                           "name": _name(d["name"], d["type_name"], d["jurisdiction"], d["product_tier"]),
                           "version": {"id": d["version_id"], "sha256": d["sha256"],
                                       "recorded_at": _iso(d["recorded_at"])}} for d in docs.get(platform["id"], [])],
        })  # fmt: skip
    statuses = Counter(row["status"] for row in rows)
    labels = {stance["slug"]: stance["label"] for stance in category["stances"]}
    by_stance = Counter(row["stance"] for row in rows if row["stance"])
    addressed, not_addressed, unreviewed = (
        statuses.get(key, 0) for key in ("addressed", "not_addressed", "not_reviewed")
    )
    return 200, {
        "category": {"slug": category["slug"], "name": category["name"], "question": category["question"],
                     "stances": category["stances"]},
        "as_of": datetime.now(UTC).date().isoformat(),
        "summary": {"platforms": len(rows), "addressed": addressed, "not_addressed": not_addressed,
                    "not_reviewed": unreviewed,
                    "by_stance": [{"stance": stance, "label": labels.get(stance, stance), "platforms": count}
                                  for stance, count in by_stance.most_common()],
                    "text": f"{category['name']}: identified across {addressed} of {len(rows)} platforms; "
                            f"{not_addressed} do not address it; {unreviewed} not reviewed yet."},
        "rows": rows,
    }  # fmt: skip


def provisions_page(cursor: Any, params: dict[str, str]) -> tuple[int, Any]:
    cursor.execute(PROVISION_SQL + "WHERE p.state = 'published' ORDER BY p.published_at DESC, p.id DESC LIMIT 51")
    rows = cursor.fetchall()
    page, more = rows[:50], len(rows) > 50
    secondary = _secondary(cursor, [row["id"] for row in page])
    return 200, {
        "next": f"{BASE}/api/v1/provisions/?cursor=next" if more else None,
        "previous": None,
        "results": [provision_json(row, secondary.get(row["id"], [])) for row in page],
    }


_ranked_indexes: set[str] = set()
_ranked_known = threading.Event()


def _ranked_by_index(cursor: Any, corpus: search_sql.Corpus) -> bool:
    if not _ranked_known.is_set():
        names = [search_sql.PROVISIONS.ranked_index, search_sql.DOCUMENTS.ranked_index]
        cursor.execute(search_sql.RANKED_INDEXES_SQL, {"names": names})
        _ranked_indexes.update(row["indexname"] for row in cursor.fetchall())
        _ranked_known.set()
    return corpus.ranked_index in _ranked_indexes


def search(cursor: Any, params: dict[str, str]) -> tuple[int, Any]:
    """The project's search, query for query: provisions/search.py's SQL, then the kept hits completed."""
    q = params.get("q", "").strip()
    if not q:
        return 400, {"error": "q"}
    named = {"q": q, "limit": 20}
    cursor.execute(search_sql.TABLE_SIZES_SQL)
    sizes = {row["relname"]: row["reltuples"] for row in cursor.fetchall()}
    ranked, ranking = {}, {}
    for kind, corpus in (("provisions", search_sql.PROVISIONS), ("documents", search_sql.DOCUMENTS)):
        cursor.execute(corpus.estimate_sql(), named)
        plan = cursor.fetchone()["QUERY PLAN"]
        broad = search_sql.search_broad(corpus=corpus, plan=plan, table_rows=sizes[corpus.table])
        cursor.execute(corpus.ranking_sql(broad=broad, by_index=not broad and _ranked_by_index(cursor, corpus)), named)
        ranked[kind] = search_sql.best_first((row["id"], row["rank"]) for row in cursor.fetchall())
        ranking[kind] = "newest_matches" if broad else "all_matches"
    hits_ranked = [("provision", pk, rank) for pk, rank in ranked["provisions"]]
    hits_ranked += [("document", pk, rank) for pk, rank in ranked["documents"]]
    kept = sorted(hits_ranked, key=lambda hit: -hit[2])[:20]
    provision_ids = [pk for kind, pk, _ in kept if kind == "provision"]
    document_ids = [pk for kind, pk, _ in kept if kind == "document"]
    provisions, secondary = {}, {}
    if provision_ids:
        cursor.execute(
            PROVISION_SQL.replace("FROM provisions_provision p", ", ts_headline('english', p.quote, "
                                  "websearch_to_tsquery('english', %(q)s), 'StartSel=<mark>, StopSel=</mark>, "
                                  "MaxFragments=2') AS snippet FROM provisions_provision p")
            + "WHERE p.id = ANY(%(ids)s)",
            {"q": q, "ids": provision_ids},
        )  # fmt: skip
        provisions = {row["id"]: row for row in cursor.fetchall()}
        secondary = _secondary(cursor, provision_ids)
    documents = {}
    if document_ids:
        cursor.execute(search_sql.DOCUMENT_HITS_SQL, {"q": q, "document_ids": document_ids})
        documents = {row["document_id"]: row for row in cursor.fetchall()}
    hits = []
    for kind, pk, rank in kept:
        if kind == "provision":
            row = provisions[pk]
            hits.append({"kind": kind, "rank": rank, "snippet": row["snippet"],
                         "provision": provision_json(row, secondary.get(pk, [])), "document": None,
                         "version_id": None})  # fmt: skip
            continue
        d = documents[pk]
        hits.append({
            "kind": kind, "rank": rank, "snippet": d["snippet"], "provision": None,
            "document": {"id": pk, "name": _name(d["document__name"], d["document__document_type__name"],
                                                 d["document__jurisdiction"], d["document__product_tier"]),
                         "platform": {"id": d["document__platform_id"], "slug": d["document__platform__slug"],
                                      "name": d["document__platform__name"]},
                         "document_type": {"id": d["document__document_type_id"],
                                           "slug": d["document__document_type__slug"],
                                           "name": d["document__document_type__name"]},
                         "jurisdiction": d["document__jurisdiction"], "language": d["document__language"],
                         "product_tier": d["document__product_tier"]},
            "version_id": d["document__current_version_id"],
        })  # fmt: skip
    return 200, {"q": q, "ranking": ranking, "results": hits}


ROUTES: dict[str, Callable[[Any, dict[str, str]], tuple[int, Any]]] = {
    "/comparison": comparison,
    "/provisions": provisions_page,
    "/search": search,
}
REASONS = {200: "200 OK", 400: "400 Bad Request", 404: "404 Not Found"}


_opening = threading.Lock()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if pool.closed:
        # Opened in each worker after the fork, not in the parent: connections do not survive a fork.
        with _opening:
            if pool.closed:
                pool.open()
    handler = ROUTES.get(environ.get("PATH_INFO", "").rstrip("/"))
    if handler is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error": "not found"}']
    params = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    with pool.connection() as connection, connection.cursor() as cursor:
        status, body = handler(cursor, params)
    payload = orjson.dumps(body)
    start_response(REASONS[status], [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]
