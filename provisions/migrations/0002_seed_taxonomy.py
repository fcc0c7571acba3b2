"""Seed the taxonomy: topics, categories (the questions), their stances and crosswalks.

Crosswalks name the nearest OPP-115 category, Fideslang data use and W3C DPV concept where one exists.
"""

from django.db import migrations


def stances(*pairs):
    return [{"slug": slug, "label": label} for slug, label in pairs]


UNCLEAR = ("unclear", "Unclear or contradictory")

TOPICS = [
    ("ai-and-models", "AI and models", "How user content feeds AI systems and who sees it."),
    ("content-and-ownership", "Content and ownership", "Who owns what users put in and what the AI puts out."),
    ("data-lifecycle", "Data lifecycle and rights", "How long data is kept and what users can do about it."),
    ("sharing-and-advertising", "Sharing and advertising", "Who else gets data, and what for."),
    ("sensitive-groups", "Sensitive data and groups", "Children, biometrics and other sensitive data."),
    ("terms-and-disputes", "Terms and disputes", "How the terms change and how disputes are settled."),
    ("authorities-and-transfers", "Authorities and transfers", "Governments, law enforcement and borders."),
]

# (topic, slug, name, question, description, stances, opp115, fideslang, dpv)
CATEGORIES = [
    ("ai-and-models", "training-on-user-content", "Training AI models on user content",
     "Does the platform use user content (prompts, chats, files, outputs) to train AI models?",
     "Whether conversations and uploads may become training data, and on what terms.",
     stances(("does-not-train", "Does not train on user content"), ("opt-in", "Trains only with opt-in"),
             ("opt-out", "Trains unless the user opts out"), ("no-opt-out", "Trains with no opt-out"), UNCLEAR),
     "First Party Collection/Use", "train_ai_system", "dpv:ResearchAndDevelopment"),
    ("ai-and-models", "training-opt-out", "Opting out of training",
     "Can users stop their content being used for training, and how?",
     "The control offered over training use, and its limits.",
     stances(("not-needed", "Not needed: no training on user content"), ("setting", "A setting any user can switch"),
             ("request", "Only by request (form or email)"), ("tier-only", "Only on some plans"),
             ("none", "No way to opt out"), UNCLEAR),
     "User Choice/Control", "train_ai_system", "dpv:OptOut"),
    ("ai-and-models", "human-review", "Human review of conversations and inputs",
     "Can people at the platform or its contractors read users' conversations and inputs?",
     "Human reviewers, trust and safety access, and their conditions.",
     stances(("no-review", "No human review"), ("safety-only", "Only for safety, abuse or legal reasons"),
             ("quality-review", "Also to improve the service"), UNCLEAR),
     "First Party Collection/Use", "improve.system", "dpv:HumanInvolvement"),
    ("ai-and-models", "third-party-ai-providers", "Third-party AI providers and model sub-processors",
     "Does user content go to other companies' AI models or AI sub-processors?",
     "Model providers, AI sub-processors and what they may do with the data.",
     stances(("none", "No third-party AI providers"), ("processors-only", "Only as processors bound not to train"),
             ("providers-may-use", "Providers may use the data for their own purposes"), UNCLEAR),
     "Third Party Sharing/Collection", "third_party_sharing", "dpv:DataProcessor"),
    ("ai-and-models", "automated-decision-making", "Automated decision-making",
     "Does the platform make decisions about users by automated means, and can users contest them?",
     "Profiling and automated decisions with legal or similar effects.",
     stances(("none", "No automated decisions with significant effects"),
             ("with-recourse", "Automated decisions with human recourse"),
             ("without-recourse", "Automated decisions without recourse"), UNCLEAR),
     "First Party Collection/Use", "", "dpv:AutomatedDecisionMaking"),
    ("content-and-ownership", "output-ownership", "Ownership of outputs",
     "Who owns what the AI generates for the user?",
     "Rights over outputs, and restrictions on their use.",
     stances(("user-owns", "The user owns the outputs"), ("user-owns-with-restrictions", "The user owns them, with restrictions"),
             ("platform-owns", "The platform owns or controls them"), UNCLEAR),
     "Other", "", "dpv:Ownership"),
    ("content-and-ownership", "content-licence", "Licence the user grants over their content",
     "What licence does the user grant the platform over what they submit?",
     "Scope, duration and purposes of the licence over user content.",
     stances(("service-only", "Only to provide the service"), ("broad-licence", "A broad licence beyond the service"),
             ("perpetual-licence", "A perpetual or irrevocable licence"), UNCLEAR),
     "Other", "", "dpv:Licence"),
    ("data-lifecycle", "retention", "Retention of inputs and outputs",
     "How long are prompts, conversations and outputs kept?",
     "Retention periods, including after deletion and for flagged content.",
     stances(("fixed-short", "A stated period of 30 days or less"), ("fixed-long", "A stated longer period"),
             ("as-long-as-needed", "As long as needed, no period stated"), ("indefinite", "Indefinitely"), UNCLEAR),
     "Data Retention", "", "dpv:StorageDuration"),
    ("data-lifecycle", "deletion-rights", "Deletion rights",
     "Can users delete their data and account, and what remains?",
     "Deleting conversations, accounts and the exceptions that survive.",
     stances(("full-deletion", "Full deletion on request"), ("deletion-with-exceptions", "Deletion with stated exceptions"),
             ("no-deletion", "No deletion right"), UNCLEAR),
     "User Access, Edit and Deletion", "", "dpv:RightToErasure"),
    ("data-lifecycle", "access-portability", "Access and portability",
     "Can users get a copy of their data in a usable format?",
     "Access requests, exports and data portability.",
     stances(("self-service-export", "Self-service export"), ("on-request", "On request"), ("none", "Not offered"), UNCLEAR),
     "User Access, Edit and Deletion", "", "dpv:RightToDataPortability"),
    ("sharing-and-advertising", "sale-sharing", "Sale or sharing of personal data",
     "Does the platform sell or share personal data with third parties?",
     "Sale, sharing for cross-context advertising, and disclosures to partners.",
     stances(("no-sale-no-sharing", "Neither sells nor shares for advertising"), ("shares-not-sells", "Shares but does not sell"),
             ("sells", "Sells or shares for advertising"), UNCLEAR),
     "Third Party Sharing/Collection", "third_party_sharing", "dpv:SellDataToThirdParties"),
    ("sharing-and-advertising", "advertising-profiling", "Advertising and profiling",
     "Is user data, including conversations, used for advertising or profiling?",
     "Targeted advertising, ad measurement and profiles built from use.",
     stances(("no-ads", "No advertising use"), ("contextual-only", "Only non-personalised advertising"),
             ("targeted", "Targeted advertising from user data"), ("conversations-for-ads", "Conversations used for advertising"),
             UNCLEAR),
     "Third Party Sharing/Collection", "marketing.advertising", "dpv:Marketing"),
    ("sensitive-groups", "children", "Children",
     "What is the minimum age, and how is children's data handled?",
     "Age limits, parental consent and children's data.",
     stances(("18-plus", "Adults only (18+)"), ("13-plus", "13 and older (with parental consent below 18)"),
             ("under-13-with-consent", "Under 13 with parental consent"), UNCLEAR),
     "International and Specific Audiences", "", "dpv:Child"),
    ("sensitive-groups", "biometric-sensitive-data", "Biometric and sensitive data",
     "Does the platform collect biometric or other sensitive data, and for what?",
     "Voice, face, health and other special categories of data.",
     stances(("not-collected", "Not collected"), ("with-consent", "Collected with explicit consent"),
             ("collected", "Collected without specific consent"), UNCLEAR),
     "First Party Collection/Use", "", "dpv:SensitivePersonalData"),
    ("terms-and-disputes", "notice-of-changes", "Notice of changes to the terms",
     "How, and how far in advance, are users told about changes to the terms?",
     "Advance notice, the channel, and whether continued use means consent.",
     stances(("advance-notice", "Advance notice of material changes"), ("notice-on-publication", "Notice when published"),
             ("no-notice", "No notice; continued use is acceptance"), UNCLEAR),
     "Policy Change", "", "dpv:Notice"),
    ("terms-and-disputes", "arbitration-class-action", "Arbitration and class-action waiver",
     "Must disputes go to arbitration, and can users join class actions?",
     "Mandatory arbitration, class-action waivers and opt-outs from them.",
     stances(("courts", "Courts, class actions allowed"), ("arbitration-with-opt-out", "Arbitration with an opt-out"),
             ("mandatory-arbitration", "Mandatory arbitration and class-action waiver"), UNCLEAR),
     "Other", "", ""),
    ("authorities-and-transfers", "law-enforcement-requests", "Law-enforcement requests",
     "When does the platform hand data to law enforcement or governments, and does it tell users?",
     "Legal process required, notice to users, transparency reports.",
     stances(("legal-process-and-notice", "Only with legal process, and users are notified"),
             ("legal-process", "Only with legal process"), ("discretionary", "At the platform's discretion"), UNCLEAR),
     "Third Party Sharing/Collection", "", "dpv:LegalCompliance"),
    ("authorities-and-transfers", "international-transfers", "International transfers",
     "Is data transferred across borders, and under what safeguards?",
     "Transfers outside the user's jurisdiction and the safeguards relied on.",
     stances(("no-transfers", "Kept in the user's region"), ("with-safeguards", "Transferred with stated safeguards"),
             ("without-safeguards", "Transferred without stated safeguards"), UNCLEAR),
     "International and Specific Audiences", "", "dpv:DataTransferLegalBasis"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("provisions", "Topic")
    Category = apps.get_model("provisions", "Category")
    topics = {}
    for position, (slug, name, description) in enumerate(TOPICS, start=1):
        topics[slug], _ = Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position * 10}
        )
    for position, (topic, slug, name, question, description, answers, opp115, fideslang, dpv) in enumerate(
        CATEGORIES, start=1
    ):
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "topic": topics[topic],
                "name": name,
                "question": question,
                "description": description,
                "stances": answers,
                "opp115": opp115,
                "fideslang": fideslang,
                "dpv": dpv,
                "position": position * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("provisions", "Category").objects.filter(provisions__isnull=True, silences__isnull=True).delete()
    apps.get_model("provisions", "Topic").objects.filter(categories__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("provisions", "0001_taxonomy_provisions")]
    operations = [migrations.RunPython(seed, unseed)]
