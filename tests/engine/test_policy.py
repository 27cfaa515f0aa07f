"""Policy documents: validation errors name the field, date-effective lookup, content hash."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.engine import PolicyError, build_policy, in_force
from app.engine.policy import layer_names, sources
from app.engine.spec import TAGS
from app.policy import POLICY_DIR, load_directory, load_document, parse_document
from app.policy.loader import NOT_POLICIES

# policies/nhsa/ holds the national interface's code values, not policy documents (loader.py)
SHIPPED = sorted(
    p for p in POLICY_DIR.rglob("*.yaml") if p.relative_to(POLICY_DIR).parts[0] not in NOT_POLICIES
)
BASE_PATH = POLICY_DIR / "panzhihua" / "2018-01-01.yaml"


def base_document() -> dict[str, Any]:
    return yaml.safe_load(BASE_PATH.read_text(encoding="utf-8"))


def params(doc: dict[str, Any], layer: str) -> dict[str, Any]:
    return doc["layers"][layer]["params"]


def errors_of(doc: Any) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(PolicyError) as info:
        parse_document(doc)
    return info.value.errors


Mutation = Callable[[dict[str, Any]], None]

P = ("layers",)  # shorthand for locs below


def _set(path: tuple[Any, ...], value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _swap_general_bands(doc: dict[str, Any]) -> None:
    bands = params(doc, "critical_illness")["bands"]["value"]["general"]
    bands[0], bands[1] = bands[1], bands[0]


def _drop_from_order(name: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc["order"].remove(name)

    return mutate


def _append_to_order(name: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc["order"].append(name)

    return mutate


BASIC = ("layers", "basic", "params")
CRITICAL = ("layers", "critical_illness", "params")
SUPPLEMENTARY = ("layers", "supplementary", "params")
TILTED = ("layers", "tilted", "params")
CIVIL = ("layers", "civil_assistance", "params")

# (test id, mutation, the loc the error must name, words the message must contain)
INVALID: list[tuple[str, Mutation, tuple[Any, ...], str]] = [
    ("unknown-layer-in-order", _append_to_order("lottery"), ("order", 5), "unknown layer"),
    ("layer-listed-twice", _append_to_order("basic"), ("order", 5), "listed twice"),
    ("layer-not-in-order", _drop_from_order("tilted"), ("layers", "tilted"), "not listed in order"),
    (
        "order-lists-missing-layer",
        _delete(("layers", "tilted")),
        ("layers", "tilted"),
        "missing: listed in order",
    ),
    ("order-empty", _set(("order",), []), ("order",), "non-empty list"),
    ("missing-parameter", _delete((*BASIC, "ratio")), (*BASIC, "ratio"), "missing parameter"),
    (
        "missing-parameter-value",
        _delete((*SUPPLEMENTARY, "ratio", "value")),
        (*SUPPLEMENTARY, "ratio", "value"),
        "missing parameter value",
    ),
    (
        "negative-ratio",
        _set((*SUPPLEMENTARY, "ratio", "value"), "-0.50"),
        (*SUPPLEMENTARY, "ratio", "value"),
        "must not be negative",
    ),
    (
        "ratio-above-one",
        _set((*SUPPLEMENTARY, "ratio", "value"), "1.50"),
        (*SUPPLEMENTARY, "ratio", "value"),
        "must not exceed 1",
    ),
    (
        "ratio-too-many-decimals",
        _set((*SUPPLEMENTARY, "ratio", "value"), "0.12345"),
        (*SUPPLEMENTARY, "ratio", "value"),
        "at most 4 decimal places",
    ),
    (
        "ratio-not-a-number",
        _set((*SUPPLEMENTARY, "ratio", "value"), "half"),
        (*SUPPLEMENTARY, "ratio", "value"),
        "not a plain decimal",
    ),
    (
        "float-not-quoted",
        _set((*SUPPLEMENTARY, "ratio", "value"), 0.5),
        (*SUPPLEMENTARY, "ratio", "value"),
        "quoted decimal string, got float",
    ),
    (
        "money-float-not-quoted",
        _set((*SUPPLEMENTARY, "annual_cap", "value"), 30000.0),
        (*SUPPLEMENTARY, "annual_cap", "value"),
        "quoted decimal string, got float",
    ),
    (
        "negative-money",
        _set((*BASIC, "deductible", "value", "general", "primary"), "-1.00"),
        (*BASIC, "deductible", "value", "general", "primary"),
        "must not be negative",
    ),
    (
        "money-three-decimals",
        _set((*SUPPLEMENTARY, "annual_cap", "value"), "1.005"),
        (*SUPPLEMENTARY, "annual_cap", "value"),
        "at most 2 decimal places",
    ),
    (
        "unknown-parameter",
        _set((*BASIC, "bonus"), {"value": "1.00", "source": "x", "tag": "assumption"}),
        (*BASIC, "bonus"),
        "unknown parameter",
    ),
    (
        "bad-tag",
        _set((*BASIC, "ratio", "tag"), "guess"),
        (*BASIC, "ratio", "tag"),
        "must be one of published, assumption",
    ),
    ("missing-tag", _delete((*BASIC, "ratio", "tag")), (*BASIC, "ratio", "tag"), "must be one of"),
    (
        "missing-source",
        _delete((*BASIC, "ratio", "source")),
        (*BASIC, "ratio", "source"),
        "required, a non-empty string",
    ),
    (
        "blank-source",
        _set((*BASIC, "ratio", "source"), "  "),
        (*BASIC, "ratio", "source"),
        "required, a non-empty string",
    ),
    (
        "unknown-field-in-parameter",
        _set((*BASIC, "ratio", "note"), "x"),
        (*BASIC, "ratio", "note"),
        "unknown field",
    ),
    (
        "parameter-not-a-mapping",
        _set((*BASIC, "ratio"), "0.80"),
        (*BASIC, "ratio"),
        "must be a mapping",
    ),
    (
        "bands-out-of-order",
        _swap_general_bands,
        (*CRITICAL, "bands", "value", "general", 1, "from"),
        "bands out of order",
    ),
    (
        "band-after-open-band",
        _set((*CRITICAL, "bands", "value", "general", 1, "to"), None),
        (*CRITICAL, "bands", "value", "general", 2, "from"),
        "bands out of order",
    ),
    (
        "band-upper-not-above-lower",
        _set((*CRITICAL, "bands", "value", "general", 0, "to"), "10000.00"),
        (*CRITICAL, "bands", "value", "general", 0, "to"),
        "must be above 'from'",
    ),
    (
        "band-missing-ratio",
        _delete((*CRITICAL, "bands", "value", "general", 0, "ratio")),
        (*CRITICAL, "bands", "value", "general", 0, "ratio"),
        "missing",
    ),
    (
        "bands-empty",
        _set((*CRITICAL, "bands", "value", "general"), []),
        (*CRITICAL, "bands", "value", "general"),
        "non-empty list of bands",
    ),
    (
        "bands-profile-without-cap",
        _delete((*CRITICAL, "annual_cap", "value", "registered_poor")),
        (*CRITICAL, "annual_cap", "value", "registered_poor"),
        "every profile needs a value",
    ),
    (
        "general-profile-missing",
        _delete((*BASIC, "ratio", "value", "general")),
        (*BASIC, "ratio", "value", "general"),
        "missing",
    ),
    (
        "profile-without-ratio",
        _delete((*BASIC, "ratio", "value", "registered_poor")),
        (*BASIC, "ratio", "value", "registered_poor"),
        "every profile needs a value",
    ),
    (
        "unknown-profile",
        _set((*BASIC, "annual_cap", "value", "veteran"), "1.00"),
        (*BASIC, "annual_cap", "value", "veteran"),
        "unknown field",
    ),
    (
        "level-missing",
        _delete((*BASIC, "deductible", "value", "general", "tertiary")),
        (*BASIC, "deductible", "value", "general", "tertiary"),
        "missing",
    ),
    (
        "unknown-category",
        _set((*SUPPLEMENTARY, "eligible", "value"), ["registered_poor", "vip"]),
        (*SUPPLEMENTARY, "eligible", "value", 1),
        "unknown category 'vip'",
    ),
    (
        "eligible-empty",
        _set((*TILTED, "eligible", "value"), []),
        (*TILTED, "eligible", "value"),
        "non-empty list of categories",
    ),
    (
        "in-county-only-not-bool",
        _set((*TILTED, "in_county_only", "value"), "yes"),
        (*TILTED, "in_county_only", "value"),
        "must be true or false",
    ),
    (
        "civil-no-categories",
        _set((*CIVIL, "categories", "value"), {}),
        (*CIVIL, "categories", "value"),
        "at least one category",
    ),
    (
        "civil-category-missing-cap",
        _delete((*CIVIL, "categories", "value", "dibao", "annual_cap")),
        (*CIVIL, "categories", "value", "dibao", "annual_cap"),
        "missing",
    ),
    (
        "civil-unknown-category",
        _set((*CIVIL, "categories", "value", "vip"), {"ratio": "1.00", "annual_cap": None}),
        (*CIVIL, "categories", "value", "vip"),
        "unknown field",
    ),
    (
        "layer-unknown-field",
        _set(("layers", "basic", "colour"), "red"),
        ("layers", "basic", "colour"),
        "unknown field",
    ),
    (
        "layer-missing-fund-code",
        _delete(("layers", "basic", "fund_code")),
        ("layers", "basic", "fund_code"),
        "required",
    ),
    (
        "layer-params-not-a-mapping",
        _set(("layers", "basic", "params"), None),
        ("layers", "basic", "params"),
        "must be a mapping",
    ),
    ("layers-not-a-mapping", _set(("layers",), ["basic"]), ("layers",), "must be a mapping"),
    ("missing-top-level-field", _delete(("source",)), ("source",), "missing"),
    ("unknown-top-level-field", _set(("author",), "me"), ("author",), "unknown field"),
    (
        "bad-effective-from",
        _set(("effective_from",), "2018-13-01"),
        ("effective_from",),
        "must be a date",
    ),
    (
        "effective-from-not-a-date",
        _set(("effective_from",), 20180101),
        ("effective_from",),
        "must be a date",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "loc", "words"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_invalid_document_names_the_field(
    mutate: Mutation, loc: tuple[Any, ...], words: str
) -> None:
    doc = base_document()
    mutate(doc)
    found = errors_of(doc)
    matching = [msg for where, msg in found if where == loc]
    assert matching, f"no error at {loc}; errors: {found}"
    assert any(words in msg for msg in matching), matching


def test_build_policy_takes_a_date_object_but_not_a_datetime() -> None:
    doc = base_document()  # YAML gives effective_from as a datetime.date
    assert isinstance(doc["effective_from"], dt.date)
    assert build_policy(doc).effective_from == dt.date(2018, 1, 1)
    doc["effective_from"] = dt.datetime(2018, 1, 1, 8, 0)
    with pytest.raises(PolicyError) as info:
        build_policy(doc)
    assert info.value.errors == [(("effective_from",), "must be a date YYYY-MM-DD")]


def test_every_problem_is_reported_at_once() -> None:
    doc = base_document()
    params(doc, "supplementary")["ratio"]["value"] = "1.50"
    params(doc, "basic")["ratio"]["tag"] = "guess"
    doc["order"].append("lottery")
    errors = errors_of(doc)
    assert len(errors) == 3
    text = str(PolicyError(errors))
    assert "layers.supplementary.params.ratio.value: a ratio must not exceed 1" in text
    assert "order.5: unknown layer 'lottery'" in text


def test_document_that_is_not_a_mapping() -> None:
    errors = errors_of(["not", "a", "policy"])
    assert ((), "must be a mapping") in errors
    assert "<document>: must be a mapping" in str(PolicyError(errors))
    assert ("id",) in [loc for loc, _ in errors]


def test_invalid_yaml_is_a_policy_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_document(bad)


# -- date-effective lookup -----------------------------------------------------------------------
POLICIES = [document.policy for document in load_directory()]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2017, 12, 31), None),
        (dt.date(2018, 1, 1), "panzhihua-2018"),
        (dt.date(2018, 12, 31), "panzhihua-2018"),
        (dt.date(2019, 1, 1), "panzhihua-2019"),
        (dt.date(2030, 6, 1), "panzhihua-2019"),
    ],
)
def test_in_force_picks_latest_effective_on_or_before(on: dt.date, expected: str | None) -> None:
    found = in_force(POLICIES, on)
    assert (found.id if found else None) == expected
    assert (found.id if (found := in_force(reversed(POLICIES), on)) else None) == expected


def test_in_force_filters_by_region() -> None:
    assert in_force(POLICIES, dt.date(2019, 1, 1), region_code="510400").id == "panzhihua-2019"
    assert in_force(POLICIES, dt.date(2019, 1, 1), region_code="510100") is None


# -- content hash ---------------------------------------------------------------------------------
def test_content_hash_is_stable() -> None:
    first = load_document(BASE_PATH).content_hash
    assert load_document(BASE_PATH).content_hash == first
    assert parse_document(base_document()).content_hash == first
    # formatting and comments do not count, values do
    reformatted = yaml.safe_dump(base_document(), allow_unicode=True, default_flow_style=False)
    assert parse_document(yaml.safe_load(reformatted)).content_hash == first
    assert len(first) == 64 and int(first, 16) >= 0


def test_content_hash_changes_when_a_value_changes() -> None:
    doc = base_document()
    original = parse_document(copy.deepcopy(doc)).content_hash
    params(doc, "supplementary")["ratio"]["value"] = "0.55"
    changed = parse_document(doc)
    assert changed.content_hash != original
    assert changed.policy.content_hash == changed.content_hash
    doc2 = base_document()
    params(doc2, "basic")["ratio"]["source"] += " (reviewed)"
    assert parse_document(doc2).content_hash != original


def test_the_two_shipped_versions_differ_in_hash() -> None:
    hashes = {document.content_hash for document in load_directory()}
    assert len(hashes) == len(SHIPPED)


# -- shipped documents ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_document_loads(path: Path) -> None:
    document = load_document(path)
    policy = document.policy
    assert path.stem == policy.effective_from.isoformat()
    assert policy.region_code == "510400"
    assert layer_names(policy) == document.document["order"]
    assert layer_names(policy) == [
        "basic",
        "critical_illness",
        "supplementary",
        "tilted",
        "civil_assistance",
    ]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_parameter_has_a_source_and_a_tag(path: Path) -> None:
    document = load_document(path)
    provenance = sources(document.policy)
    for name, layer in document.document["layers"].items():
        assert set(provenance[name]) == set(layer["params"]), name
        for key, entry in provenance[name].items():
            assert entry.source.strip(), f"{name}.{key}: no source"
            assert entry.tag in TAGS, f"{name}.{key}: tag {entry.tag!r}"


def test_shipped_versions_are_ordered_and_distinct() -> None:
    dates = [policy.effective_from for policy in POLICIES]
    assert len(set(dates)) == len(dates)
    assert len({policy.id for policy in POLICIES}) == len(POLICIES)
