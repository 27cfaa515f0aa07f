"""README.md and docs/ say what the code does: their links lead somewhere in the repository, the
README cites the project's own rulebook (docs/rules.md), not a file it does not have, and the
rulebook's worked example is what the engine computes for the README's demo bill."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.settle_file import run

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_relative_links_lead_to_files_of_the_repository() -> None:
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):  # https:, mailto:
                continue
            assert (doc.parent / target).exists(), (
                f"{doc.name} links to {target}, which is not there"
            )


def test_the_readme_cites_the_projects_own_rulebook() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "RULEBOOK" not in readme  # a file outside this repository
    assert "(docs/rules.md)" in readme


def test_the_rulebooks_worked_example_is_what_the_engine_computes() -> None:
    rulebook = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    example = rulebook[rulebook.index("## A worked example") :]
    computed = json.loads(run(ROOT / "examples" / "demo-bill.json", as_json=True))
    rows = re.findall(r"^\| ([a-z_]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|", example, re.M)
    assert rows == [(x["layer"], x["base"], x["paid"], x["left"]) for x in computed["layers"]]
    totals = computed["totals"]
    assert f"Total {totals['total']}, in policy {totals['in_policy']}." in example
    assert (
        f"Fund paid {computed['fund_paid']}; the patient pays {computed['self_pay']} "
        f"({totals['full_self_pay']} + {totals['pre_self_pay']} + "
        f"{computed['in_policy_self_pay']})" in example
    )
    assert f"a ratio of {computed['in_policy_self_pay_ratio']}" in example
