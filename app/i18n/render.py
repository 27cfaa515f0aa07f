"""Chinese for what a person reads: a problem's ``title``/``detail``/``errors[].msg`` and a
layer's ``reason``, from :mod:`app.i18n.catalog` and the structured data the error carries."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from app.engine.layers.base import REASONS as REASON_TEXTS

from .catalog import FIELD_NAMES, HTTP_TITLES, ITEMS, PROBLEMS, REASONS, VALIDATION, VALUES
from .values import Invalid

__all__ = ["item_zh", "msg_zh", "reason_zh", "zh_problem"]

logger = logging.getLogger(__name__)

_CODES_BY_TEXT = {text: code for code, text in REASON_TEXTS.items()}


def zh_problem(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    params: Mapping[str, Any] | None = None,
    errors: Sequence[Mapping[str, Any]] = (),
    found: Sequence[Mapping[str, Any]] | None = None,
    keys: Sequence[tuple[str | None, Mapping[str, Any]]] | None = None,
) -> tuple[str, str, list[dict[str, Any]]]:
    """``(title, detail, errors)`` in Chinese for a problem with this ``code``.

    ``params`` fill the detail template; ``found`` are pydantic's errors behind ``errors`` (a
    request validation error), whose ``type`` and ``ctx`` give each ``msg``; ``keys`` are an
    ``AppError``'s ``error_keys``, a catalogue key (``ITEMS``) and parameters per item, which give
    the ``msg`` of each item that has one (an item without, its English). The ``loc`` of
    every error is kept. A code without an entry (a bug the catalogue test catches) keeps its
    English title and detail; a template whose parameter is missing keeps the English detail.
    """
    message = PROBLEMS.get(code)
    if message is None:
        return HTTP_TITLES.get(status, title), detail, [dict(e) for e in errors]
    try:
        zh_detail = message.detail.format_map(dict(params or {}))
    except (KeyError, IndexError, ValueError):
        logger.warning("message catalogue: %s lacks a parameter of its Chinese detail", code)
        zh_detail = detail
    if found is not None and len(found) == len(errors):
        zh_errors = [{**e, "msg": msg_zh(f)} for e, f in zip(errors, found, strict=True)]
    elif keys is not None and len(keys) == len(errors):
        zh_errors = [
            {**e, "msg": item_zh(key, item_params, str(e["msg"]))}
            for e, (key, item_params) in zip(errors, keys, strict=True)
        ]
    else:
        zh_errors = [dict(e) for e in errors]
    return message.title, zh_detail, zh_errors


def item_zh(key: str | None, params: Mapping[str, Any], english: str) -> str:
    """The Chinese ``msg`` of an ``AppError``'s item with this catalogue ``key`` and ``params``;
    its ``english`` one when it has no key (or a key the catalogue lacks, or a parameter)."""
    template = ITEMS.get(key) if key is not None else None
    if template is None:
        return english
    values = dict(params)
    if "what" in values:
        values["what"] = FIELD_NAMES.get(str(values["what"]), values["what"])
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError):
        logger.warning("message catalogue: item %s lacks a parameter of its Chinese", key)
        return english


def msg_zh(error: Mapping[str, Any]) -> str:
    """The Chinese ``msg`` of one pydantic error (its ``type``, ``ctx`` and English ``msg``)."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, Invalid) and cause.key in VALUES:
        template, values = VALUES[cause.key], dict(cause.params)
    elif kind in VALIDATION:
        template, values = VALIDATION[kind], ctx
    else:
        return f"取值无效（{error.get('msg', '')}）"
    if "what" in values:
        values["what"] = FIELD_NAMES.get(str(values["what"]), values["what"])
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError):
        return VALIDATION["value_error"]


def reason_zh(reason: str | None) -> str | None:
    """A layer's ``reason`` in Chinese: by its reason code (``app.engine.layers.base.REASONS``)
    or by the English text the engine wrote (a stored layer row keeps only the text). A text the
    engine never writes is returned as it is."""
    if reason is None:
        return None
    code = reason if reason in REASONS else _CODES_BY_TEXT.get(reason)
    return REASONS[code] if code is not None else reason
