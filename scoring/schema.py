"""Tables of the scoring stage: matches, flags, claim checks and the explained score."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("credwatch.scoring")


@migrations()
def create_scoring_tables(db: Database) -> None:
    db["provider_matches"].create(
        {
            "provider_id": str,
            "register": str,
            "entry_id": str,
            "matched_name": str,
            "decision": str,  # matched | probable | not_found
            "confidence": float,
            "name_score": float,
            "domain_match": int,
            "id_match": int,
            "reason": str,
            "evidence": str,  # JSON: every feature's score, kept unclamped
        },
        pk=("provider_id", "register", "entry_id"),
    )
    db["flags"].create(
        {
            "id": str,  # sha1 of (subject, rule_id, evidence_url)
            "provider_id": str,
            "offering_id": str,  # null for provider-level flags
            "rule_id": str,  # UPPER_SNAKE, declared in scoring/rules/ (the rules table)
            "value": float,  # 1 for a boolean flag; a score such as niche_score otherwise
            "reason": str,
            "evidence_url": str,
            "evidence_text": str,
        },
        pk="id",
    )
    db["flags"].create_index(["provider_id"])
    db["flags"].create_index(["offering_id"])
    db["score_contributions"].create(
        {
            "id": str,
            "provider_id": str,
            "rule_id": str,
            "points": float,  # signed
            "reason": str,  # a sentence a learner understands
            "evidence_url": str,
            "evidence_text": str,
            "register": str,
            "entry_id": str,
            "snapshot_date": str,
            "source": str,  # the guidance the rule implements and its sources
        },
        pk="id",
    )
    db["score_contributions"].create_index(["provider_id"])
    db["provider_scores"].create(
        {
            "provider_id": str,
            "provider_name": str,
            "provider_url": str,
            "score": float,  # 0-100
            "grade": str,  # A-E
            "registration": str,  # one-line summary of the match decision
            "summary": str,
            "scored_at": str,
        },
        pk="provider_id",
    )


@migrations()
def create_rules_table(db: Database) -> None:
    """Every declared rule, rewritten by each scoring run from `scoring/rules/`."""
    db["rules"].create(
        {
            "rule_id": str,
            "applies_to": str,  # provider | offering
            "points": "ANY",  # the declared number, or "computed: <how>" for a function
            "cap": float,  # bound on the absolute total of the rule's points; null: none
            "reason_template": str,  # the sentence a learner reads, before its facts
            "meaning": str,
            "guidance": str,
            "sources": str,  # JSON list of URLs
        },
        pk="rule_id",
    )


@migrations()
def create_overrides_table(db: Database) -> None:
    """Reviewed corrections from overrides/overrides.yml, rewritten by each scoring run."""
    db["overrides"].create(
        {
            "id": str,
            "provider_id": str,
            "kind": str,  # contribution | match
            "requested_by": str,
            "reviewed_by": str,
            "decided": str,
            "reason": str,
            "changes": str,  # the rule id or the match it corrects
            "expires": str,
            "points": float,  # contribution overrides
            "register": str,  # match overrides
            "entry_id": str,
            "decision": str,  # accept | reject
            "evidence_url": str,
            "status": str,  # applied | expired | not yet in force
        },
        pk="id",
    )


@migrations()
def create_score_history(db: Database) -> None:
    """One row per provider per scoring run, kept across runs (scores over crawl runs)."""
    db["score_history"].create(
        {
            "provider_id": str,
            "crawl_run_id": str,  # the latest crawl run when it was scored ("" before any)
            "scored_at": str,
            "score": float,
            "grade": str,
        },
        pk=("provider_id", "crawl_run_id"),
    )


@migrations()
def create_flag_checks_table(db: Database) -> None:
    """Whether each offering rule that reads the course page could be checked: a flag not
    raised because no course page text was crawled yet is "not checked", never "absent"."""
    db["flag_checks"].create(
        {
            "id": str,  # sha1 of (offering_id, rule_id)
            "provider_id": str,
            "offering_id": str,
            "rule_id": str,
            "state": str,  # raised | clear | not checked
            "reason": str,
        },
        pk="id",
    )
    db["flag_checks"].create_index(["offering_id"])
    db["flag_checks"].create_index(["rule_id", "state"])
