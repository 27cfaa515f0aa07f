from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuditVerification")


@_attrs_define
class AuditVerification:
    """
    Attributes:
        ok (bool):
        checked (int): Leaves of the Merkle log checked
        broken_entry_id (int | None): The first entry a finding names, if any
        problem (None | str): The first finding
        problems (list[str]): Every finding (the same as `onestop audit verify`)
        heads (int): Signed tree heads checked
        unsequenced (int): Entries committed but not yet integrated
    """

    ok: bool
    checked: int
    broken_entry_id: int | None
    problem: None | str
    problems: list[str]
    heads: int
    unsequenced: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        checked = self.checked

        broken_entry_id: int | None
        broken_entry_id = self.broken_entry_id

        problem: None | str
        problem = self.problem

        problems = self.problems

        heads = self.heads

        unsequenced = self.unsequenced

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "checked": checked,
                "broken_entry_id": broken_entry_id,
                "problem": problem,
                "problems": problems,
                "heads": heads,
                "unsequenced": unsequenced,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        checked = d.pop("checked")

        def _parse_broken_entry_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        broken_entry_id = _parse_broken_entry_id(d.pop("broken_entry_id"))

        def _parse_problem(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        problem = _parse_problem(d.pop("problem"))

        problems = cast(list[str], d.pop("problems"))

        heads = d.pop("heads")

        unsequenced = d.pop("unsequenced")

        audit_verification = cls(
            ok=ok,
            checked=checked,
            broken_entry_id=broken_entry_id,
            problem=problem,
            problems=problems,
            heads=heads,
            unsequenced=unsequenced,
        )

        audit_verification.additional_properties = d
        return audit_verification

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
