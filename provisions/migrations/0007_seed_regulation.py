"""Seed the frameworks, their articles (titles in our own words) and how the taxonomy's categories relate to them.

Editable afterwards in the admin; re-running updates by (framework slug, citation) and (category, article, relation).
"""

from django.db import migrations

EURLEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:{celex}#{anchor}"
UK = "https://www.legislation.gov.uk/eur/2016/679/article/{number}"
CCPA = "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum={section}"
COPPA = "https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-312/section-{section}"
LGPD = "https://www.planalto.gov.br/ccivil_03/_ato2015-2018/2018/lei/l13709.htm"

# (slug, name, short name, jurisdiction, citation, official url)
FRAMEWORKS = [
    ("gdpr", "General Data Protection Regulation", "GDPR", "EU", "Regulation (EU) 2016/679",
     "https://eur-lex.europa.eu/eli/reg/2016/679/oj"),
    ("uk-gdpr", "UK General Data Protection Regulation", "UK GDPR", "UK",
     "Retained Regulation (EU) 2016/679, as amended by the Data Protection Act 2018",
     "https://www.legislation.gov.uk/eur/2016/679/contents"),
    ("ccpa", "California Consumer Privacy Act, as amended by the California Privacy Rights Act", "CCPA/CPRA",
     "US-CA", "Cal. Civ. Code §§ 1798.100-1798.199.100",
     "https://leginfo.legislature.ca.gov/faces/codes_displayText.xhtml?division=3.&part=4.&lawCode=CIV&title=1.81.5"),
    ("eu-ai-act", "Artificial Intelligence Act", "EU AI Act", "EU", "Regulation (EU) 2024/1689",
     "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"),
    ("dsa", "Digital Services Act", "DSA", "EU", "Regulation (EU) 2022/2065",
     "https://eur-lex.europa.eu/eli/reg/2022/2065/oj"),
    ("coppa", "Children's Online Privacy Protection Rule", "COPPA", "US", "16 CFR Part 312",
     "https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-312"),
    ("lgpd", "Lei Geral de Proteção de Dados Pessoais", "LGPD", "BR", "Lei nº 13.709/2018", LGPD),
]


def gdpr(number, title, dpv=""):
    return ("gdpr", f"Art. {number}", title, EURLEX.format(celex="32016R0679", anchor=f"art_{number}"), dpv)


def uk(number, title, dpv=""):
    return ("uk-gdpr", f"Art. {number}", title, UK.format(number=number), dpv)


def ccpa(section, title, dpv=""):
    return ("ccpa", f"§ {section}", title, CCPA.format(section=section), dpv)


def ai(number, title, dpv=""):
    return ("eu-ai-act", f"Art. {number}", title, EURLEX.format(celex="32024R1689", anchor=f"art_{number}"), dpv)


def dsa(number, title, dpv=""):
    return ("dsa", f"Art. {number}", title, EURLEX.format(celex="32022R2065", anchor=f"art_{number}"), dpv)


def coppa(section, title, dpv=""):
    return ("coppa", f"§ {section}", title, COPPA.format(section=section), dpv)


def lgpd(number, title, dpv=""):
    return ("lgpd", f"Art. {number}", title, f"{LGPD}#art{number}", dpv)


# (framework, citation, title in our words, official url, DPV concept)
ARTICLES = [
    gdpr(5, "Principles: purpose limitation, minimisation, storage limitation"),
    gdpr(6, "A lawful basis for every processing", "dpv:LegalBasis"),
    gdpr(7, "Valid consent, and withdrawing it as easily as giving it", "dpv:Consent"),
    gdpr(8, "Children's consent to online services"),
    gdpr(9, "Special categories of data, biometrics included", "dpv:SpecialCategoryPersonalData"),
    gdpr(12, "Clear and plain information to the people concerned", "dpv:PrivacyNotice"),
    gdpr(13, "What to tell people when collecting their data", "dpv:PrivacyNotice"),
    gdpr(14, "What to tell people about data obtained elsewhere", "dpv:PrivacyNotice"),
    gdpr(15, "Right of access"),
    gdpr(17, "Right to erasure"),
    gdpr(20, "Right to data portability"),
    gdpr(21, "Right to object, including to direct marketing"),
    gdpr(22, "Decisions based solely on automated processing", "dpv:AutomatedDecisionMaking"),
    gdpr(28, "Processors and their contracts", "dpv:DataProcessor"),
    gdpr(44, "Transfers outside the EU: the general rule"),
    gdpr(45, "Transfers on the basis of an adequacy decision"),
    gdpr(46, "Transfers with appropriate safeguards (SCCs, BCRs)"),
    gdpr(48, "Foreign authorities' orders are not a basis for transfer"),
    gdpr(49, "Transfers by way of derogation"),
    uk(5, "Principles: purpose limitation, minimisation, storage limitation"),
    uk(6, "A lawful basis for every processing", "dpv:LegalBasis"),
    uk(9, "Special categories of data, biometrics included", "dpv:SpecialCategoryPersonalData"),
    uk(13, "What to tell people when collecting their data", "dpv:PrivacyNotice"),
    uk(15, "Right of access"),
    uk(17, "Right to erasure"),
    uk(20, "Right to data portability"),
    uk(21, "Right to object, including to direct marketing"),
    uk(22, "Decisions based solely on automated processing", "dpv:AutomatedDecisionMaking"),
    uk(44, "Transfers outside the UK: the general rule"),
    uk(46, "Transfers with appropriate safeguards"),
    ccpa("1798.100", "Notice at collection, purposes and retention periods", "dpv:PrivacyNotice"),
    ccpa("1798.105", "Right to delete"),
    ccpa("1798.106", "Right to correct"),
    ccpa("1798.110", "Right to know what is collected"),
    ccpa("1798.115", "Right to know what is sold or shared, and to whom"),
    ccpa("1798.120", "Right to opt out of sale or sharing; minors' data needs opt-in"),
    ccpa("1798.121", "Right to limit use of sensitive personal information"),
    ccpa("1798.125", "No retaliation for exercising rights"),
    ccpa("1798.130", "How requests are made and answered"),
    ccpa("1798.135", "The \"Do Not Sell or Share\" link and opt-out signals"),
    ai(5, "Prohibited AI practices, biometric categorisation among them"),
    ai(50, "Telling people they deal with an AI system or AI-generated content"),
    ai(53, "General-purpose model providers: documentation, copyright policy, training-data summary"),
    ai(86, "Right to an explanation of an individual decision"),
    dsa(10, "Authorities' orders to provide information"),
    dsa(14, "Terms and conditions: clear, applied diligently, changes notified"),
    dsa(21, "Out-of-court dispute settlement"),
    dsa(26, "Advertising transparency on online platforms"),
    dsa(28, "Protecting minors online; no profiling-based ads to minors"),
    dsa(38, "A recommender option not based on profiling (very large platforms)"),
    coppa("312.4", "Notice to parents of information practices"),
    coppa("312.5", "Verifiable parental consent"),
    coppa("312.6", "Parents' right to review and delete"),
    coppa("312.10", "Keeping children's data only as long as needed"),
    lgpd(7, "Legal bases for processing", "dpv:LegalBasis"),
    lgpd(11, "Sensitive personal data", "dpv:SpecialCategoryPersonalData"),
    lgpd(14, "Children's and adolescents' data"),
    lgpd(16, "Deletion once processing ends"),
    lgpd(18, "Data subjects' rights (access, correction, deletion, portability, objection)"),
    lgpd(20, "Review of automated decisions"),
    lgpd(33, "International transfers"),
]

D, R, O, P = "disclosure_required", "right_granted", "obligation", "prohibition"

# category slug -> [(framework, citation, relation, note)]
MAPPINGS = {
    "training-on-user-content": [
        ("gdpr", "Art. 6", O, "Training on personal data needs a lawful basis, usually consent or legitimate interests."),
        ("gdpr", "Art. 13", D, "The purposes of processing, training included, must be stated at collection."),
        ("gdpr", "Art. 21", R, "Where training rests on legitimate interests, users may object to it."),
        ("uk-gdpr", "Art. 6", O, "As under the GDPR."),
        ("uk-gdpr", "Art. 21", R, "As under the GDPR."),
        ("ccpa", "§ 1798.100", D, "Purposes of use must be disclosed at collection."),
        ("eu-ai-act", "Art. 53", O, "Model providers publish a summary of training content and a copyright policy."),
        ("lgpd", "Art. 7", O, "Processing for training needs a legal basis."),
    ],
    "training-opt-out": [
        ("gdpr", "Art. 21", R, "Objecting to training is the right to object."),
        ("gdpr", "Art. 7", R, "Where training rests on consent, withdrawing must be as easy as giving it."),
        ("uk-gdpr", "Art. 21", R, "As under the GDPR."),
        ("ccpa", "§ 1798.120", R, "Where training data is sold or shared, users may opt out."),
        ("lgpd", "Art. 18", R, "Data subjects may oppose processing."),
    ],
    "human-review": [
        ("gdpr", "Art. 13", D, "Who receives the data, reviewers included, must be stated."),
        ("gdpr", "Art. 28", O, "Contracted reviewers are processors bound by contract."),
    ],
    "third-party-ai-providers": [
        ("gdpr", "Art. 13", D, "Recipients or categories of recipients must be stated."),
        ("gdpr", "Art. 28", O, "Model sub-processors need processor contracts."),
        ("gdpr", "Art. 44", O, "Providers outside the EU make it a transfer."),
        ("ccpa", "§ 1798.100", D, "Disclosure of the categories of third parties."),
    ],
    "automated-decision-making": [
        ("gdpr", "Art. 22", R, "People may refuse decisions based solely on automated processing."),
        ("gdpr", "Art. 13", D, "The logic involved and its consequences must be explained."),
        ("uk-gdpr", "Art. 22", R, "As under the GDPR."),
        ("eu-ai-act", "Art. 86", R, "An explanation of decisions taken with high-risk AI."),
        ("eu-ai-act", "Art. 50", D, "People must know they are dealing with an AI system."),
        ("lgpd", "Art. 20", R, "A review of automated decisions may be requested."),
    ],
    "output-ownership": [
        ("dsa", "Art. 14", O, "Terms on who owns outputs must be clear and unambiguous."),
        ("eu-ai-act", "Art. 50", O, "AI-generated content is to be marked as such."),
    ],
    "content-licence": [
        ("dsa", "Art. 14", O, "The licence users grant must be stated clearly in the terms."),
        ("eu-ai-act", "Art. 53", O, "Model providers need a policy to respect copyright in training content."),
    ],
    "retention": [
        ("gdpr", "Art. 5", O, "Storage limitation: no longer than needed."),
        ("gdpr", "Art. 13", D, "The storage period, or how it is set, must be stated."),
        ("uk-gdpr", "Art. 5", O, "As under the GDPR."),
        ("ccpa", "§ 1798.100", D, "Retention period for each category must be disclosed."),
        ("coppa", "§ 312.10", O, "Children's data kept only as long as reasonably necessary."),
        ("lgpd", "Art. 16", O, "Data is deleted once processing ends."),
    ],
    "deletion-rights": [
        ("gdpr", "Art. 17", R, "Right to erasure."),
        ("uk-gdpr", "Art. 17", R, "As under the GDPR."),
        ("ccpa", "§ 1798.105", R, "Right to delete."),
        ("coppa", "§ 312.6", R, "Parents may have their child's data deleted."),
        ("lgpd", "Art. 18", R, "Deletion is among the data subject's rights."),
    ],
    "access-portability": [
        ("gdpr", "Art. 15", R, "Right of access."),
        ("gdpr", "Art. 20", R, "Right to portability."),
        ("uk-gdpr", "Art. 15", R, "As under the GDPR."),
        ("uk-gdpr", "Art. 20", R, "As under the GDPR."),
        ("ccpa", "§ 1798.110", R, "Right to know."),
        ("ccpa", "§ 1798.130", O, "Requests answered within 45 days, in a portable format."),
        ("lgpd", "Art. 18", R, "Access and portability are among the data subject's rights."),
    ],
    "sale-sharing": [
        ("ccpa", "§ 1798.115", R, "Right to know what is sold or shared."),
        ("ccpa", "§ 1798.120", R, "Right to opt out of sale or sharing."),
        ("ccpa", "§ 1798.135", O, "A \"Do Not Sell or Share\" link and honouring opt-out signals."),
        ("gdpr", "Art. 6", O, "Disclosing data to third parties needs a lawful basis."),
        ("gdpr", "Art. 13", D, "Recipients must be stated."),
    ],
    "advertising-profiling": [
        ("gdpr", "Art. 21", R, "Objection to direct marketing, profiling included, is absolute."),
        ("gdpr", "Art. 22", R, "Profiling with legal or similar effects."),
        ("dsa", "Art. 26", D, "Ads must say who pays and why the user sees them."),
        ("dsa", "Art. 28", P, "No profiling-based ads to minors."),
        ("dsa", "Art. 38", O, "Very large platforms offer a recommender not based on profiling."),
        ("ccpa", "§ 1798.120", R, "Cross-context behavioural advertising is sharing, which users may refuse."),
    ],
    "children": [
        ("gdpr", "Art. 8", O, "Parental consent below the age of digital consent."),
        ("coppa", "§ 312.4", D, "Notice to parents."),
        ("coppa", "§ 312.5", O, "Verifiable parental consent under 13."),
        ("dsa", "Art. 28", P, "No profiling-based ads to minors; high privacy for minors."),
        ("ccpa", "§ 1798.120", P, "No sale or sharing of under-16s' data without opt-in."),
        ("lgpd", "Art. 14", O, "Children's data processed in their best interest, with parental consent."),
    ],
    "biometric-sensitive-data": [
        ("gdpr", "Art. 9", P, "Processing special categories is prohibited but for listed exceptions."),
        ("uk-gdpr", "Art. 9", P, "As under the GDPR."),
        ("ccpa", "§ 1798.121", R, "Right to limit use of sensitive personal information."),
        ("eu-ai-act", "Art. 5", P, "Biometric categorisation inferring sensitive traits is prohibited."),
        ("lgpd", "Art. 11", O, "Sensitive data only on the listed bases."),
    ],
    "notice-of-changes": [
        ("dsa", "Art. 14", O, "Users are informed of significant changes to the terms."),
        ("gdpr", "Art. 12", D, "Information, changes included, in clear and plain language."),
    ],
    "arbitration-class-action": [
        ("dsa", "Art. 21", R, "Users may turn to a certified out-of-court dispute settlement body."),
    ],
    "law-enforcement-requests": [
        ("dsa", "Art. 10", O, "Authorities' information orders are answered and the user informed."),
        ("gdpr", "Art. 48", P, "A foreign authority's order alone does not allow a transfer."),
    ],
    "international-transfers": [
        ("gdpr", "Art. 44", O, "Transfers only under Chapter V."),
        ("gdpr", "Art. 45", O, "Adequacy decisions."),
        ("gdpr", "Art. 46", O, "Standard contractual clauses and other safeguards."),
        ("gdpr", "Art. 49", O, "Derogations for specific situations."),
        ("uk-gdpr", "Art. 44", O, "As under the GDPR."),
        ("uk-gdpr", "Art. 46", O, "As under the GDPR."),
        ("lgpd", "Art. 33", O, "International transfers only in the listed cases."),
    ],
}


def seed(apps, schema_editor):
    Framework = apps.get_model("provisions", "Framework")
    Article = apps.get_model("provisions", "Article")
    Category = apps.get_model("provisions", "Category")
    CategoryArticle = apps.get_model("provisions", "CategoryArticle")
    frameworks = {}
    for position, (slug, name, short, jurisdiction, citation, url) in enumerate(FRAMEWORKS, start=1):
        frameworks[slug], _ = Framework.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "short_name": short, "jurisdiction": jurisdiction, "citation": citation,
                      "official_url": url, "position": position * 10},
        )
    articles = {}
    for position, (framework, citation, title, url, dpv) in enumerate(ARTICLES, start=1):
        articles[framework, citation], _ = Article.objects.update_or_create(
            framework=frameworks[framework],
            citation=citation,
            defaults={"title": title, "official_url": url, "dpv": dpv, "position": position * 10},
        )
    for category_slug, links in MAPPINGS.items():
        category = Category.objects.get(slug=category_slug)
        for framework, citation, relation, note in links:
            CategoryArticle.objects.update_or_create(
                category=category, article=articles[framework, citation], relation=relation,
                defaults={"note": note},
            )


class Migration(migrations.Migration):
    dependencies = [("provisions", "0006_regulation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
