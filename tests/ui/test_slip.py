"""The printable settlement slip (结算单): its figures are the settlement's (docs/rules.md §7's
worked examples, settled through /v1 here), a hospital sees only its own, a reversed slip says
已撤销, and the PDF is one page carrying the same self-pay figure."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pypdf
import pytest
from api.conftest import bill_no, make_bill, new_person, settle
from httpx import AsyncClient, Response

from app.i18n import reason_zh

from .conftest import ADMIN, AGENCY, HOSPITAL, headers, hospital_key, new_hospital_key, sign_in
from .test_pages import _assert_same_origin

pytestmark = pytest.mark.usefixtures("demo")

POOR = ["registered_poor"]
LAYERS = ["basic", "critical_illness", "supplementary", "tilted", "civil_assistance"]

# docs/rules.md §7, written out: (base, paid, left) per layer, then the totals.
RULEBOOK: dict[int, dict[str, Any]] = {
    1: {
        "layers": [
            ("18500.00", "14640.00", "3860.00"),
            ("3860.00", "0.00", "3860.00"),
            ("3860.00", "1930.00", "1930.00"),
            ("1930.00", "80.00", "1850.00"),
            ("1850.00", "1295.00", "555.00"),
        ],
        "fund_paid": "17945.00",
        "self_pay": "2055.00",
        "in_policy_self_pay": "555.00",
        "ratio": "0.0300",
    },
    2: {
        "layers": [
            ("18500.00", "13575.00", "4925.00"),
            ("4925.00", "0.00", "4925.00"),
            ("4925.00", "0.00", "4925.00"),
            ("4925.00", "0.00", "4925.00"),
            ("4925.00", "0.00", "4925.00"),
        ],
        "fund_paid": "13575.00",
        "self_pay": "6425.00",
        "in_policy_self_pay": "4925.00",
        "ratio": "0.2662",
    },
    3: {
        "layers": [
            ("18500.00", "12810.00", "5690.00"),
            ("5690.00", "414.00", "5276.00"),
            ("5276.00", "2638.00", "2638.00"),
            ("2638.00", "0.00", "2638.00"),
            ("2638.00", "1846.60", "791.40"),
        ],
        "fund_paid": "17708.60",
        "self_pay": "2291.40",
        "in_policy_self_pay": "791.40",
        "ratio": "0.0428",
    },
    4: {
        "layers": [
            ("18500.00", "14640.00", "3860.00"),
            ("3860.00", "1632.00", "2228.00"),
            ("2228.00", "1114.00", "1114.00"),
            ("1114.00", "0.00", "1114.00"),
            ("1114.00", "779.80", "334.20"),
        ],
        "fund_paid": "18165.80",
        "self_pay": "1834.20",
        "in_policy_self_pay": "334.20",
        "ratio": "0.0181",
    },
}
CLASSES = {
    "total": "20000.00",
    "full_self_pay": "1000.00",
    "over_limit": "0.00",
    "pre_self_pay": "500.00",
    "in_policy": "18500.00",
}


class _Fields(HTMLParser):
    """``data-field`` → the element's text (or its ``data-value`` when it has one)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._open: list[tuple[str | None, str | None, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._open.append((found.get("data-field"), found.get("data-value"), []))

    def handle_endtag(self, tag: str) -> None:
        field, value, text = self._open.pop()
        joined = "".join(text)
        if self._open:
            self._open[-1][2].append(joined)
        if field is not None:
            self.fields[field] = value if value is not None else " ".join(joined.split())

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)


def fields_of(page: Response) -> dict[str, str]:
    assert page.status_code == 200, page.text
    parser = _Fields()
    parser.feed(page.text.replace("<br>", ""))
    return parser.fields


def slip_url(out: dict[str, Any], pdf: bool = False) -> str:
    return f"/ui/settlements/{out['settlement_id']}/slip{'.pdf' if pdf else ''}"


async def _settled(client: AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await settle(client, body)
    assert response.status_code == 201, response.text
    return response.json()


def assert_slip_is(fields: dict[str, str], out: dict[str, Any], example: int) -> None:
    """The slip shows the settlement's answer and the rules' figures."""
    expected = RULEBOOK[example]
    for name, amount in CLASSES.items():
        assert fields[f"totals.{name}"] == out["totals"][name] == amount, name
    assert "totals.hospital_borne" not in fields  # 0.00: not shown
    assert [layer["layer"] for layer in out["layers"]] == LAYERS
    for index, (layer, figures) in enumerate(zip(out["layers"], expected["layers"], strict=True)):
        shown = tuple(fields[f"layers.{index}.{key}"] for key in ("base", "paid", "left"))
        assert shown == (layer["base"], layer["paid"], layer["left"]) == figures, layer["layer"]
        assert fields[f"layers.{index}.reason"] == (reason_zh(layer["reason"]) or "")
    for key in ("fund_paid", "self_pay", "in_policy_self_pay"):
        assert fields[key] == out[key] == expected[key], key
    assert (
        fields["in_policy_self_pay_ratio"] == out["in_policy_self_pay_ratio"] == expected["ratio"]
    )
    assert fields["target_ratio"] == "0.10"  # the demo policy's tilted target
    assert fields["settlement_id"] == out["settlement_id"]
    assert fields["setl_id"] == out["setl_id"]
    assert fields["policy_version"] == out["policy_version"] == "panzhihua-2018"
    assert fields["patient.id_number"] == out["patient"]["id_number"]
    assert fields["patient.id_number"].startswith("5104**********")
    assert fields["admission_date"] == out["admission_date"] == "2018-06-01"
    assert fields["discharge_date"] == out["discharge_date"] == "2018-06-12"
    assert fields["stay_days"] == "11"
    assert fields["hospital_code"] == out["hospital_code"]


async def test_example_1_slip(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    out = await _settled(client, make_bill(bill_no(), person))
    page = await client.get(slip_url(out), headers=headers(hospital_key(HOSPITAL)))
    fields = fields_of(page)
    assert_slip_is(fields, out, 1)
    assert fields["patient.categories"] == "建档立卡贫困人员"
    assert fields["patient_name"] == "测试"  # the registry's name (api.conftest.person_body)
    assert fields["hospital_name"]
    assert "已撤销" not in page.text
    assert "个人自付" in page.text
    assert "3.00%" in page.text and "10%" in page.text  # "0.0300" and "0.10", the point shifted
    _assert_same_origin(page)
    assert "http://" not in page.text and "https://" not in page.text


async def test_example_2_slip_no_category(client: AsyncClient) -> None:
    person = await new_person(client, [])
    out = await _settled(client, make_bill(bill_no(), person))
    fields = fields_of(await client.get(slip_url(out), headers=headers(AGENCY)))
    assert_slip_is(fields, out, 2)
    assert fields["patient.categories"] == "无"
    # not eligible: the layers' reasons are Chinese
    assert fields["layers.2.reason"] == reason_zh("not_eligible")
    assert fields["layers.2.reason"] != out["layers"][2]["reason"]


async def test_example_3_slip_out_of_county(client: AsyncClient) -> None:
    person = await new_person(client, POOR, county="510402")
    out = await _settled(client, make_bill(bill_no(), person, hospital="H510421001"))
    fields = fields_of(await client.get(slip_url(out), headers=headers(ADMIN)))
    assert_slip_is(fields, out, 3)
    assert fields["layers.3.reason"] == reason_zh("out_of_county")


async def test_example_4_slip_second_admission(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    await _settled(client, make_bill(bill_no(), person))
    out = await _settled(client, make_bill(bill_no(), person))
    fields = fields_of(await client.get(slip_url(out), headers=headers(hospital_key(HOSPITAL))))
    assert_slip_is(fields, out, 4)


async def test_a5_adds_its_class(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    out = await _settled(client, make_bill(bill_no(), person))
    a4 = await client.get(slip_url(out), headers=headers(AGENCY))
    a5 = await client.get(slip_url(out), params={"size": "a5"}, headers=headers(AGENCY))
    assert 'class="slip slip-a4"' in a4.text
    assert 'class="slip slip-a5"' in a5.text
    css = await client.get("/ui/static/ui.css")
    assert "@page slip-a4" in css.text and "size: A4" in css.text
    assert "@page slip-a5" in css.text and "size: A5" in css.text
    script = await client.get("/ui/static/slip.js")
    assert script.status_code == 200 and "window.print()" in script.text


async def test_another_hospitals_slip_is_the_unknown_ids_404(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    out = await _settled(client, make_bill(bill_no(), person))
    _, other_key, _ = await new_hospital_key(client, "别的医院")
    other = await client.get(slip_url(out), headers=headers(other_key))
    unknown = await client.get(
        "/ui/settlements/00000000-0000-4000-8000-000000000000/slip", headers=headers(other_key)
    )
    garbage = await client.get("/ui/settlements/not-a-uuid/slip", headers=headers(other_key))
    pdf = await client.get(slip_url(out, pdf=True), headers=headers(other_key))
    for page in (other, unknown, garbage, pdf):
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "未找到该结算" in page.text
        assert out["settlement_id"] not in page.text.replace(slip_url(out), "")
        assert "14640.00" not in page.text
    # with a session too (the browser's way), not only the bearer header
    await sign_in(client, other_key)
    assert (await client.get(slip_url(out))).status_code == 404


async def test_reversed_slip_says_so(client: AsyncClient) -> None:
    person = await new_person(client, [])
    out = await _settled(client, make_bill(bill_no(), person))
    reversed_ = await client.post(
        f"/v1/settlements/{out['settlement_id']}/reversal",
        headers=headers(hospital_key(HOSPITAL)),
        json={"reason": "费用录入错误"},
    )
    assert reversed_.status_code == 200, reversed_.text
    page = await client.get(slip_url(out), headers=headers(hospital_key(HOSPITAL)))
    fields = fields_of(page)
    assert fields["status"].startswith("已撤销")
    assert fields["reversal_reason"] == "费用录入错误"
    assert fields["reversed_at"][:4] == reversed_.json()["reversed_at"][:4]
    assert 'data-status="reversed"' in page.text
    assert_slip_is(fields, reversed_.json(), 2)  # the figures stay what was settled
    pdf = await client.get(slip_url(out, pdf=True), headers=headers(hospital_key(HOSPITAL)))
    assert "已撤销" in _pdf_text(pdf.content)


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("size", ["a4", "a5"])
async def test_pdf_is_one_page_with_the_figures(client: AsyncClient, size: str) -> None:
    person = await new_person(client, POOR)
    out = await _settled(client, make_bill(bill_no(), person))
    pdf = await client.get(
        slip_url(out, pdf=True), params={"size": size}, headers=headers(hospital_key(HOSPITAL))
    )
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    disposition = pdf.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and out["setl_id"] in disposition
    assert pdf.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    width = float(reader.pages[0].mediabox.width)
    assert round(width / 72 * 25.4) == (210 if size == "a4" else 148)
    text = _pdf_text(pdf.content)
    assert "个人自付" in text and out["self_pay"] == "2055.00" and "2055.00" in text
    for figure in ("17945.00", "14640.00", "1295.00", out["setl_id"], "建档立卡贫困人员"):
        assert figure in text, figure
    assert b"FontFile" not in pdf.content  # the CID font is the reader's: no font embedded
