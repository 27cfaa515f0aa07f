"""Accept-Language negotiation (app.i18n.language.prefers_zh)."""

from __future__ import annotations

import pytest

from app.i18n import prefers_zh


@pytest.mark.parametrize(
    ("header", "zh"),
    [
        ("zh", True),
        ("zh-CN", True),
        ("ZH-cn", True),
        ("zh-Hans-CN", True),
        ("zh-CN,zh;q=0.9,en;q=0.8", True),  # a Chinese browser
        ("en-US,en;q=0.9,zh-CN;q=0.8", False),  # an English one that also reads Chinese
        ("zh;q=0.9,en;q=1.0", False),
        ("en;q=0.5, zh;q=0.6", True),
        ("zh, en", True),  # same weight: the first wins
        ("en, zh", False),
        ("fr, zh;q=0.5", True),  # no English at all
        ("fr", False),
        ("*", False),
        ("*, zh;q=0.1", False),  # * weighs English 1
        ("en;q=0, *", True),  # anything but English
        ("zh;q=0", False),
        ("zh;q=0.000", False),
        ("zh;q=1.0001", False),  # a malformed weight drops the range
        ("zh;q=abc", False),
        ("zh;q=", False),
        (" zh ; q=0.8 ", True),
        ("", False),
        (None, False),
        ("garbage!!", False),
        (";;;,,,", False),
        ("zh_CN", False),  # not a language range
        ("x" * 100, False),
    ],
)
def test_prefers_zh(header: str | None, zh: bool) -> None:
    assert prefers_zh(header) is zh
