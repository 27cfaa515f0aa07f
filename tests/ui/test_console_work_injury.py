"""工伤先行支付 in the console (``/ui/console/work-injury``): the ledger and the case page show
what the service answers (figures worked out by hand in tests/api/test_work_injury.py), in
Chinese; agency, admin and work_injury may look, a hospital may not; a work_injury key signs in
through the form and lands on a page that links here; bad filters are Chinese messages."""

from __future__ import annotations

import html

import pytest
from api.test_work_injury import WI, paid_application, post
from httpx import AsyncClient

from .conftest import ADMIN, AGENCY, HOSPITAL, headers, hospital_key, sign_in
from .test_pages import _assert_same_origin

pytestmark = pytest.mark.usefixtures("demo")


async def test_ledger_and_case_pages(own_client: AsyncClient) -> None:
    client = own_client
    case_no, application = await paid_application(client)
    order = {"debtor": "employer", "debtor_name": "某劳务公司", "ordered_on": "2018-09-21"}
    recovery = (await post(client, f"/applications/{application['id']}/recovery", order)).json()
    repay = {"repayment_no": "P1", "paid_on": "2018-10-08", "amount": "10000.00"}
    await post(client, f"/recoveries/{recovery['recovery']['id']}/repayments", repay)

    page = await client.get("/ui/console/work-injury?as_of=2018-10-09", headers=headers(AGENCY))
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    text = html.unescape(page.text)
    assert "截至 2018-10-09 的先行支付台账" in text
    # 510421: advanced 35,450.00, recovered 10,000.00, outstanding and overdue 25,450.00.
    row = text[text.index('data-county="510421"') :]
    row = row[: row.index("</tr>")]
    for figure in ("35450.00", "10000.00", "25450.00", "0.00%"):
        assert figure in row, (figure, row)
    assert f'href="/ui/console/work-injury/cases/{case_no}"' in text

    case = await client.get(f"/ui/console/work-injury/cases/{case_no}", headers=headers(WI))
    assert case.status_code == 200, case.text
    _assert_same_origin(case)
    text = html.unescape(case.text)
    assert "用人单位未参保且不支付（第六条）" in text and "已先行支付" in text
    # The decision's items and total; the employer's deadline; the recovery's due day.
    for words in (
        "治疗工伤的医疗费用和康复费用",
        "8000.00",
        "35450.00",
        "用人单位支付期限 2018-05-07",
        "期限 2018-10-08",
        "P1",
    ):
        assert words in text, words

    missing = await client.get("/ui/console/work-injury/cases/NO-SUCH", headers=headers(ADMIN))
    assert missing.status_code == 404 and "没有此工伤案件" in missing.text
    bad = await client.get(
        "/ui/console/work-injury?county=51&as_of=2018-13-01", headers=headers(ADMIN)
    )
    assert bad.status_code == 422
    assert "县（区）代码应为 6 位数字" in bad.text and "日期应写作 yyyy-MM-dd" in bad.text


async def test_roles_and_sign_in(client: AsyncClient) -> None:
    refused = await client.get("/ui/console/work-injury", headers=headers(hospital_key(HOSPITAL)))
    assert refused.status_code == 403 and "无权访问" in refused.text
    signed = await sign_in(client, WI)
    assert signed.status_code == 303
    home = await client.get("/ui/")
    assert home.status_code == 200
    assert "工伤保险经办机构" in home.text
    assert 'href="/ui/console/work-injury"' in home.text
    page = await client.get("/ui/console/work-injury")
    assert page.status_code == 200 and "先行支付台账" in page.text
    # The settlement console stays agency/admin.
    assert (await client.get("/ui/console/")).status_code == 403
