"""The optional ``nhsa`` block of a policy layer: where the national interface writes the layer
(NHSA.md "Settlement output": the mapping is policy data)."""

from __future__ import annotations

from typing import Any

import pytest

from app.engine.layers import SETLINFO_FUND_FIELDS, NhsaMapping
from app.policy import load_directory, parse_document

from .test_policy import base_document, errors_of

# What the shipped demo documents say, layer by layer (NHSA.md "Settlement output", demo).
SHIPPED_MAPPING = {
    "basic": ("hifp_pay", "390100", "城乡居民基本医疗保险基金"),
    "critical_illness": ("hifmi_pay", "390200", "城乡居民大病保险基金"),
    "supplementary": ("hifes_pay", "390300", "补充医疗保险基金"),
    "tilted": ("oth_pay", "640100", "政策范围内住院费用倾斜支付资金"),
    "civil_assistance": ("maf_pay", "610100", "城乡医疗救助资金"),
}


@pytest.mark.parametrize("document", load_directory(), ids=lambda d: d.policy.id)
def test_shipped_documents_map_every_layer(document: Any) -> None:
    found = {}
    for layer in document.policy.layers:
        nhsa = layer.meta.nhsa
        assert isinstance(nhsa, NhsaMapping), layer.meta.name
        assert nhsa.source and nhsa.tag in ("published", "assumption")
        found[layer.meta.name] = (nhsa.setlinfo_field, nhsa.fund_pay_type, nhsa.fund_pay_type_name)
    assert found == SHIPPED_MAPPING


def test_the_block_is_optional() -> None:
    doc = base_document()
    del doc["layers"]["tilted"]["nhsa"]
    policy = parse_document(doc).policy
    by_name = {layer.meta.name: layer.meta.nhsa for layer in policy.layers}
    assert by_name["tilted"] is None
    assert by_name["basic"] == NhsaMapping(
        "hifp_pay",
        "390100",
        "城乡居民基本医疗保险基金",
        doc["layers"]["basic"]["nhsa"]["source"],
        "assumption",
    )


def test_a_block_moves_a_layer_to_another_field() -> None:
    doc = base_document()
    doc["layers"]["tilted"]["nhsa"]["setlinfo_field"] = "hifob_pay"
    policy = parse_document(doc).policy
    nhsa = {layer.meta.name: layer.meta.nhsa for layer in policy.layers}["tilted"]
    assert nhsa is not None
    assert nhsa.setlinfo_field == "hifob_pay"


def test_unknown_setlinfo_field_is_refused_naming_the_path() -> None:
    doc = base_document()
    doc["layers"]["tilted"]["nhsa"]["setlinfo_field"] = "othfund_pay"
    assert errors_of(doc) == [
        (
            ("layers", "tilted", "nhsa", "setlinfo_field"),
            f"unknown setlinfo field 'othfund_pay' (known: {', '.join(SETLINFO_FUND_FIELDS)})",
        )
    ]


def test_a_field_used_by_two_layers_is_refused_naming_the_second() -> None:
    doc = base_document()
    doc["layers"]["civil_assistance"]["nhsa"]["setlinfo_field"] = "hifp_pay"
    assert errors_of(doc) == [
        (
            ("layers", "civil_assistance", "nhsa", "setlinfo_field"),
            "setlinfo field 'hifp_pay' is already layer 'basic''s",
        )
    ]


@pytest.mark.parametrize(
    ("key", "value", "loc", "msg"),
    [
        ("fund_pay_type", 390100, "fund_pay_type", "must be a quoted code of 6 to 8 ASCII digits"),
        ("fund_pay_type", "39010", "fund_pay_type", "must be a quoted code of 6 to 8 ASCII digits"),
        ("fund_pay_type", "３９０１００", "fund_pay_type", "must be a quoted code"),
        ("fund_pay_type_name", "", "fund_pay_type_name", "required, a non-empty string"),
        ("source", None, "source", "required, a non-empty string"),
        ("tag", "guess", "tag", "must be one of published, assumption"),
        ("fund_code", "390100", "fund_code", "unknown field"),
    ],
)
def test_bad_block_values_name_the_field(key: str, value: Any, loc: str, msg: str) -> None:
    doc = base_document()
    doc["layers"]["basic"]["nhsa"][key] = value
    errors = errors_of(doc)
    assert len(errors) == 1, errors
    assert errors[0][0] == ("layers", "basic", "nhsa", loc)
    assert errors[0][1].startswith(msg)


def test_a_block_that_is_not_a_mapping() -> None:
    doc = base_document()
    doc["layers"]["basic"]["nhsa"] = "hifp_pay"
    assert errors_of(doc) == [(("layers", "basic", "nhsa"), "must be a mapping")]
