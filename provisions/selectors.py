"""Reads of what documents say: categories, published provisions, and the cross-platform comparison."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import CharField, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, LPad
from django.utils import timezone

from platforms.models import Document, DocumentType, Platform, Version
from provisions import search
from provisions.models import (
    Article,
    Category,
    CategoryArticle,
    Finding,
    Framework,
    Provision,
    ReviewState,
    Silence,
    Topic,
)


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.prefetch_related("categories").order_by("position", "slug")


def category_list() -> QuerySet[Category]:
    published = Provision.objects.filter(category=OuterRef("pk"), state=ReviewState.PUBLISHED).order_by()
    return Category.objects.select_related("topic").annotate(
        provision_count=Coalesce(
            Subquery(published.values("category").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        platform_count=Coalesce(
            Subquery(
                published.values("category").annotate(n=Count("document__platform", distinct=True)).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


def provision_list() -> QuerySet[Provision]:
    """Published provisions only: drafts and review notes are for editors."""
    return (
        Provision.objects.filter(state=ReviewState.PUBLISHED)
        .select_related("category", "document__platform", "document__document_type", "version")
        .defer("version__text")
        .prefetch_related("secondary_categories")
        .order_by("-published_at", "-id")
    )


# A provision's own columns and its category's, read as values: instantiating six models per provision is most
# of what a large read costs, and joining five tables in one query costs PostgreSQL more to plan than to run
# (bench/README.md); the small categories table joins cheaply.
PROVISION_VALUES = (
    "id", "code", "stance", "summary", "states", "permits", "reserves", "impact", "jurisdiction", "product_tier",
    "quote", "start", "end", "published_at", "text_changed_at", "category_id", "category__slug", "category__name",
    "document_id", "version_id",
)  # fmt: skip


DOCUMENT_REF_VALUES = (
    "name", "jurisdiction", "language", "product_tier", "current_version_id", "platform_id", "platform__slug",
    "platform__name", "document_type_id", "document_type__slug", "document_type__name",
)  # fmt: skip


POSITION_DIGITS = 10  # wider than any PositiveSmallIntegerField


def provision_values(provisions: QuerySet[Provision], *extra: str) -> QuerySet[Provision, dict[str, Any]]:
    """`provisions` as rows of PROVISION_VALUES (and `extra`) with their secondary categories' slugs, for
    provision_rows: a correlated subquery, planned apart, so the rows and their categories come in one query."""
    through = Provision.secondary_categories.through
    # Each slug behind its topic's and its own position, zero-padded, so that sorting the strings puts them in the
    # taxonomy's order (Category's Meta.ordering, as the serializer lists them); an ORDER BY inside the aggregate
    # would say it directly, but SQLite before 3.44 (the embedded demo's) has none.
    sortable = Concat(
        *(
            LPad(Cast(f"category__{field}", CharField()), POSITION_DIGITS, Value("0"))
            for field in ("topic__position", "position")
        ),
        "category__slug",
        output_field=CharField(),
    )
    grouped = through.objects.filter(provision_id=OuterRef("pk")).values("provision_id")
    slugs = grouped.annotate(slugs=StringAgg(sortable, Value(","))).values(
        "slugs"  # type: ignore[misc]  # django-stubs cannot see an annotation made after values()
    )
    return provisions.annotate(secondary_slugs=Subquery(slugs, output_field=CharField())).values(
        *PROVISION_VALUES, "secondary_slugs", *extra
    )


def _document_ref(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    return {f"document__{key}": row[f"{prefix}{key}"] for key in DOCUMENT_REF_VALUES}


def document_refs(*, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Documents by id as rows of `document_id` and `document__<DOCUMENT_REF_VALUES>`, in one query (none for none)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        row["id"]: {"document_id": row["id"], **_document_ref(row)}
        for row in Document.objects.filter(pk__in=wanted).values("id", *DOCUMENT_REF_VALUES)
    }


def provision_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of provision_values, completed with their version, document, platform, type and secondary categories.

    One small query whatever the number of rows, by primary keys: the versions with their documents (a
    provision's version is always of its document).
    """
    listed = list(rows)
    if not listed:
        return listed
    in_document = [f"document__{key}" for key in DOCUMENT_REF_VALUES]
    versions = {
        row["id"]: row
        for row in Version.objects.filter(pk__in={row["version_id"] for row in listed}).values(
            "id", "sha256", "recorded_at", *in_document
        )
    }
    for row in listed:
        version = versions[row["version_id"]]
        row.update(_document_ref(version, "document__"))
        row["version__sha256"], row["version__recorded_at"] = version["sha256"], version["recorded_at"]
        # Slugs are letters, digits and hyphens: a comma cannot be part of one.
        found = row.pop("secondary_slugs")
        row["secondary"] = [entry[2 * POSITION_DIGITS :] for entry in sorted(found.split(","))] if found else []
    return listed


def provision_detail_queryset() -> QuerySet[Provision]:
    return (
        Provision.objects.filter(state=ReviewState.PUBLISHED)
        .select_related("category", "document__platform", "document__document_type", "version")
        .prefetch_related("secondary_categories")
    )


@dataclass
class ComparisonRow:
    platform: Platform
    status: str
    stance: str | None
    provisions: list[dict[str, Any]] = field(default_factory=list)  # rows of PROVISION_VALUES
    silences: list[Silence] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Comparison:
    category: Category
    as_of: date
    rows: list[ComparisonRow]
    summary: dict[str, Any]


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def comparison_for_category(
    *,
    category: Category,
    platforms: list[Platform] | None = None,
    document_type: DocumentType | None = None,
    as_of: date | None = None,
) -> Comparison:
    """For each platform: the published provisions and silences on the versions in force at `as_of`.

    A platform is `addressed` (provisions), `not_addressed` (a reviewed silence and no provision) or
    `not_reviewed`. Five queries whatever the number of platforms.
    """
    day = as_of or timezone.now().date()
    end = _end_of(day)
    platform_rows = (
        sorted(platforms, key=lambda p: p.slug) if platforms is not None else list(Platform.objects.order_by("slug"))
    )
    documents = Document.objects.filter(platform__in=platform_rows)
    if document_type is not None:
        documents = documents.filter(document_type=document_type)
    in_force = Subquery(
        Version.objects.filter(document=OuterRef("pk"), recorded_at__lt=end)
        .order_by("-recorded_at", "-id")
        .values("id")[:1]
    )
    document_rows = list(
        documents.annotate(in_force_id=in_force)
        .filter(in_force_id__isnull=False)
        .select_related("document_type")
        .order_by("platform_id", "document_type__position", "id")
    )
    version_ids = [d.in_force_id for d in document_rows]
    versions = {v["id"]: v for v in Version.objects.filter(pk__in=version_ids).values("id", "sha256", "recorded_at")}
    # A subquery for the secondary categories, not a join: with the join's DISTINCT, PostgreSQL would read
    # every provision instead of those of the versions in force.
    secondary = Provision.secondary_categories.through.objects.filter(category=category).values("provision_id")
    provisions = provision_rows(
        provision_values(
            Provision.objects.filter(
                Q(category=category) | Q(pk__in=Subquery(secondary)),
                version_id__in=version_ids,
                state=ReviewState.PUBLISHED,
            ).order_by("-published_at", "-id")
        )
    )
    silences = list(
        Silence.objects.filter(
            category=category, version_id__in=version_ids, state=ReviewState.PUBLISHED
        ).select_related("document__document_type")
    )
    by_platform_docs: dict[int, list[Document]] = {}
    for document in document_rows:
        by_platform_docs.setdefault(document.platform_id, []).append(document)
    provisions_by_platform: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for provision in provisions:
        provisions_by_platform[provision["document__platform_id"]].append(provision)
    silences_by_platform: dict[int, list[Silence]] = defaultdict(list)
    for silence in silences:
        silences_by_platform[silence.document.platform_id].append(silence)
    rows: list[ComparisonRow] = []
    for platform in platform_rows:
        own_provisions = provisions_by_platform.get(platform.pk, [])
        own_silences = silences_by_platform.get(platform.pk, [])
        stances = Counter(p["stance"] for p in own_provisions if p["category_id"] == category.pk)
        if own_provisions:
            status = "addressed"
            stance = stances.most_common(1)[0][0] if len(stances) == 1 else ("mixed" if stances else None)
        elif own_silences:
            status, stance = "not_addressed", None
        else:
            status, stance = "not_reviewed", None
        rows.append(
            ComparisonRow(
                platform=platform,
                status=status,
                stance=stance,
                provisions=own_provisions,
                silences=own_silences,
                documents=[
                    {
                        "id": d.pk,
                        "document_type": d.document_type.slug,
                        "name": d.display_name,
                        "version": versions[d.in_force_id],  # type: ignore[attr-defined]
                    }
                    for d in by_platform_docs.get(platform.pk, [])
                ],
            )
        )
    return Comparison(category=category, as_of=day, rows=rows, summary=_summary(category, rows))


def _summary(category: Category, rows: list[ComparisonRow]) -> dict[str, Any]:
    statuses = Counter(row.status for row in rows)
    labels = {stance["slug"]: stance["label"] for stance in category.stances}
    by_stance = Counter(row.stance for row in rows if row.stance)
    return {
        "platforms": len(rows),
        "addressed": statuses["addressed"],
        "not_addressed": statuses["not_addressed"],
        "not_reviewed": statuses["not_reviewed"],
        "by_stance": [
            {"stance": stance, "label": labels.get(stance, stance), "platforms": count}
            for stance, count in by_stance.most_common()
        ],
        "text": (
            f"{category.name}: identified across {statuses['addressed']} of {len(rows)} platforms; "
            f"{statuses['not_addressed']} do not address it; {statuses['not_reviewed']} not reviewed yet."
        ),
    }


WORDLIKE = re.compile(r"\w")


@dataclass
class SearchHit:
    kind: str
    rank: float
    snippet: str
    provision: dict[str, Any] | None = None  # a row of provision_rows
    document: dict[str, Any] | None = None  # a row of document_refs, for a document hit
    version_id: int | None = None


@dataclass
class SearchResult:
    hits: list[SearchHit]
    # Per kind ("provisions", "documents"): whether every match was ranked, or only the newest (provisions.search).
    ranking: dict[str, search.Ranking]


def search_run(*, q: str, limit: int = 20) -> SearchResult:
    """Published provisions and current document texts matching `q`, best first, with highlighted snippets.

    PostgreSQL: full-text search (websearch syntax) on the stored vectors, ranked as provisions.search says;
    both kinds are ranked, merged, and only the hits kept are read and highlighted. A fixed number of queries.
    SQLite (the embedded demo): a case-insensitive substring match, with a plain snippet.
    """
    if not WORDLIKE.search(q):
        return SearchResult([], {"provisions": search.Ranking.ALL_MATCHES, "documents": search.Ranking.ALL_MATCHES})
    if connection.vendor != "postgresql":
        return _search_fallback(q=q, limit=limit)
    sizes = search.search_table_sizes()
    provisions = search.search_rank(corpus=search.PROVISIONS, q=q, limit=limit, table_rows=sizes)
    documents = search.search_rank(corpus=search.DOCUMENTS, q=q, limit=limit, table_rows=sizes)
    # A stable sort: at equal rank, provisions (then ids) first, as each list came.
    kept = sorted(
        [("provision", pk, rank) for pk, rank in provisions.rows]
        + [("document", pk, rank) for pk, rank in documents.rows],
        key=lambda hit: -hit[2],
    )[:limit]
    query = SearchQuery(q, search_type="websearch", config=search.SEARCH_CONFIG)
    snippet = SearchHeadline(
        "quote", query, start_sel="<mark>", stop_sel="</mark>", max_fragments=2, config=search.SEARCH_CONFIG
    )
    provision_ids = [pk for kind, pk, _ in kept if kind == "provision"]
    rows: dict[int, dict[str, Any]] = {}
    if provision_ids:  # building even an empty queryset costs a millisecond
        highlighted = Provision.objects.filter(pk__in=provision_ids).annotate(snippet=snippet)
        rows = {row["id"]: row for row in provision_rows(provision_values(highlighted, "snippet"))}
    documents_kept = search.search_document_hits(document_ids=[pk for kind, pk, _ in kept if kind == "document"], q=q)
    hits = []
    for kind, pk, rank in kept:
        if kind == "provision":
            hits.append(SearchHit(kind, rank, rows[pk].pop("snippet"), provision=rows[pk]))
        else:
            ref = documents_kept[pk]
            hits.append(
                SearchHit(kind, rank, ref.pop("snippet"), document=ref, version_id=ref["document__current_version_id"])
            )
    return SearchResult(hits, {"provisions": provisions.ranking, "documents": documents.ranking})


def _plain_snippet(text: str, q: str) -> str:
    index = text.lower().find(q.lower())
    if index < 0:
        return text[:200]
    start = max(0, index - 80)
    return f"{text[start:index]}<mark>{text[index : index + len(q)]}</mark>{text[index + len(q) : index + len(q) + 80]}"


def _search_fallback(*, q: str, limit: int) -> SearchResult:
    provisions = provision_rows(
        provision_values(provision_list().filter(Q(quote__icontains=q) | Q(summary__icontains=q)))[:limit]
    )
    documents = list(
        Document.objects.filter(current_version__text__icontains=q)
        .order_by("id")
        .values_list("id", "current_version__text")[:limit]
    )
    refs = document_refs(ids=[pk for pk, _ in documents])
    hits = [SearchHit("provision", 1.0, _plain_snippet(p["quote"], q), provision=p) for p in provisions]
    hits += [
        SearchHit(
            "document",
            0.5,
            _plain_snippet(text, q),
            document=refs[pk],
            version_id=refs[pk]["document__current_version_id"],
        )
        for pk, text in documents
    ]
    ranking = {"provisions": search.Ranking.ALL_MATCHES, "documents": search.Ranking.ALL_MATCHES}
    return SearchResult(hits[:limit], ranking)


# The regulatory mapping. Public reads show only reviewed findings on published provisions, and each runs
# a fixed number of queries whatever the number of platforms, articles or findings.


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.annotate(article_count=Count("articles")).order_by("position", "slug")


def article_list() -> QuerySet[Article]:
    return (
        Article.objects.select_related("framework")
        .prefetch_related(
            Prefetch("category_links", queryset=CategoryArticle.objects.select_related("category").order_by("id"))
        )
        .order_by("framework__position", "position", "id")
    )


def findings_public() -> QuerySet[Finding]:
    """Reviewed findings on published provisions."""
    return Finding.objects.filter(reviewer__isnull=False, provision__state=ReviewState.PUBLISHED)


@dataclass
class ArticlePlatform:
    platform: Platform
    provisions: list[Provision] = field(default_factory=list)


def article_provisions(*, article: Article, platforms: list[Platform] | None = None) -> list[ArticlePlatform]:
    """Published provisions mapped to an article, by platform: those of a category that relates to it and
    those with a reviewed finding against it; each carries its finding on this article (or none)."""
    categories = list(article.category_links.values_list("category_id", flat=True))
    provisions = (
        Provision.objects.filter(state=ReviewState.PUBLISHED)
        .filter(
            Q(category_id__in=categories)
            | Q(secondary_categories__in=categories)
            | Q(findings__in=findings_public().filter(article=article))
        )
        .select_related("category", "document__platform", "document__document_type", "version", "reviewer")
        .defer("version__text")
        .prefetch_related(
            "secondary_categories",
            Prefetch(
                "findings",
                queryset=findings_public().filter(article=article).select_related("reviewer", "author", "provision"),
                to_attr="article_findings",
            ),
        )
        .distinct()
        .order_by("document__platform__slug", "category__position", "id")
    )
    if platforms is not None:
        provisions = provisions.filter(document__platform__in=platforms)
    by_platform: dict[int, ArticlePlatform] = {}
    for provision in provisions:
        platform = provision.document.platform
        by_platform.setdefault(platform.pk, ArticlePlatform(platform=platform)).provisions.append(provision)
    return list(by_platform.values())


@dataclass
class MatrixCell:
    article: Article
    findings: list[Finding]

    @property
    def status(self) -> str:
        """The cell at a glance: a potential conflict outweighs the rest, then silence, partial, addressed."""
        order = ["potentially_conflicts", "silent", "partially_addresses", "addresses"]
        present = {finding.assessment for finding in self.findings}
        return next((assessment for assessment in order if assessment in present), "none")


@dataclass
class MatrixRow:
    platform: Platform
    cells: list[MatrixCell]


@dataclass
class Matrix:
    framework: Framework
    articles: list[Article]
    rows: list[MatrixRow]
    meta: dict[str, Any] = field(default_factory=dict)


def framework_matrix(*, framework: Framework, platforms: list[Platform] | None = None) -> Matrix:
    """Platform x article: the public findings of each platform's provisions against each article. Three queries."""
    articles = list(Article.objects.filter(framework=framework).order_by("position", "id"))
    rows_platforms = (
        platforms if platforms is not None else list(Platform.objects.filter(documents__isnull=False).distinct())
    )
    rows_platforms = sorted(rows_platforms, key=lambda platform: platform.slug)
    findings = (
        findings_public()
        .filter(article__framework=framework, provision__document__platform__in=rows_platforms)
        .select_related("provision__document", "provision__category", "reviewer")
        .order_by("provision__code")
    )
    cells: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    for finding in findings:
        cells[finding.provision.document.platform_id, finding.article_id].append(finding)
    rows = [
        MatrixRow(
            platform=platform,
            cells=[MatrixCell(article=article, findings=cells[platform.pk, article.pk]) for article in articles],
        )
        for platform in rows_platforms
    ]
    return Matrix(framework=framework, articles=articles, rows=rows)
