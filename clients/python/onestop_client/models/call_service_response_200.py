from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_service_response_200_infcode import CallServiceResponse200Infcode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.call_service_response_200_output import CallServiceResponse200Output


T = TypeVar("T", bound="CallServiceResponse200")


@_attrs_define
class CallServiceResponse200:
    """
    Attributes:
        infcode (CallServiceResponse200Infcode | Unset): 0 success, -1 failure
        inf_refmsgid (str | Unset): 接收方报文ID (ours, 30 characters)
        refmsg_time (str | Unset): yyyyMMddHHmmssSSS
        respond_time (str | Unset): yyyyMMddHHmmssSSS
        enctype (str | Unset):
        signtype (str | Unset):
        err_msg (None | str | Unset): null on success; Chinese text naming the node and field
        output (CallServiceResponse200Output | Unset): the transaction's output nodes
    """

    infcode: CallServiceResponse200Infcode | Unset = UNSET
    inf_refmsgid: str | Unset = UNSET
    refmsg_time: str | Unset = UNSET
    respond_time: str | Unset = UNSET
    enctype: str | Unset = UNSET
    signtype: str | Unset = UNSET
    err_msg: None | str | Unset = UNSET
    output: CallServiceResponse200Output | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        infcode: int | Unset = UNSET
        if not isinstance(self.infcode, Unset):
            infcode = self.infcode.value

        inf_refmsgid = self.inf_refmsgid

        refmsg_time = self.refmsg_time

        respond_time = self.respond_time

        enctype = self.enctype

        signtype = self.signtype

        err_msg: None | str | Unset
        if isinstance(self.err_msg, Unset):
            err_msg = UNSET
        else:
            err_msg = self.err_msg

        output: dict[str, Any] | Unset = UNSET
        if not isinstance(self.output, Unset):
            output = self.output.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if infcode is not UNSET:
            field_dict["infcode"] = infcode
        if inf_refmsgid is not UNSET:
            field_dict["inf_refmsgid"] = inf_refmsgid
        if refmsg_time is not UNSET:
            field_dict["refmsg_time"] = refmsg_time
        if respond_time is not UNSET:
            field_dict["respond_time"] = respond_time
        if enctype is not UNSET:
            field_dict["enctype"] = enctype
        if signtype is not UNSET:
            field_dict["signtype"] = signtype
        if err_msg is not UNSET:
            field_dict["err_msg"] = err_msg
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_service_response_200_output import CallServiceResponse200Output  # noqa: PLC0415

        d = dict(src_dict)
        _infcode = d.pop("infcode", UNSET)
        infcode: CallServiceResponse200Infcode | Unset
        if isinstance(_infcode, Unset):
            infcode = UNSET
        else:
            infcode = CallServiceResponse200Infcode(_infcode)

        inf_refmsgid = d.pop("inf_refmsgid", UNSET)

        refmsg_time = d.pop("refmsg_time", UNSET)

        respond_time = d.pop("respond_time", UNSET)

        enctype = d.pop("enctype", UNSET)

        signtype = d.pop("signtype", UNSET)

        def _parse_err_msg(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        err_msg = _parse_err_msg(d.pop("err_msg", UNSET))

        _output = d.pop("output", UNSET)
        output: CallServiceResponse200Output | Unset
        if isinstance(_output, Unset):
            output = UNSET
        else:
            output = CallServiceResponse200Output.from_dict(_output)

        call_service_response_200 = cls(
            infcode=infcode,
            inf_refmsgid=inf_refmsgid,
            refmsg_time=refmsg_time,
            respond_time=respond_time,
            enctype=enctype,
            signtype=signtype,
            err_msg=err_msg,
            output=output,
        )

        call_service_response_200.additional_properties = d
        return call_service_response_200

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
