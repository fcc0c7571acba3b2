"""Seed the document types. Open Terms Archive's terms types are the reference list; the AI-specific
types and the aliases (names platforms actually use) are ours."""

from django.db import migrations

# (slug, name, aliases, description)
DOCUMENT_TYPES = [
    ("privacy-policy", "Privacy Policy", ["privacy statement", "privacy notice", "data policy", "privacy"],
     "How the service collects, uses, shares and keeps personal data."),
    ("terms-of-service", "Terms of Service", ["terms of use", "terms", "terms and conditions", "user agreement",
     "consumer terms", "conditions of use", "terms of use (consumer)"],
     "The contract between the service and its users."),
    ("ai-terms", "Generative AI Terms", ["ai terms", "generative ai terms", "ai terms of use", "ai features terms",
     "supplemental terms for ai", "generative ai additional terms of service"],
     "Terms specific to AI or generative-AI features."),
    ("acceptable-use-policy", "Acceptable Use Policy", ["usage policy", "usage policies", "prohibited use policy",
     "generative ai prohibited use policy", "use policy", "content policy", "aup"],
     "What users may not do with the service or its outputs."),
    ("commercial-terms", "Commercial Terms", ["business terms", "enterprise terms", "terms for business",
     "business agreement", "customer agreement"],
     "Terms for business, enterprise or API customers."),
    ("developer-terms", "Developer Terms", ["api terms", "developer agreement", "platform terms", "api terms of use"],
     "Terms for developers using APIs or platform integrations."),
    ("data-processor-agreement", "Data Processor Agreement", ["data processing agreement", "data processing addendum",
     "dpa"], "The controller-processor contract under data protection law."),
    ("trackers-policy", "Trackers Policy", ["cookie policy", "cookies policy", "cookie notice", "cookies"],
     "Cookies and similar tracking technologies."),
    ("community-guidelines", "Community Guidelines", ["community standards", "content guidelines"],
     "Rules of conduct for content and communities."),
    ("copyright-claims-policy", "Copyright Claims Policy", ["copyright policy", "dmca policy"],
     "How copyright infringement claims are handled."),
    ("law-enforcement-guidelines", "Law Enforcement Guidelines", ["law enforcement policy", "government requests"],
     "How requests from law enforcement and governments are handled."),
    ("business-privacy-policy", "Business Privacy Policy", ["enterprise privacy policy", "business privacy notice"],
     "Privacy terms for business customers' data."),
    ("children-privacy-policy", "Children's Privacy Policy", ["kids privacy policy", "children privacy notice"],
     "Privacy terms specific to children."),
    ("service-level-agreement", "Service Level Agreement", ["sla"], "Availability and support commitments."),
    ("vulnerability-disclosure-policy", "Vulnerability Disclosure Policy", ["responsible disclosure policy",
     "security disclosure policy"], "How security researchers may report vulnerabilities."),
    ("in-app-purchases-policy", "In-App Purchases Policy", ["purchase terms", "paid services terms"],
     "Terms for purchases and subscriptions."),
    ("platform-to-business-notice", "Platform to Business Notice", ["p2b notice"],
     "Notice required by the EU platform-to-business regulation."),
    ("brand-guidelines", "Brand Guidelines", ["trademark guidelines"], "How the brand may be used."),
    ("imprint", "Imprint", ["legal notice", "impressum"], "The publisher's legal identity."),
    ("subprocessors-list", "Sub-processors List", ["subprocessors", "sub-processors"],
     "The third parties that process data on the service's behalf."),
    ("model-documentation", "Model Documentation", ["model card", "system card", "usage documentation"],
     "Published documentation about AI models and their data."),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("platforms", "DocumentType")
    for position, (slug, name, aliases, description) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "aliases": aliases, "description": description, "position": position * 10},
        )


def unseed(apps, schema_editor):
    DocumentType = apps.get_model("platforms", "DocumentType")
    DocumentType.objects.filter(slug__in=[row[0] for row in DOCUMENT_TYPES], documents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
