"""How large an amount the service accepts: a line, a bill, a person-year (issue 11, item 2).

The national interface's amount fields are ``N16,2`` (14 integer digits), and BIGINT holds
±9.2 × 10^18 fen: a field that wide admits bills whose sums overflow. These bounds are far above
anything a hospital bills and far below what any sum can overflow:

- **a line** (``amount``, and a ``unit_price``): at most 9,999,999.99 yuan. The dearest single
  items on Chinese inpatient bills are one-off cell and gene therapies at about 1.2-1.3 million
  yuan a dose (the CAR-T products listed in 2021-2022); the bound leaves almost tenfold room.
- **a bill**: at most 99,999,999.99 yuan. Reported extreme inpatient stays (months of intensive
  care with ECMO) run to a few million yuan; tenfold the dearest line, twentyfold those stays.
- **a person-year**: the bills of one person that stand in one accumulator year add up to at
  most 999,999,999.99 yuan (tenfold the largest bill).
- **a quantity**: at most 9,999,999.999 units (a line's quantity × its price must still give an
  amount within the line bound).

These are ``/v1``'s, at its input precision (unit prices with at most 4 decimals, quantities with
at most 3). The national interface sends ``pric`` with up to 6 decimals and ``cnt`` with up to 4
(``N16,6`` and ``N16,4``); its bounds are the same values at that precision:

- **a unit price** (``pric``): at most 9,999,999.999999 yuan = :data:`UNIT_PRICE_MAX_E6`
  (≥ 100 × :data:`UNIT_PRICE_MAX_E4`, so every ``/v1`` price, ×100, is within it);
- **a quantity** (``cnt``): at most 9,999,999.9999 units = :data:`QUANTITY_MAX_E4`
  (≥ 10 × :data:`QUANTITY_MAX_E3`);
- **a line's amount** and **a bill**: the same :data:`LINE_MAX_FEN` and :data:`BILL_MAX_FEN`.

The engine works at the national precision (``app.engine.BillLine``: 1e-6 yuan × 1e-4 unit =
1e-10 yuan, a fen is 10^8 of those). Its largest product, price × quantity, is below
10^13 × 10^11 = 10^24 (in 1e-10 yuan), and an over-limit difference is smaller still: Python
integers, never stored; the rounded result, at most a line's amount, is what is stored.

What follows (the arithmetic the service relies on; tests/api/test_bounds.py and the hypothesis
test in tests/test_bounds_property.py check it):

- every stored amount of a settlement (totals, layer base/paid/left, fund paid, self-pay) is at
  most :data:`BILL_MAX_FEN` = 9,999,999,999 fen < 2^34, and every accumulator at most
  :data:`PERSON_YEAR_MAX_FEN` = 99,999,999,999 fen < 2^37: a BIGINT column cannot overflow;
- the engine multiplies an amount by a ratio in basis points (≤ 10,000): at most
  9,999,999,999 × 10,000 ≈ 10^14, Python integers anyway;
- reports add up any number of settlements: they sum in ``numeric`` and return Python integers
  (``app.reconciliation.sums``), never cast to BIGINT, so a range of any size answers; at
  2^63 / 2^34 ≈ 5 × 10^8 largest bills per range the figures would still fit in BIGINT.

The bounds are safety limits of this service, not policy: no policy document sets them, and
they are the same for every region and year. A value above one is refused with 422
``amount_out_of_range`` naming the field; nothing is stored.
"""

from __future__ import annotations

__all__ = [
    "BILL_MAX_FEN",
    "LINE_MAX_FEN",
    "PERSON_YEAR_MAX_FEN",
    "PERSON_YEAR_TOTAL_KEY",
    "QUANTITY_MAX_E3",
    "QUANTITY_MAX_E4",
    "UNIT_PRICE_MAX_E4",
    "UNIT_PRICE_MAX_E6",
]

LINE_MAX_FEN = 9_999_999_99  # 9,999,999.99 yuan
UNIT_PRICE_MAX_E4 = 9_999_999_9999  # 9,999,999.9999 yuan
QUANTITY_MAX_E3 = 9_999_999_999  # 9,999,999.999 units
UNIT_PRICE_MAX_E6 = 9_999_999_999999  # 9,999,999.999999 yuan (national interface, pric)
QUANTITY_MAX_E4 = 9_999_999_9999  # 9,999,999.9999 units (national interface, cnt)
BILL_MAX_FEN = 99_999_999_99  # 99,999,999.99 yuan
PERSON_YEAR_MAX_FEN = 999_999_999_99  # 999,999,999.99 yuan

PERSON_YEAR_TOTAL_KEY = "bills:total_fen"
"""The accumulator that holds a person-year's standing bill totals, for :data:`PERSON_YEAR_MAX_FEN`.
Each settlement stores it among its accumulator deltas, so a reversal takes it back like any
other. Settlements stored before it existed do not count toward it."""

# -- National-interface files (9101 文件上传, 3202 对明细账) -------------------------------------
# A 3202 detail file is a zip of one TAB-separated txt, about 80-100 bytes a settlement row; a
# large hospital settles a few thousand inpatients a month, so a month's file is well under
# 1 MB unzipped and a few hundred KB zipped. The request body is at most
# ``Settings.max_body_bytes`` (4 MiB), which as base64 holds 3 MiB and as a JSON array of signed
# bytes (up to 5 characters a byte) under 1 MiB; these bounds are what is stored and unpacked.
NHSA_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
"""The largest file 9101 stores (the zip as uploaded): ten times a month of a large hospital."""
NHSA_DETAIL_TXT_MAX_BYTES = 32 * 1024 * 1024
"""The largest txt 3202 unpacks from an upload (about 300,000 rows): a zip that inflates past it
is refused before it is read (a zip bomb cannot exhaust memory)."""
