from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.category_out_category import CategoryOutCategory
from ..models.category_out_source import CategoryOutSource

T = TypeVar("T", bound="CategoryOut")


@_attrs_define
class CategoryOut:
    """A category period as stored: who said it (``manual``: the admin PUT; or a roster source)
    and which import last wrote it.

        Attributes:
            category (CategoryOutCategory): registered_poor, dibao, tekun
            valid_from (datetime.date): First day (生效日期)
            valid_to (datetime.date | None): Last day (失效日期), inclusive; null: open
            exited (bool): 脱贫标识
            exit_year (int | None): 脱贫年度, or null
            source (CategoryOutSource): manual (admin PUT), poverty_office 扶贫, civil_affairs 民政, medical_insurance 医保
            import_id (None | UUID): The roster import that last wrote it (GET /v1/roster/imports/{id}); null for manual
    """

    category: CategoryOutCategory
    valid_from: datetime.date
    valid_to: datetime.date | None
    exited: bool
    exit_year: int | None
    source: CategoryOutSource
    import_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        valid_from = self.valid_from.isoformat()

        valid_to: None | str
        if isinstance(self.valid_to, datetime.date):
            valid_to = self.valid_to.isoformat()
        else:
            valid_to = self.valid_to

        exited = self.exited

        exit_year: int | None
        exit_year = self.exit_year

        source = self.source.value

        import_id: None | str
        if isinstance(self.import_id, UUID):
            import_id = str(self.import_id)
        else:
            import_id = self.import_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "exited": exited,
                "exit_year": exit_year,
                "source": source,
                "import_id": import_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = CategoryOutCategory(d.pop("category"))

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        def _parse_valid_to(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_to_type_0 = datetime.date.fromisoformat(data)

                return valid_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        valid_to = _parse_valid_to(d.pop("valid_to"))

        exited = d.pop("exited")

        def _parse_exit_year(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exit_year = _parse_exit_year(d.pop("exit_year"))

        source = CategoryOutSource(d.pop("source"))

        def _parse_import_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                import_id_type_0 = UUID(data)

                return import_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        import_id = _parse_import_id(d.pop("import_id"))

        category_out = cls(
            category=category,
            valid_from=valid_from,
            valid_to=valid_to,
            exited=exited,
            exit_year=exit_year,
            source=source,
            import_id=import_id,
        )

        category_out.additional_properties = d
        return category_out

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
