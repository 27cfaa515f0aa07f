"""Demo data for Panzhihua (攀枝花): counties, hospitals, a catalogue and persons of each category.

Loaded by ``onestop serve --demo`` through the same registry services as the admin API, so it is
validated like any other input. Names marked 演示 are made up. The demo also creates well-known
API keys (``demo-admin``, ``demo-agency``, ``demo-<hospital code>``) so the README's curl works:
never use ``--demo`` against a production database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import ApiKey
from app.auth.service import create_key, hash_key
from app.regions import COUNTIES
from app.registry import service as registry
from app.registry.schemas import CatalogItemIn, HospitalIn, PersonIn
from app.types import id_check_digit

__all__ = ["COUNTIES", "DEMO_PERSONS", "load_demo"]  # COUNTIES: app.regions, re-exported

# code: (name, level, county, designated)
HOSPITALS: dict[str, tuple[str, str, str, bool]] = {
    "H510402001": ("攀枝花市东区人民医院（演示）", "secondary", "510402", True),
    "H510402002": ("东区炳草岗街道社区卫生服务中心（演示）", "primary", "510402", True),
    "H510402003": ("攀枝花市中心医院（演示）", "tertiary", "510402", True),
    "H510403001": ("西区人民医院（演示）", "secondary", "510403", True),
    "H510403002": ("西区格里坪镇卫生院（演示）", "primary", "510403", True),
    "H510411001": ("仁和区人民医院（演示）", "secondary", "510411", True),
    "H510411002": ("仁和区大田镇卫生院（演示）", "primary", "510411", True),
    "H510421001": ("米易县人民医院（演示）", "secondary", "510421", True),
    "H510421002": ("米易县撒莲镇卫生院（演示）", "primary", "510421", True),
    "H510422001": ("盐边县人民医院（演示）", "secondary", "510422", True),
    "H510422002": ("盐边县渔门镇中心卫生院（演示）", "primary", "510422", True),
    "H510422009": ("盐边县某民营诊所（演示，非定点）", "primary", "510422", False),
}

# code: (name, grade, 乙类 self-pay ratio, price cap per unit)
CATALOG: dict[str, tuple[str, str, str, str | None]] = {
    "XA01": ("血常规检查", "A", "0", None),
    "XA02": ("住院床位费（三人间）", "A", "0", "30.00"),
    "XA03": ("一级护理（日）", "A", "0", "25.00"),
    "XA04": ("0.9%氯化钠注射液 250ml", "A", "0", "3.50"),
    "XA05": ("阑尾切除术", "A", "0", "1200.00"),
    "XA06": ("住院诊查费（日）", "A", "0", None),
    "XB01": ("注射用头孢曲松钠 1g", "B", "0.10", None),
    "XB02": ("人工晶体", "B", "0.20", "800.00"),
    "XB03": ("螺旋CT平扫", "B", "0.10", "280.00"),
    "XB04": ("血液透析", "B", "0.05", "420.00"),
    "XC01": ("一次性医用耗材（丙类）", "C", "0", None),
    "XC02": ("特需病房床位费", "C", "0", None),
}


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


_ALWAYS = dt.date(2018, 1, 1)

# id_number: (name, county, enrolment years, [(category, valid_from, valid_to)])
DEMO_PERSONS: dict[
    str, tuple[str, str, tuple[int, ...], list[tuple[str, dt.date, dt.date | None]]]
] = {
    _id("51040219500101001"): (
        "张三",
        "510402",
        (2018, 2019),
        [("registered_poor", _ALWAYS, None)],
    ),
    _id("51040219620315002"): ("李四", "510402", (2018, 2019), []),
    _id("51042119700520003"): ("王五", "510421", (2018, 2019), [("dibao", _ALWAYS, None)]),
    _id("51042219451108004"): ("赵六", "510422", (2018, 2019), [("tekun", _ALWAYS, None)]),
    _id("51041119800212005"): (
        "钱七",
        "510411",
        (2018, 2019),
        [("registered_poor", _ALWAYS, dt.date(2018, 12, 31))],
    ),
    _id("51040319581230006"): ("孙八", "510403", (2018,), [("registered_poor", _ALWAYS, None)]),
}


async def load_demo(session: AsyncSession) -> None:
    """Idempotent: replaces the demo records with the values above, validated as the admin API
    validates a request body (the tables hold text as a body would: ``"0.10"``, ``"secondary"``)."""
    for code, (name, level, county, designated) in HOSPITALS.items():
        hospital = {"name": name, "level": level, "county_code": county, "designated": designated}
        await registry.put_hospital(session, None, code, HospitalIn.model_validate(hospital))
    for code, (name, grade, ratio, cap) in CATALOG.items():
        item = {
            "name": name,
            "grade": grade,
            "self_pay_ratio": ratio,
            "price_cap": cap,
            "valid_from": _ALWAYS.isoformat(),
        }
        await registry.put_catalog_item(session, None, code, CatalogItemIn.model_validate(item))
    for id_number, (name, county, years, categories) in DEMO_PERSONS.items():
        person = {
            "name": name,
            "county_code": county,
            "enrolments": [{"year": year} for year in years],
            "categories": [
                {
                    "category": category,
                    "valid_from": valid_from.isoformat(),
                    "valid_to": None if valid_to is None else valid_to.isoformat(),
                }
                for category, valid_from, valid_to in categories
            ],
        }
        await registry.put_person(session, None, id_number, PersonIn.model_validate(person))
    keys: list[tuple[str, str | None, str]] = [
        ("admin", None, "demo-admin"),
        ("agency", None, "demo-agency"),
        ("work_injury", None, "demo-work-injury"),
    ]
    keys += [("hospital", code, f"demo-{code}") for code in HOSPITALS]
    for role, hospital_code, secret in keys:
        if (
            await session.scalar(select(ApiKey.id).where(ApiKey.key_hash == hash_key(secret)))
            is None
        ):
            await create_key(session, role, hospital_code, f"demo key {secret}", secret=secret)
