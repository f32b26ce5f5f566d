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

RULES: dict[str, Rule] = {rule.rule_id: rule for rule in _RULES}
