import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from provisions.models import Category, Provision, ReviewState, Topic
from provisions.services import (
    provision_create,
    provision_publish,
    provision_reject,
    provision_request_changes,
    provision_retire,
    provision_submit,
    silence_create,
    silence_publish,
)
from tests.factories import DocumentFactory, UserFactory, version_chain

pytestmark = pytest.mark.django_db

TEXT = "## Training\n\nWe will not train our models on any Materials you submit.\n"


@pytest.fixture
def version():
    return version_chain(document=DocumentFactory.create(), texts=[TEXT])[0]


@pytest.fixture
def training() -> Category:
    return Category.objects.get(slug="training-on-user-content")


def draft(version, training, author=None) -> Provision:
    return provision_create(
        version=version,
        quote="We will not train our models on any Materials",
        category=training,
        stance="does-not-train",
        summary="Your materials are not used to train models.",
        author=author or UserFactory.create(),
    )


def test_the_taxonomy_is_seeded_with_at_least_16_categories_with_stances_and_crosswalks(training):
    assert Category.objects.count() >= 16
    assert Topic.objects.exists()
    assert {"does-not-train", "opt-in", "opt-out", "no-opt-out", "unclear"} <= set(training.stance_slugs)
    assert training.fideslang == "train_ai_system"
    assert Category.objects.filter(slug__in=["training-opt-out", "arbitration-class-action", "children"]).count() == 3


def test_a_provision_is_anchored_and_gets_a_public_code(version, training):
    provision = draft(version, training)
    assert provision.code == f"CA-P-{provision.pk:06d}"
    assert version.text[provision.start : provision.end] == provision.quote
    assert provision.state == ReviewState.DRAFT
    assert provision.document_id == version.document_id


def test_a_quote_absent_from_the_version_is_rejected(version, training):
    with pytest.raises(ValidationError, match="not in this version"):
        provision_create(
            version=version,
            quote="We sell everything",
            category=training,
            stance="no-opt-out",
            summary="x",
            author=UserFactory.create(),
        )
    assert not Provision.objects.exists()


def test_a_stance_that_does_not_answer_the_category_is_rejected(version, training):
    with pytest.raises(ValidationError, match="not a stance of"):
        provision_create(
            version=version,
            quote="We will not train",
            category=training,
            stance="mandatory-arbitration",
            summary="x",
            author=UserFactory.create(),
        )


def test_the_author_cannot_publish_their_own_provision(version, training):
    author = UserFactory.create()
    provision = provision_submit(provision=draft(version, training, author), user=author)
    with pytest.raises(ValidationError, match="Four eyes"):
        provision_publish(provision=provision, reviewer=author)
    provision.refresh_from_db()
    assert provision.state == ReviewState.IN_REVIEW


def test_the_database_refuses_a_reviewer_who_is_the_author(version, training):
    author = UserFactory.create()
    provision = draft(version, training, author)
    with pytest.raises(IntegrityError, match="provision_four_eyes"), transaction.atomic():
        Provision.objects.filter(pk=provision.pk).update(reviewer=author)


def test_another_editor_publishes_after_review(version, training):
    author, reviewer = UserFactory.create(), UserFactory.create()
    provision = provision_submit(provision=draft(version, training, author), user=author)
    provision_publish(provision=provision, reviewer=reviewer)
    provision.refresh_from_db()
    assert (provision.state, provision.reviewer) == (ReviewState.PUBLISHED, reviewer)
    assert provision.published_at is not None
    provision_retire(provision=provision, user=reviewer)
    assert provision.state == ReviewState.RETIRED


def test_review_can_ask_for_changes_or_reject_and_a_draft_cannot_be_published(version, training):
    author, reviewer = UserFactory.create(), UserFactory.create()
    provision = draft(version, training, author)
    with pytest.raises(ValidationError, match="cannot become published"):
        provision_publish(provision=provision, reviewer=reviewer)
    provision_submit(provision=provision, user=author)
    with pytest.raises(ValidationError, match="Say what should change"):
        provision_request_changes(provision=provision, reviewer=reviewer, note=" ")
    provision_request_changes(provision=provision, reviewer=reviewer, note="Quote the whole sentence.")
    assert provision.state == ReviewState.CHANGES_REQUESTED
    provision_submit(provision=provision, user=author)
    provision_reject(provision=provision, reviewer=reviewer, note="Not about training.")
    assert provision.state == ReviewState.REJECTED


def test_a_silence_is_a_reviewed_not_addressed_answer(version, training):
    author, reviewer = UserFactory.create(), UserFactory.create()
    silence = silence_create(version=version, category=Category.objects.get(slug="children"), author=author)
    with pytest.raises(ValidationError, match="Four eyes"):
        silence_publish(silence=silence, reviewer=author)
    silence_publish(silence=silence, reviewer=reviewer)
    assert silence.state == ReviewState.PUBLISHED
    with pytest.raises(ValidationError):
        silence_create(version=version, category=Category.objects.get(slug="children"), author=author)


def test_every_edit_and_transition_is_kept_with_who_and_when(version, training):
    from pghistory.models import Events

    author, reviewer = UserFactory.create(username="alice"), UserFactory.create(username="bob")
    provision = provision_submit(provision=draft(version, training, author), user=author)
    provision_publish(provision=provision, reviewer=reviewer)
    events = list(Events.objects.tracks(provision).order_by("pgh_created_at"))
    states = [event.pgh_data["state"] for event in events]
    assert states[-2:] == ["in_review", "published"]
    assert events[-1].pgh_context["username"] == "bob"
    assert events[-1].pgh_context["action"] == "publish"
    assert events[0].pgh_context["username"] == "alice"


def test_a_finding_needs_a_rationale_and_a_reviewer_other_than_its_author():
    from django.core.exceptions import ValidationError as DjangoValidationError

    from provisions.models import Article
    from provisions.services import finding_create, finding_review
    from tests.factories import DocumentFactory, UserFactory, version_chain
    from tests.provisions.test_relinking import published

    document = DocumentFactory.create()
    (version,) = version_chain(document=document, texts=["# T\n\nWe train on your chats.\n"])
    provision = published(version, "We train on your chats.", stance="no-opt-out")
    article = Article.objects.get(framework__slug="gdpr", citation="Art. 21")
    analyst = UserFactory.create(username="analyst")
    with pytest.raises(DjangoValidationError, match="rationale"):
        finding_create(provision=provision, article=article, assessment="silent", rationale=" ", author=analyst)
    finding = finding_create(
        provision=provision,
        article=article,
        assessment="potentially_conflicts",
        rationale="No opt-out.",
        author=analyst,
    )
    with pytest.raises(DjangoValidationError, match="Four eyes"):
        finding_review(finding=finding, reviewer=analyst)
    reviewed = finding_review(finding=finding, reviewer=UserFactory.create(username="checker"))
    assert reviewed.reviewed_at is not None
    with pytest.raises(DjangoValidationError, match="already"):
        finding_review(finding=finding, reviewer=UserFactory.create(username="third"))
