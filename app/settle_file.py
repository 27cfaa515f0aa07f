"""``onestop settle-file BILL.json [--json]``: settle one bill file offline.

No database and no registry: the file itself carries what the service would otherwise look up
(hospital level and county, the person's categories, the catalogue grade / 乙类 ratio / price cap
of each item, and the year's accumulators so far). The policy version is the one in force on the
discharge date, from the shipped policy documents. Useful to check a policy change against a real
bill, or to explain a settlement line by line to someone who knows the policy but not the API.

The file is either a bill file (the format above, docs/settle-file.md) or the API's request body
(``POST /v1/settlements``, as ``examples/demo-bill.json``): codes that the service would look up
in its registries are then looked up in the demo registry that ``onestop serve --demo`` loads
(``app/demo.py``), with no accumulators (the person's first admission of the year).

Every problem in the file is reported at once, each naming the field (``item seq 2: amount``);
bad input exits with status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app import demo
from app.engine import (
    BillLine,
    Claim,
    Settlement,
    base_key,
    expected_amount_fen,
    format_fen,
    in_force,
    paid_key,
    parse_date,
    parse_scaled,
    settle,
)
from app.engine.report import settlement_dict
from app.engine.spec import CATEGORIES, LEVELS
from app.policy import POLICY_DIR, load_directory
from app.settlement.schemas import SettlementIn
from app.types import ExponentNumber, loads

__all__ = [
    "BillFile",
    "BillFileError",
    "add_parser",
    "from_request_body",
    "main",
    "parse_bill",
    "run",
]

EXIT_BAD_INPUT = 2

_TOP = (
    "discharge_date",
    "hospital",
    "person",
    "referral",
    "accumulators",
    "items",
    "bill_no",
    "note",
)
_HOSPITAL = ("level", "in_county", "county_code", "code", "name")
_PERSON = ("county_code", "categories", "name", "id_number")
_ITEM = (
    "seq",
    "code",
    "name",
    "grade",
    "self_pay_ratio",
    "price_cap",
    "unit_price",
    "quantity",
    "amount",
    "hospital_borne",
)
_ACCUMULATOR_KEYS = {"paid": paid_key, "base": base_key}


class BillFileError(ValueError):
    """The bill file is not usable; ``errors`` lists every problem, each naming its field."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True, slots=True)
class BillFile:
    discharge_date: dt.date
    claim: Claim
    accumulators: dict[str, int]
    region_code: str | None  # the person's city-level region, to pick the policy


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str, keys: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.add(where, "must be an object")
            return {}
        for key in value:
            if key not in keys:
                self.add(f"{where}.{key}", f"unknown field (expected one of {', '.join(keys)})")
        return value

    def scaled(
        self,
        value: Any,
        where: str,
        places: int,
        *,
        required: bool = True,
        default: int | None = None,
    ) -> int | None:
        """A decimal written as a string or a JSON number, at most ``places`` decimals, >= 0."""
        if value is None:
            if required:
                self.add(where, "required")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.add(where, f"must be a decimal number or string, got {type(value).__name__}")
            return default
        if isinstance(value, ExponentNumber):  # 5e1, 1E+3: a number, but not a plain decimal
            self.add(where, "must be a plain decimal, written without an exponent")
            return default
        text = str(value)  # a JSON number is a Decimal of the text written: "12.50" stays 12.50
        try:
            number = parse_scaled(text, places)
        except ValueError:
            self.add(where, f"{text!r} is not a decimal with at most {places} decimal places")
            return default
        if number < 0:
            self.add(where, f"must not be negative, got {text}")
            return default
        return number

    def flag(self, value: Any, where: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.add(where, "must be true or false")
            return False
        return value


def _is_county_code(value: Any) -> bool:
    """Six ASCII digits (``\\d`` would take any script's digits)."""
    return isinstance(value, str) and re.fullmatch(r"[0-9]{6}", value) is not None


def _date(value: Any, errors: _Errors) -> dt.date:
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            pass
    errors.add("discharge_date", "required, a date YYYY-MM-DD")
    return dt.date.min


def _items(raw: Any, errors: _Errors) -> list[BillLine]:
    if not isinstance(raw, list) or not raw:
        errors.add("items", "required, a non-empty list")
        return []
    lines: list[BillLine] = []
    seen: set[int] = set()
    for index, entry in enumerate(raw):
        seq = entry.get("seq", index + 1) if isinstance(entry, Mapping) else index + 1
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            errors.add(f"items[{index}].seq", "must be a positive integer")
            seq = index + 1
        where = f"item seq {seq}"
        if seq in seen:
            errors.add(where, "seq is used by an earlier item")
        seen.add(seq)
        if not isinstance(entry, Mapping):
            errors.add(where, "must be an object")
            continue
        item = errors.mapping(entry, where, _ITEM)
        code = item.get("code")
        if not isinstance(code, str) or not code.strip():
            errors.add(f"{where}: code", "required, a non-empty string")
            code = ""
        grade = item.get("grade")
        if grade not in ("A", "B", "C"):
            errors.add(f"{where}: grade", "must be A (甲类), B (乙类) or C (丙类)")
            grade = "C"
        ratio = (
            errors.scaled(
                item.get("self_pay_ratio"),
                f"{where}: self_pay_ratio",
                4,
                required=grade == "B",
                default=0,
            )
            or 0
        )
        if ratio > 10_000:
            errors.add(f"{where}: self_pay_ratio", "must not exceed 1")
        cap = errors.scaled(item.get("price_cap"), f"{where}: price_cap", 4, required=False)
        unit_price = errors.scaled(item.get("unit_price"), f"{where}: unit_price", 4)
        quantity = errors.scaled(item.get("quantity"), f"{where}: quantity", 3)
        amount = errors.scaled(item.get("amount"), f"{where}: amount", 2)
        # The file's precision is /v1's (4 price decimals, 3 quantity decimals); the engine's is
        # 1e-6 yuan and 1e-4 unit: ×100 and ×10, exactly.
        price_e6 = None if unit_price is None else unit_price * 100
        quantity_e4 = None if quantity is None else quantity * 10
        if price_e6 is not None and quantity_e4 is not None and amount is not None:
            expected = expected_amount_fen(price_e6, quantity_e4)
            if amount != expected:
                errors.add(
                    f"{where}: amount",
                    f"{format_fen(amount)} does not equal round(unit_price × quantity) = "
                    f"{format_fen(expected)}",
                )
        lines.append(
            BillLine(
                seq=seq,
                code=code,
                unit_price_e6=price_e6 or 0,
                quantity_e4=quantity_e4 or 0,
                amount_fen=amount or 0,
                hospital_borne=errors.flag(item.get("hospital_borne"), f"{where}: hospital_borne"),
                grade=grade,
                self_pay_ratio_bp=ratio,
                price_cap_e6=None if cap is None else cap * 100,
            )
        )
    return lines


def _accumulators(raw: Any, errors: _Errors) -> dict[str, int]:
    result: dict[str, int] = {}
    if raw is None:
        return result
    layers = errors.mapping(raw, "accumulators", list(raw) if isinstance(raw, Mapping) else [])
    for layer, kinds in layers.items():
        where = f"accumulators.{layer}"
        for kind, amount in errors.mapping(kinds, where, list(_ACCUMULATOR_KEYS)).items():
            if kind in _ACCUMULATOR_KEYS:
                value = errors.scaled(amount, f"{where}.{kind}", 2)
                if value:
                    result[_ACCUMULATOR_KEYS[kind](str(layer))] = value
    return result


def parse_bill(data: Any) -> BillFile:
    """Validate a parsed bill file; raises :class:`BillFileError` listing every problem."""
    if not isinstance(data, Mapping):
        raise BillFileError(["the file must hold a JSON object"])
    if _is_request_body(data):
        data = from_request_body(data)
    errors = _Errors()
    top = errors.mapping(data, "bill", _TOP)
    discharge = _date(top.get("discharge_date"), errors)
    hospital = errors.mapping(top.get("hospital"), "hospital", _HOSPITAL)
    person = errors.mapping(top.get("person", {}), "person", _PERSON)
    level = hospital.get("level")
    if level not in LEVELS:
        errors.add("hospital.level", f"must be one of {', '.join(LEVELS)}")
    person_county = person.get("county_code")
    if person_county is not None and not _is_county_code(person_county):
        errors.add("person.county_code", "must be a county code string such as 510411")
        person_county = None
    if "county_code" in hospital and not _is_county_code(hospital["county_code"]):
        errors.add("hospital.county_code", "must be a county code string such as 510411")
    if "in_county" in hospital:
        in_county = errors.flag(hospital["in_county"], "hospital.in_county")
    elif "county_code" in hospital and person_county is not None:
        in_county = hospital["county_code"] == person_county
    else:
        in_county = False
        if hospital:
            errors.add("hospital", "give in_county, or county_code with person.county_code")
    categories = person.get("categories", [])
    if not isinstance(categories, list) or any(c not in CATEGORIES for c in categories):
        errors.add("person.categories", f"must be a list of {', '.join(CATEGORIES)}")
        categories = []
    claim = Claim(
        lines=tuple(_items(top.get("items"), errors)),
        level=str(level),
        in_county=in_county,
        referral=errors.flag(top.get("referral"), "referral"),
        categories=frozenset(categories),
    )
    accumulators = _accumulators(top.get("accumulators"), errors)
    if errors.items:
        raise BillFileError(errors.items)
    region = f"{person_county[:4]}00" if isinstance(person_county, str) else None
    return BillFile(discharge, claim, accumulators, region)


def _is_request_body(data: Mapping[str, Any]) -> bool:
    """The API's body names its hospital and patient by code; a bill file describes them."""
    return not {"hospital", "person", "accumulators"} & data.keys() and bool(
        {"hospital_code", "patient", "admission_date"} & data.keys()
    )


def from_request_body(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bill file of an API request body (``SettlementIn``), its hospital, person and items
    looked up in the demo registry (``app/demo.py``) as the service looks them up in its own.

    Raises :class:`BillFileError` with every problem: the body's own (as the API's 422
    ``validation_error``) or, once it is valid, what the registry does not know."""
    try:
        body = SettlementIn.model_validate(data)
    except ValidationError as exc:
        raise BillFileError(
            [f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)]
        ) from None
    day = body.discharge_date
    errors: list[str] = []
    if day < body.admission_date:
        errors.append("discharge_date: must not be before admission_date")
    hospital = demo.HOSPITALS.get(body.hospital_code)
    if hospital is None:
        errors.append(
            f"hospital_code: {body.hospital_code} is not in the demo registry (without a "
            "database settle-file knows the demo hospitals only; a bill file names the level "
            "and county itself)"
        )
    elif not hospital[3]:
        errors.append(f"hospital_code: {body.hospital_code} is not designated (非定点)")
    person = demo.DEMO_PERSONS.get(body.patient.id_number)
    if person is None:
        errors.append(
            "patient.id_number: not in the demo registry (a bill file names the person's county "
            "and categories itself)"
        )
    elif day.year not in person[2]:
        errors.append(f"patient.id_number: not enrolled for {day.year}")
    unknown = sorted({item.code for item in body.items} - set(demo.CATALOG))
    if unknown:
        errors.append(f"items: not in the demo catalogue: {', '.join(unknown)}")
    if errors or hospital is None or person is None:
        raise BillFileError(errors)
    _, level, hospital_county, _ = hospital
    _, person_county, _, categories = person
    items = []
    for item in body.items:
        _, grade, ratio, cap = demo.CATALOG[item.code]
        items.append(
            {
                "seq": item.seq,
                "code": item.code,
                "name": item.name,
                "grade": grade,
                "self_pay_ratio": ratio,
                "price_cap": cap,
                "unit_price": str(Decimal(item.unit_price).scaleb(-4)),
                "quantity": str(Decimal(item.quantity).scaleb(-3)),
                "amount": format_fen(item.amount),
                "hospital_borne": item.hospital_borne,
            }
        )
    return {
        "bill_no": body.bill_no,
        "discharge_date": day.isoformat(),
        "hospital": {"code": body.hospital_code, "level": level, "county_code": hospital_county},
        "person": {
            "county_code": person_county,
            "categories": [
                category
                for category, valid_from, valid_to in categories
                if valid_from <= day and (valid_to is None or day <= valid_to)
            ],
        },
        "referral": body.referral,
        "items": items,
    }


def _where(loc: Sequence[int | str]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)[1:] or (
        "bill"
    )


def load_bill(path: Path) -> BillFile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BillFileError([f"{path}: cannot read: {exc.strerror}"]) from exc
    try:
        data = loads(text)
    except json.JSONDecodeError as exc:
        raise BillFileError([f"{path}: not valid JSON: {exc}"]) from exc
    return parse_bill(data)


def settle_bill(bill: BillFile, policy_dir: Path = POLICY_DIR) -> Settlement:
    policies = [document.policy for document in load_directory(policy_dir)]
    policy = in_force(policies, bill.discharge_date, bill.region_code)
    if policy is None:
        region = f" for region {bill.region_code}" if bill.region_code else ""
        raise BillFileError(
            [f"discharge_date: no policy{region} in force on {bill.discharge_date.isoformat()}"]
        )
    known = {layer.meta.name for layer in policy.layers}
    unknown = sorted({key.split(":")[0] for key in bill.accumulators} - known)
    if unknown:
        raise BillFileError(
            [f"accumulators.{name}: not a layer of policy {policy.id}" for name in unknown]
        )
    return settle(bill.claim, policy, bill.accumulators)


# -- output ---------------------------------------------------------------------------------------
_CLASSES = (
    ("total", "total"),
    ("hospital_borne", "hospital borne (不合规)"),
    ("full_self_pay", "full self-pay (丙类)"),
    ("over_limit", "over price cap (超限价)"),
    ("pre_self_pay", "pre-self-pay (乙类先行自付)"),
    ("in_policy", "in policy (政策范围内)"),
)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = []
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (width - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        out.append("  ".join(cells).rstrip())
    return out


def render_text(bill: BillFile, settlement: Settlement) -> str:
    data = settlement_dict(settlement)
    claim = bill.claim
    place = (
        "in county"
        if claim.in_county
        else ("out of county, referred" if claim.referral else "out of county, no referral")
    )
    who = ", ".join(sorted(claim.categories)) or "no category"
    lines = [
        f"discharged {bill.discharge_date.isoformat()}; {claim.level} hospital, {place}; "
        f"person: {who}; {len(claim.lines)} items",
        "",
        "Bill by class",
        *(
            "  " + row
            for row in _table([[label, data["totals"][key]] for key, label in _CLASSES], right={1})
        ),
        "",
        "Layers",
    ]
    # params last: they are the long column
    rows = [["layer", "fund", "base", "paid", "left", "reason", "params"]]
    for layer in data["layers"]:
        params = ", ".join(f"{k}={'none' if v is None else v}" for k, v in layer["params"].items())
        rows.append(
            [
                layer["layer"],
                layer["fund_code"],
                layer["base"],
                layer["paid"],
                layer["left"],
                layer["reason"] or "-",
                params,
            ]
        )
    lines += ["  " + row for row in _table(rows, right={2, 3, 4})]
    lines += [
        "",
        *_table(
            [
                ["fund paid", data["fund_paid"]],
                ["self pay (patient's cash)", data["self_pay"]],
                ["in-policy self pay", data["in_policy_self_pay"]],
                ["in-policy self-pay ratio", data["in_policy_self_pay_ratio"]],
            ],
            right={1},
        ),
        "",
        f"policy {data['policy_version']}  sha256 {data['policy_hash']}",
    ]
    return "\n".join(lines) + "\n"


def run(path: Path, as_json: bool = False, policy_dir: Path = POLICY_DIR) -> str:
    """Settle the bill in ``path``; the text table, or JSON (``settlement_dict``) with ``as_json``.

    Raises :class:`BillFileError` for a bad file.
    """
    bill = load_bill(path)
    settlement = settle_bill(bill, policy_dir)
    if as_json:
        return json.dumps(settlement_dict(settlement), ensure_ascii=False, indent=2) + "\n"
    return render_text(bill, settlement)


# -- command line ---------------------------------------------------------------------------------
def command(args: argparse.Namespace) -> int:
    """The ``settle-file`` subcommand: writes the result, returns the exit status."""
    try:
        output = run(args.bill, as_json=args.as_json)
    except BillFileError as exc:
        sys.stderr.write(f"settle-file: {args.bill} is not a valid bill:\n")
        sys.stderr.writelines(f"  - {error}\n" for error in exc.errors)
        return EXIT_BAD_INPUT
    sys.stdout.write(output)
    return 0


def _configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("bill", type=Path, metavar="BILL.json", help="the bill file to settle")
    parser.add_argument(
        "--json",
        dest="as_json",
        action="store_true",
        help="print the settlement as JSON instead of a table",
    )
    parser.set_defaults(func=command)
    return parser


_DESCRIPTION = (
    "Settle one bill offline (a bill file, or the API's request body looked up in the demo "
    "registry) with the policy in force on its discharge date."
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``settle-file`` on an ``argparse`` subparsers object (``func=`` is set)."""
    return _configure(
        subparsers.add_parser("settle-file", help=_DESCRIPTION, description=_DESCRIPTION)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = _configure(
        argparse.ArgumentParser(prog="onestop settle-file", description=_DESCRIPTION)
    )
    args = parser.parse_args(argv)
    return command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
