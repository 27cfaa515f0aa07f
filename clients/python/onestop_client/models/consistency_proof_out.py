from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tree_head_out import TreeHeadOut


T = TypeVar("T", bound="ConsistencyProofOut")


@_attrs_define
class ConsistencyProofOut:
    """
    Attributes:
        first (int):
        second (int):
        proof (list[str]): RFC 9162 §2.1.4 consistency proof, hex
        first_head (TreeHeadOut):
        second_head (TreeHeadOut):
    """

    first: int
    second: int
    proof: list[str]
    first_head: TreeHeadOut
    second_head: TreeHeadOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first = self.first

        second = self.second

        proof = self.proof

        first_head = self.first_head.to_dict()

        second_head = self.second_head.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "first": first,
                "second": second,
                "proof": proof,
                "first_head": first_head,
                "second_head": second_head,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tree_head_out import TreeHeadOut  # noqa: PLC0415

        d = dict(src_dict)
        first = d.pop("first")

        second = d.pop("second")

        proof = cast(list[str], d.pop("proof"))

        first_head = TreeHeadOut.from_dict(d.pop("first_head"))

        second_head = TreeHeadOut.from_dict(d.pop("second_head"))

        consistency_proof_out = cls(
            first=first,
            second=second,
            proof=proof,
            first_head=first_head,
            second_head=second_head,
        )

        consistency_proof_out.additional_properties = d
        return consistency_proof_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
