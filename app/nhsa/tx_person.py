"""1101 人员信息获取: a person by ID number, with the years enrolled in resident insurance
(``insuinfo[]``) and each poverty/assistance category period (``idetinfo[]``).

The person is found by ``certno`` (``psn_cert_type`` 01 or absent), else by ``mdtrt_cert_no``
when ``mdtrt_cert_type`` is 02 (居民身份证). An e-voucher token (01) or a card number (03) cannot
be read here, so those need ``certno`` too. Code values come from ``policies/nhsa/codes.yaml``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import clock
from app.registry.models import Person, PersonCategory, PersonEnrolment
from app.types import id_number_problem

from . import wire
from .codes import CODES
from .dispatch import Call, Done, transaction
from .identity import ID_CERT_TYPE, baseinfo

__all__ = ["person_info"]

CERT_TYPES = {"01", "02", "03"}  # 医保电子凭证 / 居民身份证 / 社会保障卡
ID_CARD = "02"


@transaction("1101")
async def person_info(call: Call, node: Any) -> Done:
    where = wire.Where("data")
    data = wire.node(wire.node(node, wire.Where("input")).get("data"), where)
    cert_type = wire.one_of(data.get("mdtrt_cert_type"), where.field("mdtrt_cert_type"), CERT_TYPES)
    cert_no = wire.text(data.get("mdtrt_cert_no"), where.field("mdtrt_cert_no"), 50)
    psn_cert_type = wire.text(
        data.get("psn_cert_type"), where.field("psn_cert_type"), 6, required=False
    )
    certno = wire.text(data.get("certno"), where.field("certno"), 50, required=False)
    name = wire.text(data.get("psn_name"), where.field("psn_name"), 50, required=False)
    if certno is not None:
        if psn_cert_type not in (None, ID_CERT_TYPE):
            raise where.field("psn_cert_type").fail(f"暂只支持居民身份证（{ID_CERT_TYPE}）")
        field, id_number = "certno", certno
    elif cert_type == ID_CARD and cert_no is not None:
        field, id_number = "mdtrt_cert_no", cert_no
    else:
        raise where.field("certno").fail(
            f"就诊凭证类型{cert_type}须同时传身份证号码（psn_cert_type 01、certno）"
        )
    if id_number_problem(id_number) is not None:
        raise where.field(field).fail("不是有效的18位居民身份证号码")
    session = call.session
    person = await session.scalar(select(Person).where(Person.id_number == id_number))
    if person is None:
        raise where.field(field).fail("查无此人")
    if name is not None and name != person.name:
        raise where.field("psn_name").fail("姓名与证件号码不符")
    years = (
        await session.scalars(
            select(PersonEnrolment.year)
            .where(PersonEnrolment.person_id == person.id)
            .order_by(PersonEnrolment.year)
        )
    ).all()
    categories = (
        await session.scalars(
            select(PersonCategory)
            .where(PersonCategory.person_id == person.id)
            .order_by(PersonCategory.valid_from, PersonCategory.id)
        )
    ).all()
    return Done(
        output={
            "baseinfo": baseinfo(id_number, person.name, person.psn_no, clock.today()),
            "insuinfo": [
                {
                    "balc": wire.Fen(0),
                    "insutype": CODES.insutype,
                    "psn_type": CODES.psn_type,
                    "psn_insu_stas": CODES.psn_insu_stas,
                    "psn_insu_date": f"{year:04d}-01-01",
                    "cvlserv_flag": "0",
                    "insuplc_admdvs": person.county_code,
                    "emp_name": "",
                }
                for year in years
            ],
            "idetinfo": [
                {
                    "psn_idet_type": CODES.psn_idet_type[c.category],
                    "psn_type_lv": "",
                    "memo": CODES.idet_name[c.category],
                    "begntime": f"{c.valid_from.isoformat()} 00:00:00",
                    "endtime": None if c.valid_to is None else f"{c.valid_to.isoformat()} 23:59:59",
                }
                for c in categories
            ],
        }
    )
