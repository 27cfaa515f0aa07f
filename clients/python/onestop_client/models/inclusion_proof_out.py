from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tree_head_out import TreeHeadOut


T = TypeVar("T", bound="InclusionProofOut")


@_attrs_define
class InclusionProofOut:
    """
    Attributes:
        entry_id (int):
        leaf_index (int):
        tree_size (int):
        leaf_data (str): The bytes the leaf hash covers (UTF-8 canonical JSON)
        leaf_hash (str): SHA-256(0x00 || leaf_data), hex
        audit_path (list[str]): Sibling hashes, leaf side first, hex
        root_hash (str):
        head (TreeHeadOut):
    """

    entry_id: int
    leaf_index: int
    tree_size: int
    leaf_data: str
    leaf_hash: str
    audit_path: list[str]
    root_hash: str
    head: TreeHeadOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entry_id = self.entry_id

        leaf_index = self.leaf_index

        tree_size = self.tree_size

        leaf_data = self.leaf_data

        leaf_hash = self.leaf_hash

        audit_path = self.audit_path

        root_hash = self.root_hash

        head = self.head.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entry_id": entry_id,
                "leaf_index": leaf_index,
                "tree_size": tree_size,
                "leaf_data": leaf_data,
                "leaf_hash": leaf_hash,
                "audit_path": audit_path,
                "root_hash": root_hash,
                "head": head,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tree_head_out import TreeHeadOut  # noqa: PLC0415

        d = dict(src_dict)
        entry_id = d.pop("entry_id")

        leaf_index = d.pop("leaf_index")

        tree_size = d.pop("tree_size")

        leaf_data = d.pop("leaf_data")

        leaf_hash = d.pop("leaf_hash")

        audit_path = cast(list[str], d.pop("audit_path"))

        root_hash = d.pop("root_hash")

        head = TreeHeadOut.from_dict(d.pop("head"))

        inclusion_proof_out = cls(
            entry_id=entry_id,
            leaf_index=leaf_index,
            tree_size=tree_size,
            leaf_data=leaf_data,
            leaf_hash=leaf_hash,
            audit_path=audit_path,
            root_hash=root_hash,
            head=head,
        )

        inclusion_proof_out.additional_properties = d
        return inclusion_proof_out

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
