from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_entry_out_details import AuditEntryOutDetails


T = TypeVar("T", bound="AuditEntryOut")


@_attrs_define
class AuditEntryOut:
    """
    Attributes:
        id (int):
        at (datetime.datetime):
        key_id (None | UUID):
        role (str):
        action (str):
        entity_type (str):
        entity_id (str):
        request_id (None | str):
        details (AuditEntryOutDetails):
        prev_hash (None | str): The pre-0022 chain; null for later entries
        hash_ (None | str):
        leaf_index (int | None): Its leaf in the Merkle log; null until integrated
    """

    id: int
    at: datetime.datetime
    key_id: None | UUID
    role: str
    action: str
    entity_type: str
    entity_id: str
    request_id: None | str
    details: AuditEntryOutDetails
    prev_hash: None | str
    hash_: None | str
    leaf_index: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        at = self.at.isoformat()

        key_id: None | str
        if isinstance(self.key_id, UUID):
            key_id = str(self.key_id)
        else:
            key_id = self.key_id

        role = self.role

        action = self.action

        entity_type = self.entity_type

        entity_id = self.entity_id

        request_id: None | str
        request_id = self.request_id

        details = self.details.to_dict()

        prev_hash: None | str
        prev_hash = self.prev_hash

        hash_: None | str
        hash_ = self.hash_

        leaf_index: int | None
        leaf_index = self.leaf_index

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "at": at,
                "key_id": key_id,
                "role": role,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "request_id": request_id,
                "details": details,
                "prev_hash": prev_hash,
                "hash": hash_,
                "leaf_index": leaf_index,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry_out_details import AuditEntryOutDetails  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_key_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                key_id_type_0 = UUID(data)

                return key_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        key_id = _parse_key_id(d.pop("key_id"))

        role = d.pop("role")

        action = d.pop("action")

        entity_type = d.pop("entity_type")

        entity_id = d.pop("entity_id")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        details = AuditEntryOutDetails.from_dict(d.pop("details"))

        def _parse_prev_hash(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prev_hash = _parse_prev_hash(d.pop("prev_hash"))

        def _parse_hash_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hash_ = _parse_hash_(d.pop("hash"))

        def _parse_leaf_index(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        leaf_index = _parse_leaf_index(d.pop("leaf_index"))

        audit_entry_out = cls(
            id=id,
            at=at,
            key_id=key_id,
            role=role,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            request_id=request_id,
            details=details,
            prev_hash=prev_hash,
            hash_=hash_,
            leaf_index=leaf_index,
        )

        audit_entry_out.additional_properties = d
        return audit_entry_out

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
