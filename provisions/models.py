"""What the documents say: the taxonomy, provisions (quoted clauses) and silences.

A provision quotes a Version by character offsets, with some context before and after, so that it
can be verified against the archived, hashed text and carried to later versions (lineage).
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan

from platforms.models import Document, Version

CONTEXT_CHARS = 60


class Topic(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A question people ask of every platform, and the stances that answer it."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="categories")
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    question = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    stances = models.JSONField(
        default=list, help_text='The answers: [{"slug": "does-not-train", "label": "Does not train"}, ...].'
    )
    opp115 = models.CharField("OPP-115 category", max_length=100, blank=True)
    fideslang = models.CharField("Fideslang data use", max_length=100, blank=True)
    dpv = models.CharField("W3C DPV concept", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["topic__position", "position", "slug"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    @property
    def stance_slugs(self) -> list[str]:
        return [stance["slug"] for stance in self.stances]

    def clean(self) -> None:
        if not isinstance(self.stances, list) or not self.stances:
            raise ValidationError({"stances": "A category needs at least one stance."})
        for stance in self.stances:
            if not isinstance(stance, dict) or not stance.get("slug") or not stance.get("label"):
                raise ValidationError({"stances": 'Each stance is {"slug": ..., "label": ...}.'})
        slugs = self.stance_slugs
        if len(set(slugs)) != len(slugs):
            raise ValidationError({"stances": "Stance slugs must be unique within a category."})


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    RETIRED = "retired", "Retired"


class Impact(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


def version_of_its_document(finding: Provision | Silence) -> None:
    """A provision or silence is on a version of its own document (PostgreSQL also enforces it: migration 0011)."""
    if finding.version_id and finding.document_id and finding.version.document_id != finding.document_id:
        raise ValidationError({"version": "This version is not of the provision's or silence's document."})


# Every insert and update of provisions and silences is kept with who and when (the services set the
# user in pghistory's context); on PostgreSQL only, as the history is written by triggers.
@pghistory.track(exclude=["updated_at"])
class Provision(models.Model):
    """A clause quoted from a version: classified, answered with a stance, and explained in plain words."""

    code = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="provisions")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="provisions", editable=False)
    start = models.PositiveIntegerField(help_text="Offset of the quote's first character in the version's text.")
    end = models.PositiveIntegerField(help_text="Offset just after the quote's last character.")
    quote = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_CHARS, blank=True, help_text="The text just before the quote.")
    suffix = models.CharField(max_length=CONTEXT_CHARS, blank=True, help_text="The text just after the quote.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="provisions")
    secondary_categories = models.ManyToManyField(Category, blank=True, related_name="secondary_provisions")
    stance = models.SlugField(max_length=100, help_text="One of the category's stances.")
    summary = models.CharField(max_length=300, help_text="One sentence a person can act on.")
    states = models.TextField(blank=True, help_text="What the clause states.")
    permits = models.TextField(blank=True, help_text="What it lets the platform do.")
    reserves = models.TextField(blank=True, help_text="What the platform reserves for itself.")
    impact = models.CharField(max_length=8, choices=Impact.choices, default=Impact.MEDIUM)
    jurisdiction = models.CharField(max_length=10, blank=True)
    product_tier = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True, help_text="For editors only; never in the public API.")
    text_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When relinking found the clause modified or removed since the review."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="provision_span_not_empty"),
            models.CheckConstraint(condition=GreaterThan(Length("quote"), 0), name="provision_quote_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(reviewer__isnull=False, published_at__isnull=False),
                name="provision_published_is_reviewed",
            ),
            # Four eyes, where nobody can bypass it: the reviewer is never the author.
            models.CheckConstraint(
                condition=models.Q(reviewer__isnull=True) | ~models.Q(reviewer=models.F("author")),
                name="provision_four_eyes",
            ),
        ]
        indexes = [
            models.Index(fields=["category", "state"], name="provision_category_state"),
            models.Index(fields=["document", "state"], name="provision_document_state"),
            # The provision list's keyset pagination: newest published first, without sorting the table.
            models.Index(
                fields=["-published_at", "-id"], condition=models.Q(state="published"), name="provision_recent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code or 'draft'}: {self.summary[:60]}"

    def clean(self) -> None:
        version_of_its_document(self)
        if self.version_id and self.quote:
            text = self.version.text
            if text[self.start : self.end] != self.quote:
                raise ValidationError({"quote": "The quote is not the version's text at these offsets."})
        if self.category_id and self.stance and self.stance not in self.category.stance_slugs:
            allowed = ", ".join(self.category.stance_slugs)
            raise ValidationError({"stance": f"{self.stance!r} is not a stance of {self.category}: {allowed}."})
        if self.reviewer_id is not None and self.reviewer_id == self.author_id:
            raise ValidationError("Four eyes: the editor who wrote a provision cannot review it.")


@pghistory.track()
class Silence(models.Model):
    """A reviewed finding that a version of a document does not address a category at all."""

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="silences")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="silences", editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="silences")
    note = models.TextField(blank=True, help_text="What was searched for, and where.")
    state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "category"], name="silence_unique_per_version"),
            models.CheckConstraint(
                condition=models.Q(reviewer__isnull=True) | ~models.Q(reviewer=models.F("author")),
                name="silence_four_eyes",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(reviewer__isnull=False, published_at__isnull=False),
                name="silence_published_is_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} not addressed in version {self.version_id}"

    def clean(self) -> None:
        version_of_its_document(self)


class AnchorOutcome(models.TextChoices):
    ORIGINAL = "original", "Original anchor"
    UNCHANGED = "unchanged", "Unchanged"
    MOVED = "moved", "Moved (same text, new place)"
    MODIFIED = "modified", "Modified (new wording)"
    REMOVED = "removed", "Removed"


class ProvisionAnchor(models.Model):
    """Where a provision's clause stands in one version of its document: its lineage, version by version."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="anchors")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="provision_anchors")
    outcome = models.CharField(max_length=16, choices=AnchorOutcome.choices)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    similarity = models.FloatField(default=100.0, help_text="0-100: how alike the new quote is to the old one.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version__recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provision", "version"], name="anchor_one_per_version"),
            models.CheckConstraint(
                condition=models.Q(outcome="removed", start__isnull=True)
                | ~models.Q(outcome="removed") & models.Q(start__isnull=False, end__isnull=False),
                name="anchor_span_unless_removed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provision_id} in version {self.version_id}: {self.outcome}"


# Regulatory mapping: which rules a category touches, and what editors found a provision does about one.


class Framework(models.Model):
    """A body of rules: a regulation, a statute, a code of federal regulations part."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, help_text="GDPR, CCPA/CPRA, EU AI Act...")
    jurisdiction = models.CharField(max_length=10, help_text="EU, UK, US, US-CA, BR...")
    citation = models.CharField(max_length=200, help_text="The official reference: Regulation (EU) 2016/679...")
    official_url = models.URLField(max_length=500)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(short_name=""), name="framework_short_name_not_empty")
        ]

    def __str__(self) -> str:
        return self.short_name


class Article(models.Model):
    """An article or section of a framework, with a title in our own words and a link to the official text."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="articles")
    citation = models.CharField(max_length=60, help_text="As the framework numbers it: Art. 6, § 1798.120...")
    title = models.CharField(max_length=200, help_text="A short title in our own words.")
    official_url = models.URLField(max_length=500)
    dpv = models.CharField("W3C DPV concept", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=100)
    categories = models.ManyToManyField(Category, through="CategoryArticle", related_name="articles")

    class Meta:
        ordering = ["framework__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "citation"], name="article_unique_citation"),
            models.CheckConstraint(condition=~models.Q(citation=""), name="article_citation_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.framework.short_name} {self.citation}"


class Relation(models.TextChoices):
    DISCLOSURE_REQUIRED = "disclosure_required", "Disclosure required (the policy must say it)"
    RIGHT_GRANTED = "right_granted", "Right granted (to the user)"
    OBLIGATION = "obligation", "Obligation (on the platform)"
    PROHIBITION = "prohibition", "Prohibition (the platform may not)"


class CategoryArticle(models.Model):
    """A category of the taxonomy relates to an article, in one of four typed ways."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="category_links")
    relation = models.CharField(max_length=24, choices=Relation.choices)
    note = models.CharField(max_length=300, blank=True, help_text="Why, in one sentence.")

    class Meta:
        ordering = ["article__framework__position", "article__position", "category__position"]
        constraints = [
            models.UniqueConstraint(fields=["category", "article", "relation"], name="categoryarticle_unique"),
            models.CheckConstraint(
                condition=models.Q(relation__in=["disclosure_required", "right_granted", "obligation", "prohibition"]),
                name="categoryarticle_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.relation} {self.article}"


class Assessment(models.TextChoices):
    ADDRESSES = "addresses", "Addresses"
    PARTIALLY_ADDRESSES = "partially_addresses", "Partially addresses"
    SILENT = "silent", "Silent"
    POTENTIALLY_CONFLICTS = "potentially_conflicts", "Potentially conflicts"


@pghistory.track(exclude=["updated_at"])
class Finding(models.Model):
    """What an editor found a provision does about an article, with a rationale; public once reviewed."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="findings")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="findings")
    assessment = models.CharField(max_length=24, choices=Assessment.choices)
    rationale = models.TextField(help_text="Why, in a few sentences a compliance reader can check.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article__framework__position", "article__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provision", "article"], name="finding_unique_per_article"),
            models.CheckConstraint(condition=~models.Q(rationale=""), name="finding_rationale_not_empty"),
            models.CheckConstraint(
                condition=models.Q(reviewer__isnull=True) | ~models.Q(reviewer=models.F("author")),
                name="finding_four_eyes",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewer__isnull=True, reviewed_at__isnull=True)
                | models.Q(reviewer__isnull=False, reviewed_at__isnull=False),
                name="finding_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    assessment__in=["addresses", "partially_addresses", "silent", "potentially_conflicts"]
                ),
                name="finding_assessment_valid",
            ),
        ]
        indexes = [models.Index(fields=["article", "reviewer"], name="finding_article_reviewed")]

    def __str__(self) -> str:
        return f"{self.provision_id} {self.assessment} {self.article}"

    def clean(self) -> None:
        if not (self.rationale or "").strip():
            raise ValidationError({"rationale": "Say why: a finding without a rationale cannot be checked."})
        if self.reviewer_id is not None and self.reviewer_id == self.author_id:
            raise ValidationError("Four eyes: the editor who wrote a finding cannot review it.")
