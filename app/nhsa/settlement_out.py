"""A settlement written as the national interface's answer: ``setlinfo`` and ``setldetail[]``.

NHSA.md "Settlement output" (2303/2304; 2305 negated) and nhsa-interface-detail.md §2304.1 and
2305. Pure functions of a ``/v1`` :class:`~app.settlement.schemas.SettlementOut` (amounts in fen)
and the :class:`~app.engine.Policy` it was settled under: the same figures as ``/v1``, to the fen.

- Where each layer's payment goes (its ``setlinfo`` field, its ``setldetail`` fund code and name)
  is policy data: the layer's ``nhsa`` block in the policy document.
- ``setl_proc_info`` explains each layer in Chinese from the structured facts (base, paid, left,
  the parameters the layer recorded, the policy's own values and the engine's reason code), never
  from the English ``reason`` text. The Chinese labels are presentation; every number comes from
  the settlement or the policy.

Identities (checked by tests/nhsa/test_settlement_out.py on every random settlement):
``medfee_sumamt = fulamt_ownpay_amt + overlmt_selfpay + preselfpay_amt + inscp_scp_amt``
(hospital-borne lines sit in ``fulamt_ownpay_amt``), ``medfee_sumamt = fund_pay_sumamt +
psn_part_amt + hosp_part_amt``, ``psn_part_amt = acct_pay + psn_cash_pay``, and ``fund_pay_sumamt``
= Σ of the layer rows of ``setldetail`` (not the ``999996`` hospital row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.clock import local_time
from app.engine import Policy
from app.engine.layers import SETLINFO_FUND_FIELDS, Layer, NhsaMapping, reason_code_of
from app.engine.layers.basic import Basic
from app.engine.layers.civil_assistance import CivilAssistance
from app.engine.layers.critical_illness import Band, CriticalIllness, schedule_value
from app.engine.layers.supplementary import Supplementary
from app.engine.layers.tilted import Tilted
from app.engine.money import BP, apply_ratio, div_half_up, format_fen, parse_scaled
from app.settlement.schemas import LayerOut, SettlementOut

from .codes import CODES
from .wire import Fen, Scaled

__all__ = ["HOSPITAL_FUND_PAY_TYPE", "setldetail", "setlinfo"]


# The national code of the hospital-borne row (nhsa-interface-detail.md §2304.3: 999996 =
# hosp_part_amt in the 2304 sample); interface vocabulary, not a business number.
HOSPITAL_FUND_PAY_TYPE = ("999996", "医院负担")

# 2305's setlinfo: 27 fields, no personal-identity fields (nhsa-interface-detail.md §2305).
_REVERSAL_FIELDS = (
    "mdtrt_id",
    "setl_id",
    "clr_optins",
    "setl_time",
    "medfee_sumamt",
    "fulamt_ownpay_amt",
    "overlmt_selfpay",
    "preselfpay_amt",
    "inscp_scp_amt",
    "act_pay_dedc",
    "hifp_pay",
    "pool_prop_selfpay",
    "cvlserv_pay",
    "hifes_pay",
    "hifmi_pay",
    "hifob_pay",
    "maf_pay",
    "oth_pay",
    "fund_pay_sumamt",
    "psn_part_amt",
    "acct_pay",
    "psn_cash_pay",
    "hosp_part_amt",
    "balc",
    "acct_mulaid_pay",
    "medins_setl_id",
    "hifdm_pay",
)
_BASEINFO_FIELDS = ("psn_no", "psn_name", "psn_cert_type", "certno", "gend", "brdy", "age")

# Presentation only: Chinese names of the layers, person profiles and hospital levels.
_LAYER_LABELS = {
    "basic": "基本医保统筹",
    "critical_illness": "大病保险",
    "supplementary": "补充医疗保险",
    "tilted": "倾斜支付",
    "civil_assistance": "医疗救助",
}
_PROFILE_NAMES = {
    "general": "普通参保人员",
    "registered_poor": "建档立卡贫困人员",
    "dibao": "低保对象",
    "tekun": "特困人员",
}
_LEVEL_NAMES = {"primary": "一级医院", "secondary": "二级医院", "tertiary": "三级医院"}
_NOTHING_LEFT = "前序基金支付后无剩余政策范围内费用"


def setlinfo(
    out: SettlementOut,
    policy: Policy,
    *,
    baseinfo: Mapping[str, Any],
    msgid: str,
    clr_optins: str,
    setl_time: dt.datetime,
    mdtrt_cert_type: str,
    setl_id: str | None,
    mdtrt_id: str,
    negate: bool = False,
) -> dict[str, Any]:
    """``setlinfo`` of the 2303/2304 answer, or with ``negate`` the 2305 answer's 27 fields with
    every amount negated. ``setl_id`` ``None`` (a 2303 preview) leaves the field out.
    ``baseinfo``: ``psn_no, psn_name, psn_cert_type, certno`` (masked), ``gend, brdy, age`` and
    optionally ``psn_type``, as 1101 gives them."""
    rows = _layer_rows(out, policy)
    sign = -1 if negate else 1

    def fen(amount: int) -> Fen:
        return Fen(sign * amount)

    totals = out.totals
    by_field = dict.fromkeys(SETLINFO_FUND_FIELDS, 0)
    for line, _layer, nhsa in rows:
        by_field[nhsa.setlinfo_field] += line.paid
    basic = next((line for line, layer, _ in rows if isinstance(layer, Basic)), None)
    deductible = _fen(basic.params, "deductible") if basic is not None else 0
    ratio_bp = _bp(basic.params, "ratio") if basic is not None else 0
    values: dict[str, Any] = {
        "mdtrt_id": mdtrt_id,
        "setl_id": setl_id,
        "psn_no": baseinfo["psn_no"],
        "psn_name": baseinfo["psn_name"],
        "psn_cert_type": baseinfo["psn_cert_type"],
        "certno": baseinfo["certno"],
        "gend": baseinfo["gend"],
        "brdy": baseinfo["brdy"],
        "age": baseinfo["age"],
        "insutype": CODES.insutype,
        "psn_type": baseinfo.get("psn_type"),
        "cvlserv_flag": "0",
        "setl_time": _moment(setl_time),
        "mdtrt_cert_type": mdtrt_cert_type,
        "med_type": CODES.med_type,
        "medfee_sumamt": fen(totals.total),
        "fulamt_ownpay_amt": fen(totals.full_self_pay + totals.hospital_borne),
        "overlmt_selfpay": fen(totals.over_limit),
        "preselfpay_amt": fen(totals.pre_self_pay),
        "inscp_scp_amt": fen(totals.in_policy),
        "act_pay_dedc": fen(deductible),
        "pool_prop_selfpay": Scaled(ratio_bp, 4),
        **{name: fen(amount) for name, amount in by_field.items()},
        "fund_pay_sumamt": fen(out.fund_paid),
        "hosp_part_amt": fen(totals.hospital_borne),
        "psn_part_amt": fen(out.self_pay),
        "acct_pay": fen(0),
        "psn_cash_pay": fen(out.self_pay),
        "balc": fen(0),
        "acct_mulaid_pay": fen(0),
        "medins_setl_id": msgid,
        "clr_optins": clr_optins,
        "clr_way": "1",
        "clr_type": CODES.clr_type,
    }
    if negate:
        return {name: values[name] for name in _REVERSAL_FIELDS}
    if setl_id is None:
        del values["setl_id"]
    return values


def setldetail(out: SettlementOut, policy: Policy, *, negate: bool = False) -> list[dict[str, Any]]:
    """``setldetail[]``: one row per layer in policy order, those that paid 0 included, then the
    ``999996`` hospital-borne row when the hospital bears anything. ``negate``: every amount
    negated (2305)."""
    sign = -1 if negate else 1
    prefix = "结算撤销（冲销原结算）：" if negate else ""
    rows: list[dict[str, Any]] = []
    for line, layer, nhsa in _layer_rows(out, policy):
        rows.append(
            {
                "fund_pay_type": nhsa.fund_pay_type,
                "fund_pay_type_name": nhsa.fund_pay_type_name,
                "inscp_scp_amt": Fen(sign * line.base),
                "crt_payb_lmt_amt": Fen(sign * _payable_at_most(line)),
                "fund_payamt": Fen(sign * line.paid),
                "setl_proc_info": prefix + _explain(line, layer, out),
            }
        )
    hospital = out.totals.hospital_borne
    if hospital:
        code, name = HOSPITAL_FUND_PAY_TYPE
        rows.append(
            {
                "fund_pay_type": code,
                "fund_pay_type_name": name,
                "inscp_scp_amt": Fen(sign * out.totals.in_policy),
                "crt_payb_lmt_amt": Fen(sign * hospital),
                "fund_payamt": Fen(sign * hospital),
                "setl_proc_info": f"{prefix}{name}：不合规费用由医院承担{_y(hospital)}",
            }
        )
    return rows


# -- matching the settlement's layers with the policy's --------------------------------------------
def _layer_rows(out: SettlementOut, policy: Policy) -> list[tuple[LayerOut, Layer, NhsaMapping]]:
    if out.policy_version != policy.id:
        raise ValueError(f"settlement is under policy {out.policy_version!r}, not {policy.id!r}")
    if out.policy_hash != policy.content_hash:
        raise ValueError(f"settlement is under another content of policy {policy.id!r}")
    names = [line.layer for line in out.layers]
    if names != [layer.meta.name for layer in policy.layers]:
        raise ValueError(f"settlement layers {names} are not policy {policy.id!r}'s")
    rows = []
    for line, layer in zip(out.layers, policy.layers, strict=True):
        if layer.meta.nhsa is None:
            raise ValueError(f"policy {policy.id!r}: layer {line.layer!r} has no nhsa block")
        rows.append((line, layer, layer.meta.nhsa))
    return rows


def _payable_at_most(line: LayerOut) -> int:
    """What the layer could pay at most this time: its base, or less where what is left of an
    annual cap is smaller (``cap_remaining_before``, recorded by every capped layer)."""
    remaining = _fen_or_none(line.params, "cap_remaining_before")
    return line.base if remaining is None else min(line.base, remaining)


# -- setl_proc_info --------------------------------------------------------------------------------
def _explain(line: LayerOut, layer: Layer, out: SettlementOut) -> str:
    """One layer's explanation in Chinese: base, rule and parameters with their values, paid,
    left, and why it paid 0."""
    label = _LAYER_LABELS.get(line.layer, layer.meta.fund_name)
    if isinstance(layer, Basic):
        body = _basic(line, layer)
    elif isinstance(layer, CriticalIllness):
        body = _critical_illness(line, layer)
    elif isinstance(layer, Supplementary):
        body = _ratio_layer(
            line, "支付比例", "享受人群", layer.eligible, layer.annual_cap_fen, None
        )
    elif isinstance(layer, Tilted):
        body = _tilted(line, layer, out.totals.in_policy)
    elif isinstance(layer, CivilAssistance):
        body = _civil_assistance(line, layer)
    else:  # a layer kind without its own wording
        body = _paid_left(line)
    return f"{label}：{body}"


def _basic(line: LayerOut, layer: Basic) -> str:
    p = line.params
    profile, level = str(p["profile"]), str(p["level"])
    who = f"{_PROFILE_NAMES.get(profile, profile)}、{_LEVEL_NAMES.get(level, level)}"
    standard = layer.deductible_fen[profile][level]
    applied = _fen(p, "deductible")
    ratio = _bp(p, "ratio")
    code = reason_code_of(line.reason)
    if code == "no_in_policy":
        return f"无政策范围内费用，支付{_y(0)}"
    if code == "below_deductible":
        return f"{who}，基数{_y(line.base)}未超过起付标准{_y(standard)}，支付{_y(0)}"
    if code == "cap_reached":
        return (
            f"{who}，基数{_y(line.base)}，{_cap_used(layer.annual_cap_fen[profile])}，支付{_y(0)}"
        )
    text = f"{who}，基数{_y(line.base)}，起付标准{_y(standard)}，报销比例{_pct(ratio)}"
    if "out_of_county_no_referral_reduction" in p:
        reduction = _bp(p, "out_of_county_no_referral_reduction")
        text += f"（县域外未转诊，比例降低{_pct(reduction)}）"
    computed = apply_ratio(line.base - applied, ratio)
    text += f"，({_y(line.base)}−{_y(applied)})×{_pct(ratio)}={_y(computed)}"
    return text + _cap_note(line, computed) + _paid_left(line, lead="，")


def _critical_illness(line: LayerOut, layer: CriticalIllness) -> str:
    p = line.params
    profile = str(p["profile"])
    bands = layer.bands[profile]
    before, after = _fen(p, "cumulative_base_before"), _fen(p, "cumulative_base_after")
    threshold = bands[0].lower_fen if bands else 0
    code = reason_code_of(line.reason)
    if code == "nothing_left":
        return f"{_NOTHING_LEFT}，支付{_y(0)}"
    if code == "cap_reached":
        return f"基数{_y(line.base)}，{_cap_used(layer.annual_cap_fen[profile])}，支付{_y(0)}"
    if code == "below_threshold" and after <= threshold:
        return f"本年累计基数{_y(after)}未达起付标准{_y(threshold)}，支付{_y(0)}"
    computed = div_half_up(schedule_value(bands, after) - schedule_value(bands, before), BP)
    text = (
        f"{_PROFILE_NAMES.get(profile, profile)}，基数{_y(line.base)}，本年累计基数"
        f"{_y(before)}→{_y(after)}，起付标准{_y(threshold)}，分段比例{_bands(bands)}，"
        f"按累计基数增量计算{_y(computed)}"
    )
    return text + _cap_note(line, computed) + _paid_left(line, lead="，")


def _civil_assistance(line: LayerOut, layer: CivilAssistance) -> str:
    category = line.params.get("category")
    if category is None:  # no category of the person qualifies
        return _ratio_layer(line, "救助比例", "救助类别", frozenset(layer.categories), None, None)
    cap = layer.categories[category][1]
    return _ratio_layer(line, "救助比例", "救助类别", frozenset(layer.categories), cap, category)


def _ratio_layer(
    line: LayerOut,
    ratio_name: str,
    group: str,
    eligible: frozenset[str],
    cap_fen: int | None,
    category: str | None,
) -> str:
    """Supplementary and civil assistance: ``paid = min(round(base × ratio), remaining cap)``."""
    code = reason_code_of(line.reason)
    if code == "not_eligible":
        return f"参保人不属于{group}（{_names(eligible)}），支付{_y(0)}"
    if code == "nothing_left":
        return f"{_NOTHING_LEFT}，支付{_y(0)}"
    if code == "cap_reached":
        return f"基数{_y(line.base)}，{_cap_used(cap_fen)}，支付{_y(0)}"
    ratio = _bp(line.params, "ratio")
    computed = apply_ratio(line.base, ratio)
    who = f"救助类别{_PROFILE_NAMES.get(category, category)}，" if category is not None else ""
    text = (
        f"{who}基数{_y(line.base)}，{ratio_name}{_pct(ratio)}，"
        f"{_y(line.base)}×{_pct(ratio)}={_y(computed)}"
    )
    return text + _cap_note(line, computed) + _paid_left(line, lead="，")


def _tilted(line: LayerOut, layer: Tilted, in_policy_fen: int) -> str:
    code = reason_code_of(line.reason)
    if code == "not_eligible":
        return f"参保人不属于享受人群（{_names(layer.eligible)}），支付{_y(0)}"
    if code == "out_of_county":
        return f"非参保地县域内定点医疗机构就医，不享受，支付{_y(0)}"
    ratio = _bp(line.params, "target_ratio")
    target = _fen(line.params, "target")
    goal = f"目标{_y(target)}（政策范围内费用{_y(in_policy_fen)}×{_pct(ratio)}）"
    if code == "within_target":
        return f"基数{_y(line.base)}未超过{goal}，支付{_y(0)}"
    return (
        f"基数{_y(line.base)}，{goal}，{_y(line.base)}−{_y(target)}={_y(line.paid)}，"
        f"支付{_y(line.paid)}，剩余{_y(line.left)}"
    )


# -- text helpers ----------------------------------------------------------------------------------
def _y(fen: int) -> str:
    return format_fen(fen)


def _pct(ratio_bp: int) -> str:
    """``8000`` → ``80%``, ``8550`` → ``85.5%``, ``1`` → ``0.01%``."""
    whole, part = divmod(ratio_bp, 100)
    return f"{whole}%" if part == 0 else f"{whole}.{part:02d}".rstrip("0") + "%"


def _names(categories: frozenset[str] | Sequence[str]) -> str:
    return "、".join(_PROFILE_NAMES.get(c, c) for c in sorted(categories))


def _bands(bands: Sequence[Band]) -> str:
    parts = []
    for band in bands:
        span = (
            f"{_y(band.lower_fen)}以上"
            if band.upper_fen is None
            else f"{_y(band.lower_fen)}至{_y(band.upper_fen)}"
        )
        parts.append(f"{span}部分{_pct(band.ratio_bp)}")
    return "、".join(parts)


def _cap_used(cap_fen: int | None) -> str:
    return "本年度支付限额已用完" if cap_fen is None else f"本年度支付限额{_y(cap_fen)}已用完"


def _cap_note(line: LayerOut, computed: int) -> str:
    remaining = _fen_or_none(line.params, "cap_remaining_before")
    if remaining is None:
        return "，年度支付不设限额" if "cap_remaining_before" in line.params else ""
    if computed > remaining:
        return f"，受本年剩余限额{_y(remaining)}限制"
    return f"，本年剩余限额{_y(remaining)}"


def _paid_left(line: LayerOut, lead: str = "") -> str:
    text = f"支付{_y(line.paid)}，剩余{_y(line.left)}"
    return f"{lead}{text}" if lead else f"基数{_y(line.base)}，{text}"


def _fen(params: Mapping[str, str | None], key: str) -> int:
    value = params.get(key)
    if value is None:
        raise ValueError(f"layer parameter {key!r} missing")
    return parse_scaled(value, 2)


def _fen_or_none(params: Mapping[str, str | None], key: str) -> int | None:
    value = params.get(key)
    return None if value is None else parse_scaled(value, 2)


def _bp(params: Mapping[str, str | None], key: str) -> int:
    value = params.get(key)
    if value is None:
        raise ValueError(f"layer parameter {key!r} missing")
    return parse_scaled(value, 4)


def _moment(value: dt.datetime) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in Asia/Shanghai (a naive time is taken as already there)."""
    return local_time(value)
