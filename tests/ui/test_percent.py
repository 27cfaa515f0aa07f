"""The one way pages write a ratio (app.ui.templating.percent): the decimal point shifted two
places, never rounded and never through a float."""

from __future__ import annotations

import pytest

from app.ui.templating import percent


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        ("0.0300", "3.00%"),  # 0.0300 × 100 = 3.00, the written decimals kept
        ("0.10", "10%"),  # 0.10 × 100 = 10
        ("0.1234", "12.34%"),
        ("1.0000", "100.00%"),
        ("0", "0%"),
        (None, "—"),
    ],
)
def test_a_ratio_in_per_cent(ratio: str | None, shown: str) -> None:
    assert percent(ratio) == shown
