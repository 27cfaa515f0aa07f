"""A settlement as the national interface's ``setlinfo`` / ``setldetail[]`` (NHSA.md "Settlement
output"): the real engine on the RULEBOOK worked examples and on random claims, the response
built as the service builds it (``SettlementOut.from_engine``), then written by
:mod:`app.nhsa.settlement_out`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from engine.caseformat import Case, bill_line, load_cases, settle_case
from engine.test_properties import ENGINE, scenarios
from hypothesis import given

from app.engine import Claim, Policy, Settlement, parse_scaled, settle
from app.engine.layers import REASONS, SETLINFO_FUND_FIELDS, reason_code_of
from app.nhsa.settlement_out import setldetail, setlinfo
from app.nhsa.wire import Fen, Scaled
from app.policy import load_directory
from app.settlement.schemas import SettlementIn, SettlementOut
from app.settlement.service import spec_of

POLICIES: list[Policy] = [document.policy for document in load_directory()]
CASES = {case.name: case for case in load_cases()}
BODY = SettlementIn.model_validate(SettlementIn.model_config["json_schema_extra"]["examples"][0])
BASEINFO = {
    "psn_no": "P000000000001",
    "psn_name": "张三",
    "psn_cert_type": "01",
    "certno": "5104**********0014",
    "gend": "1",
    "brdy": "1950-01-01",
    "age": 68,
}
SETL_TIME = dt.datetime(2018, 6, 12, 2, 30, tzinfo=dt.UTC)  # 10:30 in Asia/Shanghai

MONEY = (
    "medfee_sumamt",
    "fulamt_ownpay_amt",
    "overlmt_selfpay",
    "preselfpay_amt",
    "inscp_scp_amt",
    "act_pay_dedc",
    *SETLINFO_FUND_FIELDS,
    "fund_pay_sumamt",
    "hosp_part_amt",
    "psn_part_amt",
    "acct_pay",
    "psn_cash_pay",
    "balc",
    "acct_mulaid_pay",
)


def _respond(claim: Claim, computed: Settlement) -> SettlementOut:
    """The /v1 response, built as the service builds it (the one place that calls it here)."""
    return SettlementOut.from_engine(
        spec_of(BODY, ""), claim, computed, accumulator_year=2018, status="preview"
    )


def _out(claim: Claim, policy: Policy, before: Mapping[str, int]) -> SettlementOut:
    return _respond(claim, settle(claim, policy, before))


def _case_out(name: str) -> tuple[SettlementOut, Policy]:
    case: Case = CASES[name]
    policy, _before, result = settle_case(case, POLICIES)
    return _respond(case.claim, result), policy


def _info(out: SettlementOut, policy: Policy, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"setl_id": "S000000000000001", "mdtrt_id": "M0001"} | kw
    return setlinfo(
        out,
        policy,
        baseinfo=BASEINFO,
        msgid="H51040200120180612103000001",
        clr_optins="510402",
        setl_time=SETL_TIME,
        mdtrt_cert_type="02",
        **args,
    )


def _check_identities(info: Mapping[str, Any], rows: list[dict[str, Any]]) -> None:
    """The three identities of NHSA.md, and fund_pay_sumamt = Σ layer rows (not 999996)."""
    assert info["medfee_sumamt"] == (
        info["fulamt_ownpay_amt"]
        + info["overlmt_selfpay"]
        + info["preselfpay_amt"]
        + info["inscp_scp_amt"]
    )
    assert info["medfee_sumamt"] == (
        info["fund_pay_sumamt"] + info["psn_part_amt"] + info["hosp_part_amt"]
    )
    assert info["psn_part_amt"] == info["acct_pay"] + info["psn_cash_pay"]
    layer_rows = [row for row in rows if row["fund_pay_type"] != "999996"]
    assert sum(row["fund_payamt"] for row in layer_rows) == info["fund_pay_sumamt"]
    assert sum(info[name] for name in SETLINFO_FUND_FIELDS) == info["fund_pay_sumamt"]
    for name in MONEY:
        assert type(info[name]) is Fen, name
    for row in rows:
        for name in ("inscp_scp_amt", "crt_payb_lmt_amt", "fund_payamt"):
            assert type(row[name]) is Fen, name


# -- the RULEBOOK worked examples (docs/rules.md §7; tests/engine/cases/rulebook_examples.yaml) ----
# The bill: C 1000.00, B 5000.00 at 0.10 (pre-self-pay 500.00, in-policy 4500.00), A 14000.00:
# total 20000.00 = full self-pay 1000.00 + pre-self-pay 500.00 + in-policy 18500.00, nothing
# hospital-borne or over a price cap. Amounts in fen.
BILL = {
    "medfee_sumamt": 2000000,
    "fulamt_ownpay_amt": 100000,  # full self-pay 1000.00 + hospital-borne 0.00
    "overlmt_selfpay": 0,
    "preselfpay_amt": 50000,
    "inscp_scp_amt": 1850000,
    "hosp_part_amt": 0,
    "acct_pay": 0,
    "balc": 0,
    "acct_mulaid_pay": 0,
    "cvlserv_pay": 0,
    "hifob_pay": 0,
    "hifdm_pay": 0,
}
EXPECTED = {
    # Example 1: registered_poor, in county, secondary: D 200.00, R 0.80.
    # basic (18500 − 200) × 0.80 = 14640.00; critical 0.00 (cumulative 3860 < 5000);
    # supplementary 3860 × 0.50 = 1930.00; tilted 1930 − round(18500 × 0.10) = 80.00;
    # civil 1850 × 0.70 = 1295.00. fund 14640 + 1930 + 80 + 1295 = 17945.00;
    # self-pay 20000 − 17945 = 2055.00.
    "rulebook-example-1": {
        "act_pay_dedc": 20000,
        "pool_prop_selfpay": Scaled(8000, 4),
        "hifp_pay": 1464000,
        "hifmi_pay": 0,
        "hifes_pay": 193000,
        "oth_pay": 8000,
        "maf_pay": 129500,
        "fund_pay_sumamt": 1794500,
        "psn_part_amt": 205500,
        "psn_cash_pay": 205500,
    },
    # Example 2: no category: D 400.00, R 0.75. basic (18500 − 400) × 0.75 = 13575.00; critical
    # 0.00 (4925 < 10000); the rest not eligible. self-pay 20000 − 13575 = 6425.00.
    "rulebook-example-2": {
        "act_pay_dedc": 40000,
        "pool_prop_selfpay": Scaled(7500, 4),
        "hifp_pay": 1357500,
        "hifmi_pay": 0,
        "hifes_pay": 0,
        "oth_pay": 0,
        "maf_pay": 0,
        "fund_pay_sumamt": 1357500,
        "psn_part_amt": 642500,
        "psn_cash_pay": 642500,
    },
    # Example 3: as 1, out of county without referral: R 0.80 − 0.10 = 0.70.
    # basic 18300 × 0.70 = 12810.00, left 5690.00; critical 0.60 × (5690 − 5000) = 414.00;
    # supplementary 5276 × 0.50 = 2638.00; tilted 0.00; civil 2638 × 0.70 = 1846.60.
    # fund 12810 + 414 + 2638 + 1846.60 = 17708.60; self-pay 20000 − 17708.60 = 2291.40.
    "rulebook-example-3": {
        "act_pay_dedc": 20000,
        "pool_prop_selfpay": Scaled(7000, 4),
        "hifp_pay": 1281000,
        "hifmi_pay": 41400,
        "hifes_pay": 263800,
        "oth_pay": 0,
        "maf_pay": 184660,
        "fund_pay_sumamt": 1770860,
        "psn_part_amt": 229140,
        "psn_cash_pay": 229140,
    },
    # Example 4: example 1 settled first. basic 14640.00; critical 0.60 × (7720 − 5000) − 0 =
    # 1632.00, left 2228.00; supplementary 1114.00; tilted 0.00 (1114 ≤ 1850); civil 1114 ×
    # 0.70 = 779.80. fund 14640 + 1632 + 1114 + 779.80 = 18165.80; self-pay 1834.20.
    "rulebook-example-4": {
        "act_pay_dedc": 20000,
        "pool_prop_selfpay": Scaled(8000, 4),
        "hifp_pay": 1464000,
        "hifmi_pay": 163200,
        "hifes_pay": 111400,
        "oth_pay": 0,
        "maf_pay": 77980,
        "fund_pay_sumamt": 1816580,
        "psn_part_amt": 183420,
        "psn_cash_pay": 183420,
    },
}
EXPECTED["rulebook-example-4-after-example-1"] = EXPECTED["rulebook-example-4"]
EXPECTED["rulebook-example-4-reversed-and-settled-again"] = EXPECTED["rulebook-example-4"]
EXPECTED["rulebook-example-1-reversed-then-example-4-bill"] = EXPECTED["rulebook-example-1"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rulebook_examples_give_the_rulebook_figures(name: str) -> None:
    out, policy = _case_out(name)
    info = _info(out, policy)
    for field, value in {**BILL, **EXPECTED[name]}.items():
        assert info[field] == value, field
    rows = setldetail(out, policy)
    _check_identities(info, rows)
    # one row per layer in policy order, the ones that paid 0 included; nothing hospital-borne
    assert [row["fund_pay_type"] for row in rows] == [
        "390100",
        "390200",
        "390300",
        "640100",
        "610100",
    ]
    field_of = {"390100": "hifp_pay", "390200": "hifmi_pay", "390300": "hifes_pay"}
    field_of |= {"640100": "oth_pay", "610100": "maf_pay"}
    for row in rows:
        assert row["fund_payamt"] == info[field_of[row["fund_pay_type"]]]


def test_setlinfo_of_example_1_field_by_field() -> None:
    out, policy = _case_out("rulebook-example-1")
    assert _info(out, policy) == {
        "mdtrt_id": "M0001",
        "setl_id": "S000000000000001",
        **{key: BASEINFO[key] for key in ("psn_no", "psn_name", "psn_cert_type", "certno")},
        **{key: BASEINFO[key] for key in ("gend", "brdy", "age")},
        "insutype": "390",
        "psn_type": None,
        "cvlserv_flag": "0",
        "setl_time": "2018-06-12 10:30:00",
        "mdtrt_cert_type": "02",
        "med_type": "21",
        "medfee_sumamt": 2000000,
        "fulamt_ownpay_amt": 100000,
        "overlmt_selfpay": 0,
        "preselfpay_amt": 50000,
        "inscp_scp_amt": 1850000,
        "act_pay_dedc": 20000,
        "pool_prop_selfpay": Scaled(8000, 4),
        "hifp_pay": 1464000,
        "hifmi_pay": 0,
        "hifes_pay": 193000,
        "oth_pay": 8000,
        "maf_pay": 129500,
        "cvlserv_pay": 0,
        "hifob_pay": 0,
        "hifdm_pay": 0,
        "fund_pay_sumamt": 1794500,
        "hosp_part_amt": 0,
        "psn_part_amt": 205500,
        "acct_pay": 0,
        "psn_cash_pay": 205500,
        "balc": 0,
        "acct_mulaid_pay": 0,
        "medins_setl_id": "H51040200120180612103000001",
        "clr_optins": "510402",
        "clr_way": "1",
        "clr_type": "21",
    }


def test_a_preview_has_no_setl_id() -> None:
    out, policy = _case_out("rulebook-example-1")
    info = _info(out, policy, setl_id=None)
    assert "setl_id" not in info
    assert info["mdtrt_id"] == "M0001"


def test_setldetail_of_example_1_with_its_explanations() -> None:
    out, policy = _case_out("rulebook-example-1")
    assert setldetail(out, policy) == [
        {
            "fund_pay_type": "390100",
            "fund_pay_type_name": "城乡居民基本医疗保险基金",
            "inscp_scp_amt": 1850000,
            "crt_payb_lmt_amt": 1850000,  # base 18500.00 < cap left 150000.00
            "fund_payamt": 1464000,
            "setl_proc_info": "基本医保统筹：建档立卡贫困人员、二级医院，基数18500.00，"
            "起付标准200.00，报销比例80%，(18500.00−200.00)×80%=14640.00，本年剩余限额150000.00，"
            "支付14640.00，剩余3860.00",
        },
        {
            "fund_pay_type": "390200",
            "fund_pay_type_name": "城乡居民大病保险基金",
            "inscp_scp_amt": 386000,
            "crt_payb_lmt_amt": 386000,  # no cap for registered_poor
            "fund_payamt": 0,
            "setl_proc_info": "大病保险：本年累计基数3860.00未达起付标准5000.00，支付0.00",
        },
        {
            "fund_pay_type": "390300",
            "fund_pay_type_name": "补充医疗保险基金",
            "inscp_scp_amt": 386000,
            "crt_payb_lmt_amt": 386000,
            "fund_payamt": 193000,
            "setl_proc_info": "补充医疗保险：基数3860.00，支付比例50%，3860.00×50%=1930.00，"
            "本年剩余限额30000.00，支付1930.00，剩余1930.00",
        },
        {
            "fund_pay_type": "640100",
            "fund_pay_type_name": "政策范围内住院费用倾斜支付资金",
            "inscp_scp_amt": 193000,
            "crt_payb_lmt_amt": 193000,
            "fund_payamt": 8000,
            "setl_proc_info": "倾斜支付：基数1930.00，目标1850.00（政策范围内费用18500.00×10%），"
            "1930.00−1850.00=80.00，支付80.00，剩余1850.00",
        },
        {
            "fund_pay_type": "610100",
            "fund_pay_type_name": "城乡医疗救助资金",
            "inscp_scp_amt": 185000,
            "crt_payb_lmt_amt": 185000,
            "fund_payamt": 129500,
            "setl_proc_info": "医疗救助：救助类别建档立卡贫困人员，基数1850.00，救助比例70%，"
            "1850.00×70%=1295.00，本年剩余限额30000.00，支付1295.00，剩余555.00",
        },
    ]


@pytest.mark.parametrize(
    ("name", "layer", "text"),
    [
        # general: critical threshold 10000.00 (2018); 4925.00 is below it
        ("rulebook-example-2", 1, "大病保险：本年累计基数4925.00未达起付标准10000.00，支付0.00"),
        (
            "rulebook-example-2",
            2,
            "补充医疗保险：参保人不属于享受人群（建档立卡贫困人员），支付0.00",
        ),
        (
            "rulebook-example-2",
            4,
            "医疗救助：参保人不属于救助类别（低保对象、建档立卡贫困人员、特困人员），支付0.00",
        ),
        ("rulebook-example-3", 3, "倾斜支付：非参保地县域内定点医疗机构就医，不享受，支付0.00"),
        # 2228.00 − 1114.00 left; target round(18500.00 × 0.10) = 1850.00 ≥ 1114.00
        (
            "rulebook-example-4",
            3,
            "倾斜支付：基数1114.00未超过目标1850.00（政策范围内费用18500.00×10%），支付0.00",
        ),
        # out of county: 0.80 − 0.10 = 0.70
        (
            "rulebook-example-3",
            0,
            "基本医保统筹：建档立卡贫困人员、二级医院，基数18500.00，起付标准200.00，"
            "报销比例70%（县域外未转诊，比例降低10%），(18500.00−200.00)×70%=12810.00，"
            "本年剩余限额150000.00，支付12810.00，剩余5690.00",
        ),
        # F(7720) − F(3860) = 0.60 × (7720 − 5000) − 0 = 1632.00
        (
            "rulebook-example-4",
            1,
            "大病保险：建档立卡贫困人员，基数3860.00，本年累计基数3860.00→7720.00，"
            "起付标准5000.00，分段比例5000.00至50000.00部分60%、50000.00至100000.00部分70%、"
            "100000.00以上部分80%，按累计基数增量计算1632.00，年度支付不设限额，支付1632.00，"
            "剩余2228.00",
        ),
    ],
)
def test_setl_proc_info(name: str, layer: int, text: str) -> None:
    out, policy = _case_out(name)
    assert setldetail(out, policy)[layer]["setl_proc_info"] == text


def test_a_cap_remainder_below_the_base_limits_crt_payb_lmt_amt() -> None:
    """Example 4 with supplementary's 30000.00 cap used down to 500.00: it could pay at most
    500.00 although its base is 2228.00 and 2228.00 × 0.50 = 1114.00."""
    case = CASES["rulebook-example-4"]
    policy = case.policy(POLICIES)
    before = dict(case.accumulators_before) | {"supplementary:paid_fen": 2950000}
    out = _out(case.claim, policy, before)
    row = setldetail(out, policy)[2]
    assert (row["inscp_scp_amt"], row["crt_payb_lmt_amt"], row["fund_payamt"]) == (
        222800,
        50000,
        50000,
    )
    assert row["setl_proc_info"] == (
        "补充医疗保险：基数2228.00，支付比例50%，2228.00×50%=1114.00，受本年剩余限额500.00限制，"
        "支付500.00，剩余1728.00"
    )


def _with_hospital_borne() -> tuple[SettlementOut, Policy]:
    """Example 1's bill plus a 300.00 grade-A line the hospital bears (不合规)."""
    case = CASES["rulebook-example-1"]
    extra = bill_line(
        4, {"code": "A-002", "grade": "A", "amount": "300.00", "hospital_borne": True}, "x"
    )
    claim = Claim(
        lines=(*case.claim.lines, extra),
        level=case.claim.level,
        in_county=case.claim.in_county,
        referral=case.claim.referral,
        categories=case.claim.categories,
    )
    policy = case.policy(POLICIES)
    return _out(claim, policy, {}), policy


def test_hospital_borne_row_999996() -> None:
    out, policy = _with_hospital_borne()
    info = _info(out, policy)
    # total 20000.00 + 300.00 = 20300.00; the layers see the same 18500.00 as example 1
    assert info["medfee_sumamt"] == 2030000
    assert info["fulamt_ownpay_amt"] == 130000  # full self-pay 1000.00 + hospital-borne 300.00
    assert info["hosp_part_amt"] == 30000
    assert info["fund_pay_sumamt"] == 1794500  # as example 1
    assert info["psn_part_amt"] == 205500  # 20300.00 − 17945.00 − 300.00
    rows = setldetail(out, policy)
    _check_identities(info, rows)
    assert len(rows) == 6
    assert rows[-1] == {
        "fund_pay_type": "999996",
        "fund_pay_type_name": "医院负担",
        "inscp_scp_amt": 1850000,
        "crt_payb_lmt_amt": 30000,
        "fund_payamt": 30000,
        "setl_proc_info": "医院负担：不合规费用由医院承担300.00",
    }


def test_negate_writes_the_2305_answer() -> None:
    out, policy = _with_hospital_borne()
    plain = _info(out, policy)
    negated = _info(out, policy, setl_id="S000000000000002", negate=True)
    # 2305's setlinfo: 27 fields, no personal-identity fields (nhsa-interface-detail.md §2305)
    assert list(negated) == [
        "mdtrt_id", "setl_id", "clr_optins", "setl_time", "medfee_sumamt", "fulamt_ownpay_amt",
        "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "act_pay_dedc", "hifp_pay",
        "pool_prop_selfpay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay",
        "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay",
        "hosp_part_amt", "balc", "acct_mulaid_pay", "medins_setl_id", "hifdm_pay",
    ]  # fmt: skip
    for name in negated:
        if name in MONEY:
            assert negated[name] == -plain[name], name
            assert type(negated[name]) is Fen
        elif name != "setl_id":
            assert negated[name] == plain[name], name
    assert negated["medfee_sumamt"] == -2030000
    assert negated["pool_prop_selfpay"] == Scaled(8000, 4)  # a ratio, not an amount
    rows, back = setldetail(out, policy), setldetail(out, policy, negate=True)
    assert len(back) == len(rows) == 6
    for row, neg in zip(rows, back, strict=True):
        assert neg["fund_pay_type"] == row["fund_pay_type"]
        for name in ("inscp_scp_amt", "crt_payb_lmt_amt", "fund_payamt"):
            assert neg[name] == -row[name]
        assert neg["setl_proc_info"] == "结算撤销（冲销原结算）：" + row["setl_proc_info"]
    assert sum(row["fund_payamt"] for row in back[:-1]) == negated["fund_pay_sumamt"] == -1794500
    assert negated["medfee_sumamt"] == (
        negated["fund_pay_sumamt"] + negated["psn_part_amt"] + negated["hosp_part_amt"]
    )


def test_a_settlement_under_another_policy_is_refused() -> None:
    out, policy = _case_out("rulebook-example-1")
    other = next(p for p in POLICIES if p.id != out.policy_version)
    with pytest.raises(ValueError, match="not 'panzhihua-2019'"):
        setldetail(out, other)
    edited = dataclasses.replace(policy, content_hash="0" * 64)
    with pytest.raises(ValueError, match="another content of policy 'panzhihua-2018'"):
        setldetail(out, edited)
    fewer = dataclasses.replace(policy, content_hash=out.policy_hash, layers=policy.layers[:4])
    with pytest.raises(ValueError, match="are not policy 'panzhihua-2018'"):
        setldetail(out, fewer)


def test_a_layer_without_an_nhsa_block_cannot_be_written() -> None:
    out, policy = _case_out("rulebook-example-1")
    tilted = policy.layers[3]
    bare = dataclasses.replace(tilted, meta=dataclasses.replace(tilted.meta, nhsa=None))
    layers = (*policy.layers[:3], bare, policy.layers[4])
    with pytest.raises(ValueError, match="layer 'tilted' has no nhsa block"):
        setlinfo(
            out,
            dataclasses.replace(policy, layers=layers),
            baseinfo=BASEINFO,
            msgid="m",
            clr_optins="510402",
            setl_time=SETL_TIME,
            mdtrt_cert_type="02",
            setl_id=None,
            mdtrt_id="M0001",
        )


LABELS = {
    "basic": "基本医保统筹",
    "critical_illness": "大病保险",
    "supplementary": "补充医疗保险",
    "tilted": "倾斜支付",
    "civil_assistance": "医疗救助",
}


# -- random claims ---------------------------------------------------------------------------------
@ENGINE
@given(scenarios())
def test_random_settlements_keep_the_identities_and_match_v1(
    scenario: tuple[Claim, Policy, dict[str, int]],
) -> None:
    claim, policy, before = scenario
    out = _out(claim, policy, before)
    info = _info(out, policy)
    rows = setldetail(out, policy)
    _check_identities(info, rows)
    totals = out.totals
    # setlinfo money = the /v1 SettlementOut's figures, field by field
    assert info["medfee_sumamt"] == totals.total
    assert info["fulamt_ownpay_amt"] == totals.full_self_pay + totals.hospital_borne
    assert info["overlmt_selfpay"] == totals.over_limit
    assert info["preselfpay_amt"] == totals.pre_self_pay
    assert info["inscp_scp_amt"] == totals.in_policy
    assert info["fund_pay_sumamt"] == out.fund_paid
    assert info["hosp_part_amt"] == totals.hospital_borne
    assert info["psn_part_amt"] == info["psn_cash_pay"] == out.self_pay
    assert info["acct_pay"] == info["balc"] == info["acct_mulaid_pay"] == 0
    basic = out.layers[0]
    assert basic.layer == "basic"
    assert info["act_pay_dedc"] == parse_scaled(str(basic.params["deductible"]), 2)
    assert info["pool_prop_selfpay"].places == 4
    mapped = {}
    for layer, line in zip(policy.layers, out.layers, strict=True):
        assert layer.meta.nhsa is not None
        mapped[layer.meta.nhsa.setlinfo_field] = line.paid
    for name in SETLINFO_FUND_FIELDS:
        assert info[name] == mapped.get(name, 0), name
    layer_rows = rows[: len(out.layers)]
    for line, row in zip(out.layers, layer_rows, strict=True):
        assert (row["inscp_scp_amt"], row["fund_payamt"]) == (line.base, line.paid)
        assert line.paid <= row["crt_payb_lmt_amt"] <= line.base
        assert row["setl_proc_info"].startswith(LABELS[line.layer] + "：")
        assert f"支付{line.paid // 100}.{line.paid % 100:02d}" in row["setl_proc_info"]
        reason_code_of(line.reason)  # every reason the engine writes has its code
    assert (len(rows) == len(out.layers) + 1) == (totals.hospital_borne != 0)
    back = setldetail(out, policy, negate=True)
    assert [row["fund_payamt"] for row in back] == [-row["fund_payamt"] for row in rows]


def test_reason_codes_are_one_to_one_with_the_english_reasons() -> None:
    """The engine records a stable code beside the unchanged English ``reason``; a stored row
    keeps only the text, which gives its code back exactly."""
    assert len(set(REASONS.values())) == len(REASONS)
    for name in sorted(EXPECTED):
        case = CASES[name]
        _, _, result = settle_case(case, POLICIES)
        for line in result.layers:
            assert (line.reason is None) == (line.reason_code is None) == (line.paid_fen > 0)
            assert reason_code_of(line.reason) == line.reason_code
    with pytest.raises(KeyError):
        reason_code_of("some text the engine never writes")
