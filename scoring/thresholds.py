"""Every threshold of provider matching, in one place, each with the reason for its value.

Scores are on rapidfuzz's 0-100 scale; coverages and confidences are 0-1.
"""

from __future__ import annotations

# --- blocking (which register names are scored at all) -------------------------------
# A blocking key (word or 4-letter word prefix) shared by more register names than this is
# too generic to narrow anything ("college", "training", "austr"): skipped, so a query is
# compared with a few hundred names, not 25,000.
BLOCK_MAX_NAMES = 600
# When every key of a query is generic, still look at its rarest keys, this many of them.
BLOCK_FALLBACK_KEYS = 2
# Candidates kept from the vectorised first pass for the explained second pass.
FUZZY_SHORTLIST = 8

# --- fuzzy name evidence -----------------------------------------------------------------
# Similarity (OSA edit distance, a transposition costs one edit) a fuzzy name must reach to
# be accepted: one typo in a 13-letter name ("Nobel Colelge") scores 92; two different words
# of a similar length ("Curtin College" vs "Curtin University") fall far below.
FUZZY_ACCEPT = 88.0
# Share of identifying weight (IDF) that must agree in BOTH directions: the generic words
# ("college", "institute", "australia") weigh little, so an invented look-alike that adds
# or swaps one distinctive word ("Wichita Technical University") fails even when the
# characters are close.
COVERAGE_ACCEPT = 0.85
# Two words are the same word when their OSA similarity reaches this (one typo in 5+ letters).
TOKEN_SAME = 0.78
# Words this short must agree exactly: "uq" vs "ub" is a different provider, not a typo.
TOKEN_EXACT_BELOW = 4
# Inputs of one short word are acronyms: only exact aliases count, never character similarity.
ACRONYM_MAX_LETTERS = 6

# A register id seen on a page or given as input is accepted only when the input name and
# the entry's name share at least this much identifying (IDF) weight, read in whichever
# direction agrees more (or the names are a close fuzzy match). "Acme First Aid" showing
# the code of "Acme Safety Training" agrees (0.57); "Redgum Ridge Workplace Skills" showing
# the code of "Emergency First Aid" does not (0.0), nor does a name sharing only generic
# words such as "training" (about 0.1).
ID_NAME_AGREEMENT = 0.3

# --- website evidence ----------------------------------------------------------------------
# With no name match, a register entry on the input's registrable domain is accepted when its
# best name still shares this much (token_set_ratio): "International College of Management"
# on icms.edu.au vs "International College of Management, Sydney".
DOMAIN_NAME_SUPPORT = 60.0

# --- ambiguity ------------------------------------------------------------------------------
# More same-named entries in one register than this, with no website or id to tie-break,
# are unrelated namesakes ("VOCATIONAL EDUCATION AND TRAINING" x 9): downgraded to probable.
AMBIGUOUS_SAME_NAME = 4

# --- confidence per kind of evidence (reported, and used to order candidates) ----------------
CONFIDENCE = {
    "id": 0.99,  # a register id printed on the provider's page or given as input
    "domain+name": 0.97,  # same website and a name that agrees
    "exact-legal": 0.95,  # the register's own legal name
    "exact-trading": 0.93,  # a trading name the register lists
    "exact-alias": 0.9,  # IPEDS alias, UK synonym, bracketed abbreviation
    "same-legal-name": 0.88,  # another register's entry of the provider matched above
    "variant": 0.85,  # after removing campus words, a lead-in, or reordering "University of"
    "brand-prefix": 0.8,  # a leading acronym brand such as "TAFE NSW"
    "initials": 0.8,  # the initials of one provider's name ("CDU"), no register alias equal
    "current-namesake": 0.85,  # the one current entry named "<input> ...", the input's own
    # entries all cancelled or non-current ("Australian Institute of Management")
    "fuzzy": 0.75,  # scaled by the name similarity
    "domain-only": 0.7,  # same website, name only loosely similar
}
# Confidence of a decision below this is reported as "probable", not "matched".
MATCHED_MIN_CONFIDENCE = 0.8
# The ambiguity downgrade multiplies confidence by this.
AMBIGUITY_PENALTY = 0.75
