"""Every rule credwatch applies, in one place: its id, what it means, and the guidance behind it.

Flags, claim checks and score contributions cite a `rule_id` from here; the published database
and `credwatch check` show the meaning and sources to readers. Ids are UPPER_SNAKE and stable.
The "R" numbers refer to the red-flag table the project's research notes keep (red-flags.md).
"""

from __future__ import annotations

from dataclasses import dataclass

MICROCREDENTIALS_FRAMEWORK = (
    "https://ontargetworkskills.com/2022/03/29/national-microcredentials-framework/",
    "https://vdc.edu.au/?p=16851",
    "https://www.voced.edu.au/content/ngv%3A93222",
)
OFQUAL_REGULATED = (
    "http://webarchive.nationalarchives.gov.uk/+/https:/www.gov.uk/"
    "apply-to-have-your-qualifications-regulated",
)


@dataclass(frozen=True)
class Rule:
    """One documented rule. `applies_to` is "offering" or "provider"."""

    rule_id: str
    applies_to: str
    meaning: str
    guidance: str
    sources: tuple[str, ...]


_RULES = (
    Rule(
        "FREE_CERTIFICATE",
        "offering",
        "The listing promises a certificate, badge or statement at no cost to the learner. "
        "Free access with a paid certificate (audit tracks, 'upgrade for a certificate', "
        "'certificate available to purchase') and 'certificate not included' do not count. "
        "A fact, not a verdict: its context tags (fee-free government course, accredited or "
        "internationally recognised wording next to 'free', CPD) decide what it is worth.",
        "R19 'free certificate' offers; R4 free courses that are not free; data-sources "
        "section 3 (five groups of free-certificate wording)",
        (
            "https://iblnews.org/edx-removes-free-certificates-and-adds-verified-and-xseries-"
            "credentials-udacity-leads-the-way",
            "https://campustechnology.com/articles/2019/01/08/mooc-operator-edx-solidifies-"
            "paywall.aspx",
            "https://www.futurelearn.com/info/faq/upgrading",
            "https://learner.coursera.help/hc/en-us/articles/360049172132",
            "https://dewr.gov.au/newsroom/articles/skill-change-feefree-tafe",
        ),
    ),
    Rule(
        "OVER_NICHE",
        "offering",
        "The credential certifies one trivial micro-behaviour or one button of one tool "
        "('Checking for Understanding Using Gestures', 'Excel: Changing the Font Colour') "
        "rather than a skill an employer could hire for. Scored 0-1 (niche_score) from the "
        "title's structure and word classes, duration, subject breadth across the input, and "
        "national unit codes or licences (evidence against); raised at 0.5. Narrow but "
        "recognised units (CPR, RSA, White Card) are not over-niche.",
        "R6 micro-credential below national minimums; skill-signals notes",
        MICROCREDENTIALS_FRAMEWORK,
    ),
    Rule(
        "SHORT_DURATION",
        "offering",
        "Under one hour of learning, from the stated duration or a number of minutes in the "
        "listing: below the National Microcredentials Framework minimum.",
        "R6 micro-credential below national minimums; R3 unrealistically short duration",
        (
            *MICROCREDENTIALS_FRAMEWORK,
            "https://www.asqa.gov.au/how-we-regulate/risk-priorities/shortened-course-duration",
        ),
    ),
    Rule(
        "NO_ASSESSMENT_OR_OUTCOMES",
        "offering",
        "A credential is promised but the listing states neither how it is assessed nor its "
        "learning outcomes. A weak value signal: it reads only what the listing says.",
        "R6 micro-credential below national minimums",
        MICROCREDENTIALS_FRAMEWORK,
    ),
    Rule(
        "ATTENDANCE_CERTIFICATE",
        "offering",
        "A certificate of attendance, completion or participation with no assessment; the "
        "reason notes when it is presented with qualification wording (accredited, "
        "recognised, diploma, CPD). A value discount, not fraud.",
        "R7 attendance-only certificate presented as a qualification",
        OFQUAL_REGULATED,
    ),
)

ASQA_CHECKLIST = (
    "http://www.legislation.nsw.gov.au/fragview/inforce/act+100+2005+pt.3-div.1+0+Y?tocnav=y",
    "https://old.insources.com.au/blog/blog-category/article-category-blog/94-quality-and-"
    "compliance/467-choosing-a-training-provider-asqa-s-consumer-checklist",
)
DIPLOMA_MILLS = (
    "http://www.Chea.org/important-questions-about-degree-mills",
    "http://www.maine.gov/doe/highered/nonaccredited/mills/identify.html",
)

_CLAIM_RULES = (
    Rule(
        "REGISTERED",
        "provider",
        "A current register entry is this provider (matched by name, website domain or a "
        "register id it shows). Points for being registered; the entry and its snapshot date "
        "are the evidence.",
        "R1 check registration; data-sources (registers and their snapshots)",
        ASQA_CHECKLIST,
    ),
    Rule(
        "REGISTRATION_NOT_CURRENT",
        "provider",
        "This provider's own entry is suspended, cancelled, non-current or withdrawn. "
        "Suspension is a sanction; 'Cancelled' and 'Non-Current' often are voluntary exits "
        "(e.g. the Australian Taxation Office, RTO 0029), so those cost less and say so.",
        "R16 not registered when a qualification is issued; R17 active sanctions",
        ("https://www.teqsa.gov.au/national-register/about-national-register",),
    ),
    Rule(
        "CODE_CONFIRMED",
        "provider",
        "An RTO or CRICOS code shown on the site is this provider's own current entry.",
        "R1, R2 (name and code shown, and they agree)",
        ASQA_CHECKLIST,
    ),
    Rule(
        "CODE_NOT_ON_REGISTER",
        "provider",
        "An RTO or CRICOS code shown on the site is not on the register snapshot at all. "
        "The reason names the snapshot date: a provider registered after it is not found.",
        "R1 claims registration without being registered",
        ASQA_CHECKLIST,
    ),
    Rule(
        "CODE_OF_OTHER_ORGANISATION",
        "provider",
        "An RTO or CRICOS code shown on the site belongs to a different organisation.",
        "R1; R2 third-party brokers advertising another RTO's courses",
        (
            "http://waterproof-coating.com/guilty-verdict-reinforces-importance-of-"
            "transparency-for-third-party-rto-agreements",
        ),
    ),
    Rule(
        "NATIONAL_RECOGNITION_UNBACKED",
        "provider",
        "'Nationally recognised' or a national course/unit code (e.g. HLTAID011) with no "
        "current registered training organisation matching the provider.",
        "R1 claims to issue recognised qualifications without registration",
        ASQA_CHECKLIST,
    ),
    Rule(
        "INVALID_ABN",
        "provider",
        "An Australian Business Number shown on the site fails the official checksum "
        "(weights 10,1,3,...,19 after subtracting 1 from the first digit; divisible by 89).",
        "R14 no verifiable business identity",
        ("https://abr.business.gov.au/Help/AbnFormat",),
    ),
    Rule(
        "UNIVERSITY_TITLE_UNBACKED",
        "provider",
        "The provider's name says 'university' but no register searched lists it as one.",
        "R9 misuse of 'university' (TEQSA Act 2011)",
        (
            "https://www.legislation.gov.au/C2011A00073/2023-10-17/2023-10-17/text/original/"
            "epub/OEBPS/document_1/document_1.html",
        ),
    ),
    Rule(
        "REGULATOR_NAMED_UNREGISTERED",
        "provider",
        "Names a regulator (ASQA, TEQSA, Ofqual) while not on the register that regulator keeps.",
        "R8 regulator logo or 'regulated' claim without registration",
        OFQUAL_REGULATED,
    ),
    Rule(
        "VAGUE_RECOGNITION",
        "provider",
        "'Internationally recognised', 'government approved' or 'accredited' from a provider "
        "on no register searched: a recognition no register backs.",
        "R11 accreditation by an unrecognised body; R15 unbacked claims",
        ("https://scamencyclopedia.org/compare/real-online-course-vs-fake-certificate-scam",),
    ),
    Rule(
        "LIFE_EXPERIENCE_CREDENTIAL",
        "provider",
        "Credentials for life or work experience.",
        "R12 credential for life experience",
        DIPLOMA_MILLS,
    ),
    Rule(
        "SAME_DAY_CERTIFICATE",
        "provider",
        "'Same day' or 'instant' certificates.",
        "R5 same-day certificates (ACCC v RSA Express)",
        (
            "https://www.adreview.com.au/post/express-online-training-found-to-have-misled-"
            "consumers-about-course-completion-and-payment-claims",
        ),
    ),
    Rule(
        "GUARANTEED_OUTCOME",
        "provider",
        "A guaranteed pass or job ('100% pass', 'job guaranteed').",
        "R4 too-good-to-be-true inducements",
        (
            "https://www.afr.com/news/policy/education/asqa-blitz-on-training-providers-20130203-jibyy",
        ),
    ),
    Rule(
        "BLOCKED_CHEATING_SITE",
        "provider",
        "The provider's website or a course page's host is on TEQSA's list of blocked "
        "illegal academic-cheating websites.",
        "TEQSA blocked illegal cheating websites",
        ("https://www.teqsa.gov.au/blocked-illegal-cheating-websites",),
    ),
    Rule(
        "LOOKALIKE_NAME",
        "provider",
        "The name is very close to a registered provider's while the register entry does not "
        "match this site (different website domain, no shared id).",
        "R10 name imitates a known institution",
        (
            "https://thehrdirector.com/business-news/graduates-and-employment/government-"
            "launches-service-to-combat-fake-universities",
        ),
    ),
    Rule(
        "TRANSPARENT_LISTINGS",
        "provider",
        "Most listings state both price and duration, so a learner can compare before paying.",
        "R13 price unrelated to teaching (the opposite signal)",
        DIPLOMA_MILLS,
    ),
    Rule(
        "UNREGISTERED_NO_CLAIMS",
        "provider",
        "On no register and claims no registration: costs nothing (most online sellers are "
        "legitimately unregistered); shown so the reader knows registers were searched.",
        "red-flags notes: 'unregistered is not bad by itself'",
        DIPLOMA_MILLS,
    ),
)

RULES: dict[str, Rule] = {rule.rule_id: rule for rule in (*_RULES, *_CLAIM_RULES)}
