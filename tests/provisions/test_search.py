from dataclasses import replace

import pytest
from django.db import connection

from platforms.archiving.recording import version_record
from provisions import search
from provisions.search import Ranking
from provisions.selectors import search_run
from tests.factories import DocumentFactory, version_chain
from tests.provisions.test_relinking import published

pytestmark = pytest.mark.django_db


def rum_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [search.PROVISIONS.ranked_index])
        return cursor.fetchone()[0] == 1


@pytest.fixture(params=["ranked by the index", "ranked by ts_rank"])
def ranking_path(request, monkeypatch):
    """Each test runs both ways: read in rank order from the RUM index, and ranked over the GIN index's matches."""
    by_index = request.param == "ranked by the index"
    if by_index and not rum_installed():
        pytest.skip("the RUM extension is not installed here (Debian: postgresql-15-rum)")
    monkeypatch.setattr(search, "search_ranked_by_index", lambda *, corpus: by_index)
    return request.param


def few(monkeypatch, candidates: int) -> None:
    """Broad queries ranked among so many newest matches, so that a handful of rows makes a query broad."""
    for name in ("PROVISIONS", "DOCUMENTS"):
        monkeypatch.setattr(search, name, replace(getattr(search, name), candidates=candidates))


def analyze() -> None:
    """Statistics as autovacuum would gather them: the broad-query estimate reads them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE provisions_provision")
        cursor.execute("ANALYZE platforms_document")


def clauses(*sentences: str):
    document = DocumentFactory.create()
    (version,) = version_chain(document=document, texts=["# Terms\n\n" + "\n\n".join(sentences) + "\n"])
    return [published(version, sentence) for sentence in sentences]


def test_a_document_is_found_by_the_text_in_force_not_by_a_replaced_one(ranking_path):
    document = DocumentFactory.create()
    version_record(document=document, text="We keep pomegranates for a year.", origin="fetched")
    version_record(document=document, text="We keep tangerines for a month.", origin="fetched")
    found = [hit.version_id for hit in search_run(q="tangerines").hits if hit.kind == "document"]
    assert found == [document.current_version_id]
    assert [hit for hit in search_run(q="pomegranates").hits if hit.kind == "document"] == []
    (hit,) = [hit for hit in search_run(q="tangerines").hits if hit.kind == "document"]
    assert "<mark>tangerines</mark>" in hit.snippet


def test_provisions_come_best_ranked_first_and_ties_in_the_order_they_were_written(ranking_path):
    once, thrice, also_once = clauses(
        "We may share arbitration records.",
        "Arbitration is binding; arbitration is individual; arbitration is final.",
        "Any arbitration happens in Delaware.",
    )
    result = search_run(q="arbitration")
    provisions = [hit.provision["code"] for hit in result.hits if hit.provision]
    assert provisions == [thrice.code, once.code, also_once.code]
    ranks = [hit.rank for hit in result.hits]
    assert ranks == sorted(ranks, reverse=True)
    assert result.ranking == {"provisions": Ranking.ALL_MATCHES, "documents": Ranking.ALL_MATCHES}


def test_both_ranking_paths_find_the_same_hits_in_the_same_order(monkeypatch):
    if not rum_installed():
        pytest.skip("the RUM extension is not installed here (Debian: postgresql-15-rum)")
    clauses(
        "Your content trains our models.",
        "We train models on your content and your content only.",
        "Models are trained on public data, never on content.",
    )
    answers = []
    for by_index in (True, False):
        monkeypatch.setattr(search, "search_ranked_by_index", lambda *, corpus, by_index=by_index: by_index)
        hits = search_run(q="content").hits
        answers.append(
            [(hit.kind, hit.provision["code"] if hit.provision else hit.version_id, hit.rank) for hit in hits]
        )
    assert answers[0] == answers[1]
    assert len(answers[0]) == 4  # three provisions and their document


def test_a_broad_query_is_ranked_among_its_newest_matches_and_says_so(ranking_path, monkeypatch):
    few(monkeypatch, 3)
    oldest, *_, newest = clauses(
        "Data data data: we gather data about data.",
        *(f"We collect data of kind {n}." for n in range(8)),
        "We collect data, rarely.",
    )
    clauses("Nothing of the sort here.")
    analyze()
    broad = search_run(q="data")
    assert broad.ranking["provisions"] == Ranking.NEWEST_MATCHES
    codes = [hit.provision["code"] for hit in broad.hits if hit.provision]
    # The densest clause is the oldest: outside the three newest matches, so not ranked.
    assert len(codes) == 3 and newest.code in codes and oldest.code not in codes
    narrow = search_run(q="gather data")
    assert narrow.ranking["provisions"] == Ranking.ALL_MATCHES
    assert [hit.provision["code"] for hit in narrow.hits if hit.provision] == [oldest.code]


def test_a_table_never_analysed_is_taken_as_small(monkeypatch):
    few(monkeypatch, 1)
    clauses(*(f"We collect data of kind {n}." for n in range(5)))
    analyze()
    assert search.search_is_broad(corpus=search.PROVISIONS, q="data", table_rows=5)
    assert not search.search_is_broad(corpus=search.PROVISIONS, q="data", table_rows=-1)


def test_a_long_document_is_highlighted_at_its_match_not_at_its_start(ranking_path):
    filler = "\n\n".join(f"Paragraph {n} says nothing in particular about anything at all." for n in range(400))
    document = DocumentFactory.create()
    version_record(document=document, text=f"{filler}\n\nWe sell pomegranates to partners.\n", origin="fetched")
    (hit,) = search_run(q="pomegranate").hits
    assert "<mark>pomegranates</mark>" in hit.snippet
    assert "Paragraph 0 " not in hit.snippet
    assert len(hit.snippet) < 500


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ("company", "The Company keeps logs."),  # the stem "compani" starts no form here: the word itself does
        ("companies", "Our COMPANY keeps logs."),  # neither occurs literally: the whole text is highlighted
        ("the logs", "THE LOGS ARE KEPT."),  # "the" is a stop word: no clue to where the match is
    ],
)
def test_a_document_is_highlighted_whatever_the_form_and_case_of_its_match(ranking_path, q, text):
    document = DocumentFactory.create()
    version_record(document=document, text=f"{'Nothing here. ' * 200}\n\n{text}\n", origin="fetched")
    (hit,) = search_run(q=q).hits
    assert "<mark>" in hit.snippet
    assert text.split()[1] in hit.snippet
