from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ItemIn")


@_attrs_define
class ItemIn:
    """One line of the bill (费用明细).

    Attributes:
        seq (int): Line number (明细序号), unique in the bill
        code (str): Catalogue code (医保目录编码); must be in the catalogue on the discharge date
        unit_price (str): Unit price in yuan (单价), at most 4 decimals and 9999999.9999
        quantity (str): Quantity (数量), at most 3 decimals, positive, at most 9999999.999
        amount (str): Line amount in yuan (金额); must equal round(unit_price × quantity) to the fen, else 422
            amount_mismatch; at most 9999999.99, else 422 amount_out_of_range
        name (str | Unset): Item name as the HIS prints it (项目名称); informative only Default: ''.
        hospital_borne (bool | Unset): Non-compliant charge borne by the hospital (不合规费用, 医院承担): neither the funds nor
            the patient pay it Default: False.
    """

    seq: int
    code: str
    unit_price: str
    quantity: str
    amount: str
    name: str | Unset = ""
    hospital_borne: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        code = self.code

        unit_price = self.unit_price

        quantity = self.quantity

        amount = self.amount

        name = self.name

        hospital_borne = self.hospital_borne

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "seq": seq,
                "code": code,
                "unit_price": unit_price,
                "quantity": quantity,
                "amount": amount,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if hospital_borne is not UNSET:
            field_dict["hospital_borne"] = hospital_borne

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        code = d.pop("code")

        unit_price = d.pop("unit_price")

        quantity = d.pop("quantity")

        amount = d.pop("amount")

        name = d.pop("name", UNSET)

        hospital_borne = d.pop("hospital_borne", UNSET)

        item_in = cls(
            seq=seq,
            code=code,
            unit_price=unit_price,
            quantity=quantity,
            amount=amount,
            name=name,
            hospital_borne=hospital_borne,
        )

        return item_in
