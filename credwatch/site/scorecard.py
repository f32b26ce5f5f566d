"""The report card's score breakdown: a starting row, one row per rule, the total, all adding up.

The score stage stores each contribution already capped (a rule's pieces scaled so their
sum is the rule's capped total) and the score clamped to 0-100. Shown as whole points, the
rows would not visibly add up, so each row also gets a whole-point `shown` value, rounded
by largest remainder so that start + rows (+ the 0-100 range row when the clamp bit) equals
the total shown. The JSON form carries both the exact points and the shown ones.
"""

from __future__ import annotations

import math
from html import escape

from scoring.score import BASE_SCORE

START_REASON = (
    "Every provider starts here: being on no register is not bad by itself, "
    "so evidence moves the score up or down from the middle"
)
QUOTES_SHOWN = 3


def whole(value: float) -> int:
    """Round half up, the way a reader rounds (Python's round() rounds 0.5 to even)."""
    return math.floor(value + 0.5)


def breakdown(score: dict, contributions: list[dict], rules: dict[str, dict]) -> dict:
    """Start, one row per rule (largest effect first), the range row if any, and the total."""
    rows = _rule_rows(contributions, rules)
    exact = BASE_SCORE + sum(row["points"] for row in rows)
    clamp = round(score["score"] - exact, 2)
    extra = None
    if abs(clamp) >= 0.05:
        extra = {"label": _range_label(exact, score["score"]), "points": clamp}
    total_shown = whole(score["score"])
    _shown(rows, extra, total_shown - whole(BASE_SCORE))
    return {
        "provider_id": score["provider_id"],
        "start": BASE_SCORE,
        "start_reason": START_REASON,
        "rows": rows,
        "range": extra,
        "total": score["score"],
        "total_shown": total_shown,
        "grade": score["grade"],
    }


def _range_label(exact: float, stored: float) -> str:
    if exact > 100 and stored == 100:
        return "the score range ends at 100"
    if exact < 0 and stored == 0:
        return "the score range ends at 0"
    return "stored score differs from its rows (scored with other rules)"


def _rule_rows(contributions: list[dict], rules: dict[str, dict]) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for item in contributions:
        groups.setdefault(item["rule_id"], []).append(item)
    rows = []
    for rule_id, items in groups.items():
        pages = {item["evidence_url"] for item in items if item.get("evidence_url")}
        rule = rules.get(rule_id, {})
        rows.append(
            {
                "rule_id": rule_id,
                "points": _capped(sum(item["points"] for item in items), len(items), rule),
                "count": len(items),
                "pages": len(pages),
                "reason": items[0]["reason"],
                "meaning": rule.get("meaning") or "",
                "source": items[0].get("source") or "",
                "first": items[:QUOTES_SHOWN],
                "rest": items[QUOTES_SHOWN:],
            }
        )
    return sorted(rows, key=lambda row: (-abs(row["points"]), row["rule_id"]))


def _capped(total: float, count: int, rule: dict) -> float:
    """The rule's total as the score counted it: its cap exactly, when the stored pieces (each
    scaled to the cap and rounded to 0.01) add up to the cap give or take their rounding."""
    cap = rule.get("cap")
    if cap is not None and abs(abs(total) - cap) <= 0.005 * count + 1e-9:
        return float(cap) if total > 0 else -float(cap)
    return round(total, 2)


def _shown(rows: list[dict], extra: dict | None, target: int) -> None:
    """Whole points per row summing exactly to `target` (largest-remainder rounding)."""
    parts = [*rows, *([extra] if extra else [])]
    floors = [math.floor(part["points"]) for part in parts]
    remainders = sorted(range(len(parts)), key=lambda i: -(parts[i]["points"] - floors[i]))
    short = target - sum(floors)
    if not 0 <= short <= len(parts):  # only when a stored total disagrees with its rows
        raise ValueError(f"rows cannot be rounded to add up to {target:+d} points")
    for rank, i in enumerate(remainders):
        parts[i]["shown"] = floors[i] + (1 if rank < short else 0)


def waterfall_svg(card: dict) -> str:
    """A server-side waterfall chart: the start, each rule's step, the total (no JavaScript)."""
    steps = [("start", card["start"], 0.0, True)]
    running = float(whole(card["start"]))
    for part in [*card["rows"], *([card["range"]] if card["range"] else [])]:
        label = part.get("rule_id") or part["label"]
        steps.append((label, running + part["shown"], running, False))
        running += part["shown"]
    steps.append(("total", running, 0.0, True))
    bar, gap, left, width = 20, 6, 210, 360
    height = len(steps) * (bar + gap) + gap

    def x(points: float) -> float:
        return left + width * max(0.0, min(100.0, points)) / 100

    shapes = [
        f'<svg class="waterfall" role="img" viewBox="0 0 {left + width + 50} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>Score from {whole(card["start"])} '
        f"to {card['total_shown']}</title>"
    ]
    for row, (label, end, start, whole_bar) in enumerate(steps):
        y = gap + row * (bar + gap)
        low, high = sorted((start, end))
        kind = "total" if whole_bar else ("gain" if end >= start else "loss")
        change = f"{end:.0f}" if whole_bar else f"{end - start:+.0f}"
        shapes.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="{kind}" x="{x(low):.1f}" y="{y}" '
            f'width="{max(x(high) - x(low), 1.5):.1f}" height="{bar}"/>'
            f'<text x="{x(high) + 4:.1f}" y="{y + 15}">{change}</text>'
        )
    shapes.append("</svg>")
    return "".join(shapes)
