from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TreeHeadOut")


@_attrs_define
class TreeHeadOut:
    """
    Attributes:
        tree_size (int): Leaves the head covers
        root_hash (str): RFC 9162 Merkle tree hash, lowercase hex
        signed_at (str): UTC, ISO 8601
        signed_at_ms (int): The signed timestamp: ms since 1970-01-01T00:00:00Z
        key_id (str): Hex SHA-256 of the raw public key
        public_key (str): The raw 32-byte Ed25519 public key, base64
        signature (str): Ed25519 signature of the head message, base64
    """

    tree_size: int
    root_hash: str
    signed_at: str
    signed_at_ms: int
    key_id: str
    public_key: str
    signature: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tree_size = self.tree_size

        root_hash = self.root_hash

        signed_at = self.signed_at

        signed_at_ms = self.signed_at_ms

        key_id = self.key_id

        public_key = self.public_key

        signature = self.signature

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tree_size": tree_size,
                "root_hash": root_hash,
                "signed_at": signed_at,
                "signed_at_ms": signed_at_ms,
                "key_id": key_id,
                "public_key": public_key,
                "signature": signature,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tree_size = d.pop("tree_size")

        root_hash = d.pop("root_hash")

        signed_at = d.pop("signed_at")

        signed_at_ms = d.pop("signed_at_ms")

        key_id = d.pop("key_id")

        public_key = d.pop("public_key")

        signature = d.pop("signature")

        tree_head_out = cls(
            tree_size=tree_size,
            root_hash=root_hash,
            signed_at=signed_at,
            signed_at_ms=signed_at_ms,
            key_id=key_id,
            public_key=public_key,
            signature=signature,
        )

        tree_head_out.additional_properties = d
        return tree_head_out

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
