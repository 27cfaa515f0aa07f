from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.layer_out_params import LayerOutParams


T = TypeVar("T", bound="LayerOut")


@_attrs_define
class LayerOut:
    """One payment layer of the settlement, in policy order.

    Attributes:
        layer (str): basic (基本医保), critical_illness (大病保险), supplementary (补充保险), tilted (倾斜支付), civil_assistance (医疗救助)
        fund_code (str): Fund code (基金编码)
        fund_name (str): Fund name (基金名称)
        base (str): What this layer considered (计算基数), yuan
        paid (str): What this fund pays (基金支付), yuan
        left (str): Left for the next layers after this one (剩余), yuan
        params (LayerOutParams): The policy parameters this layer used (deductible 起付线, ratio 报销比例, cap 封顶线,
            accumulators before this settlement, ...)
        rule (str): The policy clause and source applied (政策依据)
        reason (None | str): Why the layer paid nothing (e.g. not eligible), else null
    """

    layer: str
    fund_code: str
    fund_name: str
    base: str
    paid: str
    left: str
    params: LayerOutParams
    rule: str
    reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        layer = self.layer

        fund_code = self.fund_code

        fund_name = self.fund_name

        base = self.base

        paid = self.paid

        left = self.left

        params = self.params.to_dict()

        rule = self.rule

        reason: None | str
        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "layer": layer,
                "fund_code": fund_code,
                "fund_name": fund_name,
                "base": base,
                "paid": paid,
                "left": left,
                "params": params,
                "rule": rule,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.layer_out_params import LayerOutParams  # noqa: PLC0415

        d = dict(src_dict)
        layer = d.pop("layer")

        fund_code = d.pop("fund_code")

        fund_name = d.pop("fund_name")

        base = d.pop("base")

        paid = d.pop("paid")

        left = d.pop("left")

        params = LayerOutParams.from_dict(d.pop("params"))

        rule = d.pop("rule")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        layer_out = cls(
            layer=layer,
            fund_code=fund_code,
            fund_name=fund_name,
            base=base,
            paid=paid,
            left=left,
            params=params,
            rule=rule,
            reason=reason,
        )

        layer_out.additional_properties = d
        return layer_out

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
