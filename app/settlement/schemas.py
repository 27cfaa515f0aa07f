"""Settlement request and response bodies (docs/api.md "Settlement").

A response is built by a named constructor, from the engine's result
(:meth:`SettlementOut.from_engine`) or from the stored rows (:meth:`SettlementOut.from_rows`).
Its amounts stay integers (fen, basis points) until the response is serialized, when
:data:`app.types.MoneyOut` and :data:`app.types.RatioOut` write them as yuan and ratio text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic_core import PydanticCustomError

from app.bounds import (
    BILL_MAX_FEN,
    LINE_MAX_FEN,
    PERSON_YEAR_MAX_FEN,
    QUANTITY_MAX_E3,
    UNIT_PRICE_MAX_E4,
)
from app.engine import Claim
from app.engine import Settlement as Computed
from app.engine.money import format_e4, format_fen
from app.i18n import reason_zh
from app.types import (
    AdmissionDate,
    DischargeDate,
    Money,
    MoneyOut,
    Price,
    Quantity,
    RatioOut,
    Text,
    id_number_problem,
    mask_id_number,
)

if TYPE_CHECKING:
    from .models import Reversal, Settlement, SettlementLayer

__all__ = [
    "BillHeader",
    "ItemIn",
    "LayerOut",
    "PatientIn",
    "PatientOut",
    "ReversalIn",
    "SettlementIn",
    "SettlementOut",
    "Status",
    "TotalsOut",
]

MAX_ITEMS = 5000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ItemIn(_In):
    """One line of the bill (费用明细)."""

    seq: int = Field(
        ge=1,
        le=10**6,
        strict=True,
        description="Line number (明细序号), unique in the bill",
        examples=[1],
    )
    code: str = Field(
        pattern=r"^[A-Za-z0-9._-]{1,64}$",
        description="Catalogue code (医保目录编码); must be in the catalogue on the discharge date",
        examples=["XB01"],
    )
    name: Annotated[str, Text(200)] = Field(
        default="",
        description="Item name as the HIS prints it (项目名称); informative only",
        examples=["注射用头孢曲松钠 1g"],
    )
    unit_price: Price = Field(
        description="Unit price in yuan (单价), at most 4 decimals and "
        f"{format_e4(UNIT_PRICE_MAX_E4)}"
    )
    quantity: Quantity = Field(
        description="Quantity (数量), at most 3 decimals, positive, at most "
        f"{format_e4(QUANTITY_MAX_E3 * 10)}"
    )
    amount: Money = Field(
        description="Line amount in yuan (金额); must equal round(unit_price × quantity) to the "
        f"fen, else 422 amount_mismatch; at most {format_fen(LINE_MAX_FEN)}, else 422 "
        "amount_out_of_range",
    )
    hospital_borne: StrictBool = Field(
        default=False,
        description="Non-compliant charge borne by the hospital (不合规费用, 医院承担): neither "
        "the funds nor the patient pay it",
    )


class PatientIn(_In):
    """The insured patient (参保人)."""

    id_number: str = Field(
        pattern=r"^[0-9]{17}[0-9X]$",
        description="18-digit resident ID number (公民身份号码, GB 11643); must be in the person "
        "registry and enrolled (参保) for the discharge year",
        examples=["510402195001010014"],
    )
    name: Annotated[str, Text(100)] | None = Field(
        default=None,
        description="Patient name (姓名); informative only",
        examples=["张三"],
    )

    @field_validator("id_number")
    @classmethod
    def _checksum(cls, value: str) -> str:
        if (problem := id_number_problem(value)) is not None:
            raise ValueError(problem)
        return value


class SettlementIn(_In):
    """An inpatient bill at discharge (出院结算单), for preview and settlement."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "hospital_code": "H510402001",
                    "bill_no": "ZY2018060001",
                    "patient": {"id_number": "510402195001010014", "name": "张三"},
                    "admission_date": "2018-06-01",
                    "discharge_date": "2018-06-12",
                    "referral": False,
                    "items": [
                        {
                            "seq": 1,
                            "code": "XC01",
                            "name": "一次性医用耗材（丙类）",
                            "unit_price": "1000.00",
                            "quantity": "1",
                            "amount": "1000.00",
                        },
                        {
                            "seq": 2,
                            "code": "XB01",
                            "name": "注射用头孢曲松钠 1g",
                            "unit_price": "50.00",
                            "quantity": "100",
                            "amount": "5000.00",
                        },
                        {
                            "seq": 3,
                            "code": "XA05",
                            "name": "阑尾切除术",
                            "unit_price": "1200.00",
                            "quantity": "1",
                            "amount": "1200.00",
                        },
                        {
                            "seq": 4,
                            "code": "XA06",
                            "name": "住院诊查费（日）",
                            "unit_price": "1280.00",
                            "quantity": "10",
                            "amount": "12800.00",
                        },
                    ],
                }
            ]
        }
    )

    hospital_code: str = Field(
        pattern=r"^[A-Za-z0-9._-]{1,32}$",
        description="Hospital code (定点医疗机构编码); a hospital key settles its own only",
        examples=["H510402001"],
    )
    bill_no: str = Field(
        pattern=r"^[A-Za-z0-9._/-]{1,64}$",
        description="Bill number (住院号/结算单号), unique per hospital; with hospital_code the "
        "idempotency key of a settlement",
        examples=["ZY2018060001"],
    )
    patient: PatientIn
    admission_date: AdmissionDate = Field(
        description="Admission date (入院日期), YYYY-MM-DD, not before 1900-01-01",
        examples=["2018-06-01"],
    )
    discharge_date: DischargeDate = Field(
        description="Discharge date (出院日期), YYYY-MM-DD, not after today (Asia/Shanghai); "
        "chooses the policy version in force and the accumulator year (年度累计)",
        examples=["2018-06-12"],
    )
    referral: StrictBool = Field(
        default=False,
        description="Referred (转诊): out-of-county treatment with a referral keeps the full "
        "reimbursement ratio",
    )
    items: list[ItemIn] = Field(
        min_length=1,
        max_length=MAX_ITEMS,
        description=f"Bill lines (费用明细), 1 to {MAX_ITEMS}; their amounts add up to at most "
        f"{format_fen(BILL_MAX_FEN)} (422 amount_out_of_range), and with the person's other "
        f"standing bills of the accumulator year to at most {format_fen(PERSON_YEAR_MAX_FEN)}",
    )
    replaces: uuid.UUID | None = Field(
        default=None,
        description="To settle a reversed bill again (重新结算): the id of its reversed "
        "settlement, the bill's latest. Without it a reversed bill answers 409 bill_reversed, so "
        "a late retry never settles it twice. Not part of the bill's content: a replay is "
        "recognised with or without it.",
        examples=[None],
    )

    @field_validator("items")
    @classmethod
    def _unique_seq(cls, items: list[ItemIn]) -> list[ItemIn]:
        first: dict[int, int] = {}
        for index, item in enumerate(items):
            if item.seq in first:
                raise PydanticCustomError(
                    "duplicate_seq",
                    "item seq {seq} appears twice (items {first} and {index})",
                    {"seq": item.seq, "first": first[item.seq], "index": index},
                )
            first[item.seq] = index
        return items


class ReversalIn(_In):
    """Optional body of a reversal (撤销)."""

    reason: Annotated[str, Text(500)] | None = Field(
        default=None,
        description="Why the settlement is reversed (撤销原因); kept in the audit trail",
        examples=["费用录入错误，重新结算"],
    )


class PatientOut(BaseModel):
    id_number: str = Field(
        description="ID number (身份证号), masked: first 4 and last 4 characters",
        examples=["5104**********0014"],
    )
    categories: list[str] = Field(
        description="Assistance categories valid on the discharge date: registered_poor "
        "(建档立卡贫困人员), dibao (低保对象), tekun (特困人员)",
        examples=[["registered_poor"]],
    )
    in_county: bool = Field(
        description="In county (县域内): the hospital's county is the person's insured county"
    )

    @classmethod
    def masked(cls, id_number: str, categories: Iterable[str], in_county: bool) -> PatientOut:
        """The patient as a response shows them: the ID number masked, categories sorted."""
        return cls(
            id_number=mask_id_number(id_number), categories=sorted(categories), in_county=in_county
        )


class BillHeader(Protocol):
    """What a response repeats of the bill it settled: ``service.BillSpec`` has these."""

    @property
    def hospital_code(self) -> str: ...
    @property
    def bill_no(self) -> str: ...
    @property
    def id_number(self) -> str: ...
    @property
    def admission_date(self) -> dt.date: ...
    @property
    def discharge_date(self) -> dt.date: ...
    @property
    def replaces(self) -> uuid.UUID | None: ...
    @property
    def mdtrt_id(self) -> str | None: ...


class FenTotals(Protocol):
    """How a bill total splits, in fen: the engine's ``Totals`` and a stored ``settlements`` row
    carry these integers by the same names."""

    @property
    def total_fen(self) -> int: ...
    @property
    def hospital_borne_fen(self) -> int: ...
    @property
    def full_self_pay_fen(self) -> int: ...
    @property
    def over_limit_fen(self) -> int: ...
    @property
    def pre_self_pay_fen(self) -> int: ...
    @property
    def in_policy_fen(self) -> int: ...


class FenLayer(Protocol):
    """One payment layer, in fen: the engine's ``LayerLine`` (``params`` as pairs) and a stored
    ``settlement_layers`` row (``params`` as a JSON object) carry these by the same names."""

    @property
    def layer(self) -> str: ...
    @property
    def fund_code(self) -> str: ...
    @property
    def fund_name(self) -> str: ...
    @property
    def base_fen(self) -> int: ...
    @property
    def paid_fen(self) -> int: ...
    @property
    def left_fen(self) -> int: ...
    @property
    def params(self) -> Mapping[str, str | None] | Iterable[tuple[str, str | None]]: ...
    @property
    def rule(self) -> str: ...
    @property
    def reason(self) -> str | None: ...


class TotalsOut(BaseModel):
    """How the bill total splits before the funds pay (amounts in yuan)."""

    total: MoneyOut = Field(description="Bill total (医疗总费用)", examples=["20000.00"])
    hospital_borne: MoneyOut = Field(
        description="Non-compliant charges borne by the hospital (不合规费用)", examples=["0.00"]
    )
    full_self_pay: MoneyOut = Field(
        description="Full self-pay (全自费): grade C items, outside the catalogue's scope",
        examples=["1000.00"],
    )
    over_limit: MoneyOut = Field(description="Above the price cap (超限价自付)", examples=["0.00"])
    pre_self_pay: MoneyOut = Field(
        description="Pre-self-pay of grade B items (乙类先行自付)", examples=["500.00"]
    )
    in_policy: MoneyOut = Field(
        description="In-policy amount (政策范围内费用) the layers work on", examples=["18500.00"]
    )

    @classmethod
    def of(cls, totals: FenTotals) -> TotalsOut:
        """From the engine's ``Totals`` or a stored settlement row."""
        return cls(
            total=totals.total_fen,
            hospital_borne=totals.hospital_borne_fen,
            full_self_pay=totals.full_self_pay_fen,
            over_limit=totals.over_limit_fen,
            pre_self_pay=totals.pre_self_pay_fen,
            in_policy=totals.in_policy_fen,
        )


class LayerOut(BaseModel):
    """One payment layer of the settlement, in policy order."""

    layer: str = Field(
        description="basic (基本医保), critical_illness (大病保险), supplementary (补充保险), "
        "tilted (倾斜支付), civil_assistance (医疗救助)",
        examples=["basic"],
    )
    fund_code: str = Field(description="Fund code (基金编码)", examples=["390100"])
    fund_name: str = Field(
        description="Fund name (基金名称)", examples=["城乡居民基本医疗保险基金"]
    )
    base: MoneyOut = Field(
        description="What this layer considered (计算基数), yuan", examples=["18500.00"]
    )
    paid: MoneyOut = Field(
        description="What this fund pays (基金支付), yuan", examples=["14640.00"]
    )
    left: MoneyOut = Field(
        description="Left for the next layers after this one (剩余), yuan", examples=["3860.00"]
    )
    params: dict[str, str | None] = Field(
        description="The policy parameters this layer used (deductible 起付线, ratio 报销比例, "
        "cap 封顶线, accumulators before this settlement, ...)",
        examples=[{"deductible": "200.00", "ratio": "0.80", "cap_remaining_before": "150000.00"}],
    )
    rule: str = Field(description="The policy clause and source applied (政策依据)")
    reason: str | None = Field(
        description="Why the layer paid nothing (e.g. not eligible), else null"
    )

    @classmethod
    def of(cls, line: FenLayer) -> LayerOut:
        """From one of the engine's ``LayerLine`` or a stored layer row."""
        return cls(
            layer=line.layer,
            fund_code=line.fund_code,
            fund_name=line.fund_name,
            base=line.base_fen,
            paid=line.paid_fen,
            left=line.left_fen,
            params=dict(line.params),
            rule=line.rule,
            reason=line.reason,
        )


Status = Literal["preview", "settled", "reversed"]


class SettlementOut(BaseModel):
    """A settlement (结算单) or a preview (预结算) of one bill."""

    settlement_id: uuid.UUID | None = Field(
        description="Settlement id (结算流水号); null for a preview"
    )
    setl_id: str | None = Field(
        default=None,
        description="The national interface's settlement id (结算ID, setl_id): 'S' and 15 digits; "
        "null for a preview",
        examples=["S000000000000001"],
    )
    status: Status = Field(description="preview (预结算), settled (已结算) or reversed (已撤销)")
    hospital_code: str = Field(description="Hospital code (医疗机构编码)", examples=["H510402001"])
    bill_no: str = Field(description="Bill number (住院号/结算单号)", examples=["ZY2018060001"])
    mdtrt_id: str | None = Field(
        default=None,
        description="The visit (就诊ID, mdtrt_id) a settlement through the national interface "
        "settled; null for a /v1 bill",
        examples=[None],
    )
    policy_version: str = Field(
        description="Policy version applied (政策版本)", examples=["panzhihua-2018"]
    )
    policy_hash: str = Field(description="SHA-256 of the policy document applied")
    settled_at: dt.datetime | None = Field(
        description="Settlement time (结算时间); null for a preview"
    )
    reversed_at: dt.datetime | None = Field(
        default=None, description="Reversal time (撤销时间) when reversed"
    )
    reversal_setl_id: str | None = Field(
        default=None,
        description="The reversal record's own setl_id (撤销的结算ID, the national interface's "
        "negative settlement) when reversed, else null",
        examples=[None],
    )
    replaces: uuid.UUID | None = Field(
        default=None,
        description="The reversed settlement of the same bill this one settled again (被重结的"
        "结算流水号), else null",
    )
    admission_date: dt.date = Field(description="Admission date (入院日期)")
    discharge_date: dt.date = Field(description="Discharge date (出院日期)")
    accumulator_year: int = Field(
        description="The year whose accumulators (年度累计) this settlement counts in",
        examples=[2018],
    )
    patient: PatientOut
    totals: TotalsOut
    layers: list[LayerOut] = Field(description="All payment layers in policy order")
    fund_paid: MoneyOut = Field(
        description="Paid by all funds together (基金支付合计), yuan", examples=["17945.00"]
    )
    self_pay: MoneyOut = Field(
        description="What the patient pays at the window (个人自付现金), yuan", examples=["2055.00"]
    )
    in_policy_self_pay: MoneyOut = Field(
        description="The patient's share of the in-policy amount (政策范围内个人自付), yuan",
        examples=["555.00"],
    )
    in_policy_self_pay_ratio: RatioOut = Field(
        description="in_policy_self_pay / in_policy (政策范围内自付比例), 4 decimals",
        examples=["0.0300"],
    )

    def in_chinese(self) -> SettlementOut:
        """The same settlement with each layer's ``reason`` in Chinese (``app.i18n.reason_zh``);
        every other field, the English ``rule`` included, unchanged."""
        if all(layer.reason is None for layer in self.layers):
            return self
        layers = [
            layer.model_copy(update={"reason": reason_zh(layer.reason)}) for layer in self.layers
        ]
        return self.model_copy(update={"layers": layers})

    @classmethod
    def from_engine(
        cls,
        body: BillHeader,
        claim: Claim,
        computed: Computed,
        *,
        accumulator_year: int,
        status: Literal["preview", "settled"],
        settlement_id: uuid.UUID | None = None,
        settled_at: dt.datetime | None = None,
        setl_id: str | None = None,
    ) -> SettlementOut:
        """What the engine computed for ``body`` (``claim`` is what it was given): a preview, or
        the settlement just stored as ``settlement_id`` / ``setl_id``."""
        return cls(
            settlement_id=settlement_id,
            setl_id=setl_id,
            status=status,
            hospital_code=body.hospital_code,
            bill_no=body.bill_no,
            mdtrt_id=body.mdtrt_id,
            policy_version=computed.policy_id,
            policy_hash=computed.policy_hash,
            settled_at=settled_at,
            replaces=body.replaces if settlement_id is not None else None,
            admission_date=body.admission_date,
            discharge_date=body.discharge_date,
            accumulator_year=accumulator_year,
            patient=PatientOut.masked(body.id_number, claim.categories, claim.in_county),
            totals=TotalsOut.of(computed.totals),
            layers=[LayerOut.of(line) for line in computed.layers],
            fund_paid=computed.fund_paid_fen,
            self_pay=computed.self_pay_fen,
            in_policy_self_pay=computed.in_policy_self_pay_fen,
            in_policy_self_pay_ratio=computed.in_policy_self_pay_ratio_bp,
        )

    @classmethod
    def from_rows(
        cls,
        row: Settlement,
        layers: Sequence[SettlementLayer],
        reversal: Reversal | None,
        id_number: str,
    ) -> SettlementOut:
        """A stored settlement: its row, its layer rows in position order, its reversal if any,
        and the person's ID number."""
        return cls(
            settlement_id=row.id,
            setl_id=row.setl_id,
            status="reversed" if reversal is not None else "settled",
            hospital_code=row.hospital_code,
            bill_no=row.bill_no,
            mdtrt_id=row.mdtrt_id,
            policy_version=row.policy_version,
            policy_hash=row.policy_hash,
            settled_at=row.settled_at,
            reversed_at=reversal.reversed_at if reversal is not None else None,
            reversal_setl_id=reversal.setl_id if reversal is not None else None,
            replaces=row.replaces_id,
            admission_date=row.admission_date,
            discharge_date=row.discharge_date,
            accumulator_year=row.accumulator_year,
            patient=PatientOut.masked(id_number, row.categories, row.in_county),
            totals=TotalsOut.of(row),
            layers=[LayerOut.of(line) for line in layers],
            fund_paid=row.fund_paid_fen,
            self_pay=row.self_pay_fen,
            in_policy_self_pay=row.in_policy_self_pay_fen,
            in_policy_self_pay_ratio=row.in_policy_self_pay_ratio_bp,
        )
