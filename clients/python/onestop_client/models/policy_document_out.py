from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.policy_document_out_document import PolicyDocumentOutDocument


T = TypeVar("T", bound="PolicyDocumentOut")


@_attrs_define
class PolicyDocumentOut:
    """
    Attributes:
        id (str):
        region_code (str):
        title (str):
        effective_from (datetime.date):
        content_hash (str): SHA-256 of the document's canonical JSON
        published_at (datetime.datetime):
        document (PolicyDocumentOutDocument): The document as published (JSON; a draft may be this, edited)
    """

    id: str
    region_code: str
    title: str
    effective_from: datetime.date
    content_hash: str
    published_at: datetime.datetime
    document: PolicyDocumentOutDocument
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        region_code = self.region_code

        title = self.title

        effective_from = self.effective_from.isoformat()

        content_hash = self.content_hash

        published_at = self.published_at.isoformat()

        document = self.document.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "region_code": region_code,
                "title": title,
                "effective_from": effective_from,
                "content_hash": content_hash,
                "published_at": published_at,
                "document": document,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_document_out_document import PolicyDocumentOutDocument  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        region_code = d.pop("region_code")

        title = d.pop("title")

        effective_from = datetime.date.fromisoformat(d.pop("effective_from"))

        content_hash = d.pop("content_hash")

        published_at = datetime.datetime.fromisoformat(d.pop("published_at"))

        document = PolicyDocumentOutDocument.from_dict(d.pop("document"))

        policy_document_out = cls(
            id=id,
            region_code=region_code,
            title=title,
            effective_from=effective_from,
            content_hash=content_hash,
            published_at=published_at,
            document=document,
        )

        policy_document_out.additional_properties = d
        return policy_document_out

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
