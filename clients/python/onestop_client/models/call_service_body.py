from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.call_service_body_input import CallServiceBodyInput


T = TypeVar("T", bound="CallServiceBody")


@_attrs_define
class CallServiceBody:
    """
    Attributes:
        infno (str): 交易编号, e.g. 2304 Example: 9001.
        msgid (str): 发送方报文ID: unique per hospital; a repeat returns the stored answer
        fixmedins_code (str): 定点医药机构编号: the key's hospital
        inf_time (str): 交易时间 yyyy-MM-dd HH:mm:ss
        input_ (CallServiceBodyInput): the transaction's input nodes
    """

    infno: str
    msgid: str
    fixmedins_code: str
    inf_time: str
    input_: CallServiceBodyInput
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        infno = self.infno

        msgid = self.msgid

        fixmedins_code = self.fixmedins_code

        inf_time = self.inf_time

        input_ = self.input_.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "infno": infno,
                "msgid": msgid,
                "fixmedins_code": fixmedins_code,
                "inf_time": inf_time,
                "input": input_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_service_body_input import CallServiceBodyInput  # noqa: PLC0415

        d = dict(src_dict)
        infno = d.pop("infno")

        msgid = d.pop("msgid")

        fixmedins_code = d.pop("fixmedins_code")

        inf_time = d.pop("inf_time")

        input_ = CallServiceBodyInput.from_dict(d.pop("input"))

        call_service_body = cls(
            infno=infno,
            msgid=msgid,
            fixmedins_code=fixmedins_code,
            inf_time=inf_time,
            input_=input_,
        )

        call_service_body.additional_properties = d
        return call_service_body

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
