"""`credwatch flags`: the CSV contract, bad input, and the dev-set evaluation behind `make eval`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from credwatch.cli import cli
from scoring.evaluation.flags import (
    HELD_OUT_SETS,
    TARGETS,
    cross_validated_niche,
    fold_of,
    labelled_run,
    run_flags,
    score_flag,
)

HEADER = "id,provider,title,description,price,currency,duration_hours,certificate_text"


def run(tmp_path: Path, text: str):
    source = tmp_path / "offerings.csv"
    source.write_text(text, encoding="utf-8")
    output = tmp_path / "out" / "flags.csv"
    result = CliRunner().invoke(cli, ["flags", "--input", str(source), "--output", str(output)])
    return result, output


def read_rows(path: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), {row["id"]: row for row in reader}


def test_flags_writes_the_contract_columns_and_values(tmp_path):
    result, output = run(
        tmp_path,
        f"{HEADER},notes\n"
        "a1,FreeCertsHub,Project Management Fundamentals,"
        "Get your free accredited certificate,0,USD,2,Free accredited certificate,x\n"
        "a2,TeachMicro,Checking for Understanding Using Gestures,,,,,micro-credential,\n"
        "a3,Quick Skills AU,Provide Cardiopulmonary Resuscitation (HLTAID009),"
        "Nationally recognised training.,65,AUD,3,Statement of Attainment,\n",
    )
    assert result.exit_code == 0, result.output
    columns, rows = read_rows(output)
    assert columns == ["id", "free_certificate", "over_niche", "niche_score", "reasons"]
    assert [(r["free_certificate"], r["over_niche"]) for r in rows.values()] == [
        ("1", "0"),
        ("0", "1"),
        ("0", "0"),
    ]
    assert rows["a1"]["reasons"] == (
        "free_certificate: 'Get your free accredited certificate' (certificate offered free)"
        " [accredited, recognition_claim_next_to_free] ; value: NO_ASSESSMENT_OR_OUTCOMES"
    )
    assert rows["a2"]["niche_score"] == "0.700"
    assert "over_niche: " in rows["a2"]["reasons"] and "(0.70)" in rows["a2"]["reasons"]
    assert rows["a3"]["niche_score"] == "0.000"
    assert rows["a3"]["reasons"] == ""


def test_only_id_is_required_and_a_non_numeric_price_is_read_as_text(tmp_path):
    result, output = run(
        tmp_path,
        "id,title,price,certificate_text\n"
        "b1,Excel Fundamentals,,Certificate\n"
        "b2,Teamwork Skills,Free,Digital certificate\n",
    )
    assert result.exit_code == 0, result.output
    assert "row 2: price 'Free' is not a number; read as text" in result.stderr
    assert "row 1" not in result.stderr
    _, rows = read_rows(output)
    assert rows["b2"]["free_certificate"] == "1"
    assert rows["b1"]["free_certificate"] == "0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("title,price\nExcel,0\n", "no 'id' column"),
        (f"{HEADER}\n", "no offerings below the header row"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, text, message):
    result, output = run(tmp_path, text)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("credwatch: error: ") and message in lines[0]
    assert not output.exists()


def test_missing_input_file_is_one_line_and_exit_2(tmp_path):
    missing = tmp_path / "nope.csv"
    result = CliRunner().invoke(
        cli, ["flags", "--input", str(missing), "--output", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == f"credwatch: error: {missing}: file not found"


def test_dev_set_meets_the_issue_targets(shared_dir, tmp_path):
    """The figures `make eval` prints, held as a regression guard on the labelled dev set."""
    dev_set = shared_dir / "eval" / "offerings-dev.csv"
    with dev_set.open(newline="", encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle))
    predicted = run_flags(dev_set, tmp_path / "flags.csv")
    assert set(predicted) == {row["id"] for row in labels}
    for flag, targets in TARGETS.items():
        score = score_flag(flag, labels, predicted)
        for metric, target in targets.items():
            assert getattr(score, metric) >= target, (flag, metric, score.errors)


def test_out_of_sample_figures_choose_each_folds_threshold_on_the_other_folds():
    rows = [{"id": f"n{n}", "over_niche": str(n % 2), "title": ""} for n in range(40)]
    predicted = {
        row["id"]: {"niche_score": "0.9" if row["over_niche"] == "1" else "0.1"} for row in rows
    }
    assert {fold_of(row["id"]) for row in rows} == set(range(5))
    assert fold_of("w3") == fold_of("w3")
    score = cross_validated_niche(rows, predicted)
    assert (score.precision, score.recall, score.scored) == (1.0, 1.0, 40)


# Regression floors below each set's measured figures; the fourth set's recall measured 0.62
# (0.48 before the signals that read frames, name prefixes and object-first compounds).
HELD_OUT_FLOORS = {"fourth set": (0.8, 0.55)}


@pytest.mark.parametrize("name", sorted(HELD_OUT_SETS))
def test_held_out_labelled_sets_are_reported_and_balanced(tmp_path, name):
    """The sets written before tuning: at least 100 titles each, half trivial; the floors
    guard against regressions and are not targets."""
    labels, predicted = labelled_run(HELD_OUT_SETS[name])
    assert len(labels) >= 100
    assert sum(row["over_niche"] == "1" for row in labels) * 2 == len(labels)
    assert all(row["title"] and not row["id"].startswith("#") for row in labels)
    score = score_flag("over_niche", labels, predicted)
    precision_floor, recall_floor = HELD_OUT_FLOORS.get(name, (0.8, 0.7))
    assert score.precision >= precision_floor and score.recall >= recall_floor
