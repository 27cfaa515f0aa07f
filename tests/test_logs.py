"""The JSON log line (app.logs.JsonFormatter behind the MaskIdNumbers filter), record by record."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from app.context import request_id_var
from app.logs import JsonFormatter, MaskIdNumbers

ID_NUMBER = "510402195001010014"
MASKED = "5104********0014"  # the first 4 and the last 4 digits, 10 stars between


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(MaskIdNumbers())
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def entries(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_fields_of_a_line_outside_a_request(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log
    assert request_id_var.get() is None
    logger.info("settled %s", "bill-1", extra={"status": 201, "when": dt.date(2018, 3, 1)})
    (entry,) = entries(stream)
    assert set(entry) == {"ts", "level", "logger", "msg", "status", "when"}  # no request_id
    assert (entry["level"], entry["logger"], entry["msg"]) == (
        "INFO",
        "tests.logs",
        "settled bill-1",
    )
    # UTC with milliseconds, e.g. 2026-12-01T22:58:43.212+00:00
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["ts"])
    assert entry["status"] == 201  # a number stays a number
    assert entry["when"] == "2018-03-01"  # a date as ISO text


def test_request_id_and_id_numbers_in_every_part_of_the_line(
    log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = log
    token = request_id_var.set("his-42")
    try:
        logger.warning("person %s", ID_NUMBER, extra={"person": ID_NUMBER})
        try:
            raise ValueError(f"bad person {ID_NUMBER}")
        except ValueError:
            logger.exception("failed")
    finally:
        request_id_var.reset(token)
    assert ID_NUMBER not in stream.getvalue()
    message, failure = entries(stream)
    assert message["request_id"] == failure["request_id"] == "his-42"
    assert message["msg"] == f"person {MASKED}"  # the filter
    assert message["person"] == MASKED  # a field: the formatter masks the whole line
    assert failure["level"] == "ERROR"
    assert failure["exc"].startswith("Traceback")
    assert f"ValueError: bad person {MASKED}" in failure["exc"]
