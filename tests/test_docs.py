"""README.md and docs/ say what the code does.

- their links lead somewhere in the repository;
- every ``docs/<name>.md`` the repository mentions (code comments, docstrings, README, policy
  notes, the docs themselves) exists, and every section it names (``docs/rules.md §4``,
  ``docs/api.md "Settlement"``) is a heading of that file;
- the worked examples of docs/rules.md §7 are what the engine computes for the same cases
  (``tests/engine/cases/rulebook_examples.yaml``), and example 1 is what ``onestop settle-file``
  prints for the README's demo bill.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine.caseformat import load_cases, settle_case

from app.engine import Settlement, format_fen
from app.engine.report import settlement_dict
from app.policy import load_directory
from app.settle_file import run

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# What is not the project's own text: tools' caches, installs, generated build output.
_SKIPPED_DIRS = {
    ".git",
    ".venv",
    ".data",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    ".import_linter_cache",
    "node_modules",
}
# `docs/rules.md`, then any `§N` (a list: `§4, §5`) or one quoted heading right after it.
_REFERENCE = re.compile(r'docs/([\w.-]+\.md)((?:,? ?§\d+)*)(?: "([^"\n]+)")?')


def _text_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.iterdir()):
        if path.is_dir():
            if path.name not in _SKIPPED_DIRS and not path.name.endswith(".egg-info"):
                yield from _text_files(path)
        elif path.is_file():
            yield path


def _headings(doc: Path) -> list[str]:
    return re.findall(r"^#+ +(.+?) *$", doc.read_text(encoding="utf-8"), re.M)


def dangling_references(root: Path) -> list[str]:
    """Every mention of ``docs/<name>.md`` under ``root`` that names a missing file, a section
    number no ``## N.`` heading has, or a quoted heading the file does not have."""
    found: list[str] = []
    for path in _text_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # not text
        for match in _REFERENCE.finditer(text):
            name, sections, heading = match.groups()
            where = f"{path.relative_to(root)}:{text.count(chr(10), 0, match.start()) + 1}"
            doc = root / "docs" / name
            if not doc.is_file():
                found.append(f"{where}: docs/{name} does not exist")
                continue
            headings = _headings(doc)
            numbered = {m.group(1) for h in headings if (m := re.match(r"§?(\d+)\.? ", h))}
            for number in re.findall(r"§(\d+)", sections):
                if number not in numbered:
                    found.append(f"{where}: docs/{name} has no section §{number}")
            if heading is not None and not any(h.startswith(heading) for h in headings):
                found.append(f'{where}: docs/{name} has no heading "{heading}"')
    return found


def test_relative_links_lead_to_files_of_the_repository() -> None:
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):  # https:, mailto:
                continue
            assert (doc.parent / target).exists(), (
                f"{doc.name} links to {target}, which is not there"
            )


def test_every_docs_reference_in_the_repository_exists() -> None:
    assert dangling_references(ROOT) == []


def test_a_dangling_reference_is_found(tmp_path: Path) -> None:
    """The check above on a tree made for it: it finds what is missing, and only that. (The
    references are put together here so that this file itself holds none that dangle.)"""
    d = "docs/"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rules.md").write_text("# Rules\n\n## 1. Money\n\n## 2. Who\n")
    (tmp_path / "docs" / "api.md").write_text("# API\n\n## Settlement (hospital)\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "a.py").write_text(
        f'"""{d}rules.md §1, {d}rules.md §2, §3; {d}api.md "Settlement".\n'
        f'{d}api.md "Registries"; see {d}gone.md."""\n'
    )
    (tmp_path / "app" / "blob.bin").write_bytes(b"\xff\xfe " + f"{d}gone.md".encode())
    assert dangling_references(tmp_path) == [
        f"app/a.py:1: {d}rules.md has no section §3",
        f'app/a.py:2: {d}api.md has no heading "Registries"',
        f"app/a.py:2: {d}gone.md does not exist",
    ]


def test_the_readme_points_at_the_projects_own_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "RULEBOOK" not in readme  # files outside this repository
    assert "API.md" not in readme
    for doc in ("rules.md", "api.md", "design.md"):
        assert f"(docs/{doc})" in readme


def test_the_rules_have_the_sections_code_comments_cite() -> None:
    """Comments cite the rules by number, §1 to §7, each on one topic."""
    headings = [h for h in _headings(ROOT / "docs" / "rules.md") if re.match(r"\d+\. ", h)]
    assert headings == [
        "1. Money and rounding",
        "2. Who, where, when",
        "3. Classifying the bill",
        "4. The layers",
        "5. The demo policy's parameters",
        "6. The result and its invariants",
        "7. Worked examples",
    ]


# -- docs/rules.md §7 --------------------------------------------------------------------------

RULES = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
WORKED = RULES[RULES.index("## 7. Worked examples") :]
CASES = {case.name: case for case in load_cases()}
POLICIES = [document.policy for document in load_directory()]
EXAMPLES = {  # §7 example → the case it is in tests/engine/cases/rulebook_examples.yaml
    1: "rulebook-example-1",
    2: "rulebook-example-2",
    3: "rulebook-example-3",
    4: "rulebook-example-4-after-example-1",  # example 1 settled by the engine first
}


def _example(number: int) -> str:
    start = WORKED.index(f"### Example {number}:")
    end = WORKED.find("\n### ", start + 1)
    return WORKED[start : None if end < 0 else end]


def _layer_rows(text: str) -> list[tuple[str, str, str, str]]:
    return re.findall(r"^\| ([a-z_]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|", text, re.M)


def _what_it_says(text: str) -> dict[str, object]:
    """The figures an example's table and closing sentence give."""
    sentence = re.search(
        r"Fund paid ([\d.]+); the patient pays ([\d.]+) \(([\d.]+) \+ ([\d.]+) \+ ([\d.]+)\);"
        r"\s+in-policy self-pay\s+([\d.]+) of ([\d.]+), a ratio of ([\d.]+)\.",
        text,
    )
    assert sentence is not None, text
    return {"layers": _layer_rows(text), "sentence": sentence.groups()}


def _what_the_engine_says(computed: dict[str, object]) -> dict[str, object]:
    totals: dict[str, str] = computed["totals"]  # type: ignore[assignment]
    layers: list[dict[str, str]] = computed["layers"]  # type: ignore[assignment]
    return {
        "layers": [(x["layer"], x["base"], x["paid"], x["left"]) for x in layers],
        "sentence": (
            computed["fund_paid"],
            computed["self_pay"],
            totals["full_self_pay"],
            totals["pre_self_pay"],
            computed["in_policy_self_pay"],
            computed["in_policy_self_pay"],
            totals["in_policy"],
            computed["in_policy_self_pay_ratio"],
        ),
    }


def _engine(case_name: str) -> Settlement:
    _, _, settlement = settle_case(CASES[case_name], POLICIES)
    return settlement


@pytest.mark.parametrize("number", sorted(EXAMPLES))
def test_each_worked_example_is_what_the_engine_computes(number: int) -> None:
    computed = settlement_dict(_engine(EXAMPLES[number]))
    assert _what_it_says(_example(number)) == _what_the_engine_says(computed)


def test_the_examples_bill_is_the_cases_bill() -> None:
    totals = _engine("rulebook-example-1").totals
    bill = WORKED[: WORKED.index("### Example 1:")]
    amounts = re.findall(r"^\| [^|]+ \| [ABC][^|]* \| ([\d.]+) \|", bill, re.M)
    assert amounts == ["1000.00", "5000.00", "14000.00"]
    assert sum(int(a.replace(".", "")) for a in amounts) == totals.total_fen
    assert (
        f"Total {format_fen(totals.total_fen)}, in policy {format_fen(totals.in_policy_fen)}."
        in (" ".join(bill.split()))
    )


def test_example_1_is_what_settle_file_prints_for_the_demo_bill() -> None:
    computed = json.loads(run(ROOT / "examples" / "demo-bill.json", as_json=True))
    assert _what_it_says(_example(1)) == _what_the_engine_says(computed)


def test_example_4_reads_example_1s_accumulators() -> None:
    """The accumulators example 4 names are the ones example 1 leaves."""
    deltas = settlement_dict(_engine("rulebook-example-1"))["accumulator_deltas"]
    text = " ".join(_example(4).split())
    assert f"basic paid {deltas['basic:paid_fen']}" in text
    assert f"critical-illness base {deltas['critical_illness:base_fen']}" in text
    assert f"supplementary paid {deltas['supplementary:paid_fen']}" in text
    assert f"tilted {deltas['tilted:paid_fen']}" in text
    assert f"civil assistance {deltas['civil_assistance:paid_fen']}" in text


# -- docs/rules.md §5 ----------------------------------------------------------------------------


def _yuan(value: str | None) -> str:
    """A policy amount as §5 writes it: ``"150000.00"`` → ``150000``; no cap → ``none``."""
    return "none" if value is None else value.removesuffix(".00")


def _bands(bands: list[dict[str, str | None]]) -> str:
    first, *rest = bands
    text = f"{first['ratio']} from {_yuan(first['from'])} to {_yuan(first['to'])}"
    for band in rest:
        upto = "above" if band["to"] is None else f"to {_yuan(band['to'])}"
        text += f", {band['ratio']} {upto}"
    return text


def _table(section: str) -> dict[str, list[str]]:
    """A markdown table's rows by their first cell (the header row included, the rule not)."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    return {row[0]: row[1:] for row in rows}


def test_the_demo_parameters_are_the_policy_documents() -> None:
    """§5's table says what `policies/panzhihua/2018-01-01.yaml` says, and its last paragraph
    where the 2019 document differs."""
    documents = {d.policy.id: d.document for d in load_directory()}
    layers = {k: v["params"] for k, v in documents["panzhihua-2018"]["layers"].items()}
    section = RULES[RULES.index("## 5.") : RULES.index("## 6.")]
    table = _table(section)
    profiles = ("general", "registered_poor")
    levels = ("primary", "secondary", "tertiary")

    def by_level(name: str, as_written: bool = False) -> list[str]:
        values = layers["basic"][name]["value"]
        write = str if as_written else _yuan
        return [" / ".join(write(values[p][level]) for level in levels) for p in profiles]

    assert table["parameter"] == ["`general`", "`registered_poor`"]
    assert table["basic deductible `D`, primary / secondary / tertiary"] == by_level("deductible")
    assert table["basic ratio `R`, primary / secondary / tertiary"] == by_level("ratio", True)
    reduction = layers["basic"]["out_of_county_no_referral_reduction"]["value"]
    assert table["basic: out of county without a referral"] == [f"ratio {reduction} lower"] * 2
    caps = layers["basic"]["annual_cap"]["value"]
    assert table["basic annual cap"] == [_yuan(caps[p]) for p in profiles]
    bands = layers["critical_illness"]["bands"]["value"]
    assert table["critical-illness bands over the accumulated base"] == [
        _bands(bands[p]) for p in profiles
    ]
    caps = layers["critical_illness"]["annual_cap"]["value"]
    assert table["critical-illness annual cap"] == [_yuan(caps[p]) for p in profiles]
    supplementary = layers["supplementary"]
    assert supplementary["eligible"]["value"] == ["registered_poor"]
    assert table["supplementary ratio `S`, annual cap"] == [
        "not eligible",
        f"{supplementary['ratio']['value']}, {_yuan(supplementary['annual_cap']['value'])}",
    ]
    tilted = layers["tilted"]
    assert tilted["eligible"]["value"] == ["registered_poor"] and tilted["in_county_only"]["value"]
    assert table["tilted target `T`"] == [
        "not eligible",
        f"{tilted['target_ratio']['value']} of in_policy, in county only, no cap",
    ]
    civil = layers["civil_assistance"]["categories"]["value"]
    assert table["civil assistance ratio `A`, annual cap"] == [
        "not eligible",
        f"{civil['registered_poor']['ratio']}, {_yuan(civil['registered_poor']['annual_cap'])}",
    ]
    prose = " ".join(section.split())
    for category, entry in civil.items():
        cap = entry["annual_cap"]
        said = "with no cap" if cap is None else f"with a cap of {_yuan(cap)}"
        assert f"`{category}` {entry['ratio']} {said}" in prose
    later = documents["panzhihua-2019"]["layers"]["critical_illness"]["params"]["bands"]["value"]
    starts = [_yuan(later[p][0]["from"]) for p in profiles]
    assert f"{starts[0]} (`general`) and {starts[1]} (`registered_poor`)" in prose
