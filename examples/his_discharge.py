"""What a hospital information system (HIS) does at discharge, with the generated client.

1. 预结算 preview the bill: what the funds would pay and the patient owes (nothing is stored);
2. 结算 settle it;
3. print the slip (结算单): totals, each layer's fund and amount, what the patient pays;
4. if the answer to step 2 is lost (timeout, dropped connection, crash), look the bill up by
   hospital code and bill number: it either landed (use it) or did not (send the same body again;
   (hospital_code, bill_no) makes that safe).

Run against ``make run`` (demo data and keys; the port is ``$PORT``, as for the server)::

    python examples/his_discharge.py --bill-no ZY$(date +%s)
    python examples/his_discharge.py --bill-no ZY$(date +%s) --simulate-lost-answer

The client is generated into ``clients/python`` (``make client``); install it with
``pip install ./clients/python`` or run this from a checkout, which finds it there.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
try:
    import onestop_client
except ImportError:  # a checkout: use the generated client next door
    sys.path.insert(0, str(HERE.parent / "clients" / "python"))
    import onestop_client

from onestop_client.api.settlement import (  # noqa: E402 - after finding the client
    create_settlement,
    find_settlement,
    preview_settlement,
)
from onestop_client.models import Problem, SettlementIn, SettlementOut  # noqa: E402

__all__ = ["main"]

ATTEMPTS = 3


class Refused(Exception):
    """The service answered with a problem (problem+json)."""

    def __init__(self, problem: Problem | None, status: int) -> None:
        self.problem, self.status = problem, status
        if problem is None:
            super().__init__(f"HTTP {status}")
        else:
            where = "; ".join(f"{'.'.join(map(str, e.loc))}: {e.msg}" for e in problem.errors or [])
            super().__init__(f"{status} {problem.code}: {problem.detail} {where}".strip())


class LoseFirstSettlementAnswer(httpx.BaseTransport):
    """For the demonstration: delivers the first settlement request, then drops the answer."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self._dropped = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if not self._dropped and request.method == "POST" and request.url.path == "/v1/settlements":
            self._dropped = True
            response.close()
            raise httpx.ReadTimeout("answer lost (simulated)", request=request)
        return response

    def close(self) -> None:
        self._inner.close()


def preview(client: onestop_client.AuthenticatedClient, bill: SettlementIn) -> SettlementOut:
    response = preview_settlement.sync_detailed(client=client, body=bill)
    if isinstance(response.parsed, SettlementOut):
        return response.parsed
    raise Refused(response.parsed, response.status_code)


def settle(client: onestop_client.AuthenticatedClient, bill: SettlementIn) -> SettlementOut:
    """Settle, surviving a lost answer: look the bill up, and settle again only if it is absent."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = create_settlement.sync_detailed(client=client, body=bill)
        except httpx.TransportError as exc:
            print(f"结算 attempt {attempt}: no answer ({exc}); looking the bill up")
            found = find_settlement.sync_detailed(
                client=client, hospital_code=bill.hospital_code, bill_no=bill.bill_no
            )
            if isinstance(found.parsed, SettlementOut):
                print(f"recovered: bill {bill.bill_no} is settled as {found.parsed.settlement_id}")
                return found.parsed
            if found.status_code != 404:
                raise Refused(found.parsed, found.status_code) from exc
            print(f"bill {bill.bill_no} did not land; settling again")
            continue
        if isinstance(response.parsed, SettlementOut):
            replay = " (already settled with this body: the same settlement)" * (
                response.status_code == 200
            )
            print(f"结算 settled: {response.parsed.settlement_id}{replay}")
            return response.parsed
        raise Refused(response.parsed, response.status_code)
    raise RuntimeError(f"no answer after {ATTEMPTS} attempts; look bill {bill.bill_no} up later")


def slip(settlement: SettlementOut) -> str:
    """The settlement slip (结算单) the cashier prints."""
    t = settlement.totals
    rows = [
        f"结算单 settlement slip   {settlement.hospital_code} / {settlement.bill_no}",
        f"settlement_id   {settlement.settlement_id}",
        f"patient         {settlement.patient.id_number}  categories: "
        f"{', '.join(settlement.patient.categories) or '-'}",
        f"policy          {settlement.policy_version}",
        "",
        *(
            f"{name:<18}{amount:>12}  {label}"
            for name, label, amount in (
                ("total", "医疗总费用", t.total),
                ("hospital_borne", "医院承担", t.hospital_borne),
                ("full_self_pay", "全自费", t.full_self_pay),
                ("over_limit", "超限价自付", t.over_limit),
                ("pre_self_pay", "乙类先行自付", t.pre_self_pay),
                ("in_policy", "政策范围内", t.in_policy),
            )
        ),
        "",
        *(
            f"{layer.layer:<18}{layer.paid:>12}  {layer.fund_code} {layer.fund_name}"
            for layer in settlement.layers
        ),
        "",
        f"{'fund_paid':<18}{settlement.fund_paid:>12}  基金支付合计",
        f"{'self_pay':<18}{settlement.self_pay:>12}  个人自付现金",
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base-url",
        default=f"http://127.0.0.1:{os.environ.get('PORT') or 8000}",
        help="the service (default: http://127.0.0.1:$PORT, as `make run` serves; PORT=8000)",
    )
    parser.add_argument("--key", help="the hospital's API key (default: demo-<hospital code>)")
    parser.add_argument("--bill", type=Path, default=HERE / "demo-bill.json")
    parser.add_argument("--bill-no", help="override the bill number in the file")
    parser.add_argument(
        "--simulate-lost-answer",
        action="store_true",
        help="drop the answer to the settlement request to show the recovery",
    )
    args = parser.parse_args(argv)

    data: dict[str, Any] = json.loads(args.bill.read_text(encoding="utf-8"))
    if args.bill_no:
        data["bill_no"] = args.bill_no
    bill = SettlementIn.from_dict(data)
    httpx_args: dict[str, Any] = {}
    if args.simulate_lost_answer:
        httpx_args["transport"] = LoseFirstSettlementAnswer()
    client = onestop_client.AuthenticatedClient(
        base_url=args.base_url,
        token=args.key or f"demo-{bill.hospital_code}",
        timeout=httpx.Timeout(30.0),
        httpx_args=httpx_args,
    )
    with client:
        try:
            estimate = preview(client, bill)
            print(
                f"预结算 preview: funds pay {estimate.fund_paid}, patient pays {estimate.self_pay}"
            )
            settlement = settle(client, bill)
        except Refused as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 1
    print()
    print(slip(settlement))
    return 0


if __name__ == "__main__":
    sys.exit(main())
