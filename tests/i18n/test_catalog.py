"""The message catalogue (app.i18n.catalog) against the code: every problem code the app can
answer has a Chinese title and detail, no entry is dead, and every ``{param}`` of a template is
supplied where the error is raised (read from the source, as the raise sites are written)."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine.layers.base import REASONS as ENGINE_REASONS
from app.errors import CODED_VALIDATION_ERRORS, INVALID_CHARACTER
from app.i18n.catalog import FIELD_NAMES, ITEMS, PROBLEMS, REASONS, VALIDATION, VALUES

APP = Path(__file__).resolve().parents[2] / "app"
CJK = re.compile(r"[\u4e00-\u9fff]")

# Starlette's own HTTP errors (app.errors._http_error names them after the status): routing
# answers 404 and 405, a body FastAPI cannot parse 400.
HTTP_CODES = {"bad_request", "not_found", "method_not_allowed"}
# Helpers that raise with the code as a positional argument: name -> index of the code.
HELPERS = {"_unprocessable": 0, "_conflict": 1, "_not_found": 2, "_invalid": 2}
# Helpers whose keyword arguments (**params) are the template's parameters.
KWARG_PARAMS = {"_unprocessable", "_invalid"}
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _trees() -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted(APP.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def raise_sites() -> list[tuple[str, str, set[str] | None]]:
    """``(code, where, supplied params)`` for every place in ``app/`` that names a problem code;
    ``None`` params: a class default, which no raise site fills."""
    sites: list[tuple[str, str, set[str] | None]] = []
    for path, tree in _trees():
        where = str(path.relative_to(APP.parent))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                code: str | None = None
                for kw in node.keywords:
                    if kw.arg == "code" and (code := _text(kw.value)):
                        break
                if name in HELPERS and len(node.args) > HELPERS[name]:
                    literal = _text(node.args[HELPERS[name]])
                    code = literal if literal and SNAKE.match(literal) else code
                if code is None:
                    continue
                supplied: set[str] = set()
                for kw in node.keywords:
                    if kw.arg == "params" and isinstance(kw.value, ast.Dict):
                        supplied |= {k for k in map(_text, kw.value.keys) if k}
                    elif name in KWARG_PARAMS and kw.arg not in (None, "code"):
                        supplied.add(kw.arg)
                sites.append((code, f"{where}:{node.lineno}", supplied))
            elif isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if not isinstance(statement, ast.Assign):
                        continue
                    for target in statement.targets:
                        if isinstance(target, ast.Name) and target.id == "code":
                            if literal := _text(statement.value):
                                sites.append((literal, f"{where}:{statement.lineno}", None))
                        elif isinstance(target, ast.Tuple) and isinstance(
                            statement.value, ast.Tuple
                        ):
                            names = [getattr(e, "id", None) for e in target.elts]
                            if "code" in names:
                                value = statement.value.elts[names.index("code")]
                                if literal := _text(value):
                                    sites.append((literal, f"{where}:{statement.lineno}", None))
    return sites


def answerable_codes() -> set[str]:
    return (
        {code for code, _, _ in raise_sites()}
        | HTTP_CODES
        | set(CODED_VALIDATION_ERRORS)
        | {INVALID_CHARACTER}
    )


def test_the_walk_finds_the_codes_it_should() -> None:
    # A guard on the walk itself: codes raised in each way it reads.
    codes = answerable_codes()
    assert {"unknown_catalog_code", "bill_conflict", "visit_not_found", "commit_failed"} <= codes
    assert {"policy_version_conflict", "last_admin_key", "overloaded", "not_ready"} <= codes
    assert {"payload_too_large", "ambiguous_credentials", "invariant_violation"} <= codes


def test_every_code_the_app_answers_has_chinese() -> None:
    missing = sorted(answerable_codes() - set(PROBLEMS))
    assert not missing, f"codes without a Chinese title and detail: {missing}"
    for code, message in PROBLEMS.items():
        assert CJK.search(message.title), code
        assert CJK.search(message.detail), code


def test_no_dead_entries() -> None:
    dead = sorted(set(PROBLEMS) - answerable_codes())
    assert not dead, f"catalogue entries no code raises: {dead}"


def test_every_template_parameter_is_supplied_where_the_error_is_raised() -> None:
    unfilled = []
    for code, where, supplied in raise_sites():
        needed = _fields(PROBLEMS[code].detail)
        if needed - (supplied or set()):
            unfilled.append(f"{where} {code}: lacks {sorted(needed - (supplied or set()))}")
    assert not unfilled, unfilled


def test_codes_raised_without_params_have_templates_without_parameters() -> None:
    # Codes that app.errors builds itself, with no raise site that could supply data.
    for code in HTTP_CODES | set(CODED_VALIDATION_ERRORS) | {"validation_error"}:
        assert not _fields(PROBLEMS[code].detail), code


def _invalid_calls() -> list[tuple[str, set[str], str]]:
    calls = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Invalid"
                and node.args
                and (key := _text(node.args[0]))
            ):
                params = {kw.arg for kw in node.keywords if kw.arg}
                calls.append((key, params, f"{path.name}:{node.lineno}"))
    return calls


def test_every_value_error_key_has_chinese_and_is_used() -> None:
    calls = _invalid_calls()
    assert {key for key, _, _ in calls} == set(VALUES)
    for key, params, where in calls:
        assert _fields(VALUES[key]) <= params, where
        assert CJK.search(VALUES[key]), key


def test_field_names_are_the_ones_the_value_errors_use() -> None:
    whats = set()
    for _, tree in _trees():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "_scaled"
                and len(node.args) > 1
                and (what := _text(node.args[1]))
            ):
                whats.add(what)
    assert whats == set(FIELD_NAMES)


def test_every_engine_reason_has_chinese() -> None:
    assert set(REASONS) == set(ENGINE_REASONS)
    assert all(CJK.search(text) for text in REASONS.values())


@pytest.mark.parametrize("kind", sorted(VALIDATION))
def test_validation_messages_are_chinese(kind: str) -> None:
    assert CJK.search(VALIDATION[kind]), kind


# -- the keys of AppError items (ITEMS) ----------------------------------------------------------
# Helpers that take an item's key positionally: name -> index of the key.
ITEM_HELPERS = {"invalid": 1}


def _literals(node: ast.AST) -> set[str]:
    """The string constants of a key's expression (``"a" if x else "b"`` gives both)."""
    return {text for n in ast.walk(node) if (text := _text(n)) is not None}


def _dict_keys(node: ast.AST | None) -> set[str]:
    return {k for k in map(_text, node.keys) if k} if isinstance(node, ast.Dict) else set()


def item_keys(tree: ast.AST, where: str) -> list[tuple[str, str, set[str]]]:
    """``(key, where, supplied params)`` for every item key a source tree gives: an ``errors``
    item literal ``{"loc": ..., "msg": ..., "key": ..., "params": {...}}``, a ``msg_key=`` (with
    ``msg_params={...}``) of the settlement's ``_unprocessable``, or a helper's positional key."""
    found: list[tuple[str, str, set[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            entries = {_text(k): v for k, v in zip(node.keys, node.values, strict=True) if k}
            if "msg" in entries and "key" in entries:
                params = _dict_keys(entries.get("params"))
                for key in _literals(entries["key"]):
                    found.append((key, f"{where}:{node.lineno}", params))
        elif isinstance(node, ast.Call):
            keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
            if "msg_key" in keywords:
                params = _dict_keys(keywords.get("msg_params"))
                for key in _literals(keywords["msg_key"]):
                    found.append((key, f"{where}:{node.lineno}", params))
            name = getattr(node.func, "id", None)
            index = ITEM_HELPERS.get(name or "", len(node.args))
            if index < len(node.args) and (key := _text(node.args[index])):
                found.append((key, f"{where}:{node.lineno}", set()))
    return found


def _item_sites() -> list[tuple[str, str, set[str]]]:
    sites = []
    for path, tree in _trees():
        sites += item_keys(tree, str(path.relative_to(APP.parent)))
    return sites


def _item_faults(sites: list[tuple[str, str, set[str]]]) -> list[str]:
    faults = []
    for key, where, params in sites:
        if key not in ITEMS:
            faults.append(f"{where} {key}: no Chinese")
        elif needed := _fields(ITEMS[key]) - params:
            faults.append(f"{where} {key}: lacks {sorted(needed)}")
    return faults


def test_the_item_walk_finds_the_keys_it_should() -> None:
    keys = {key for key, _, _ in _item_sites()}
    assert {"amount_not_price_times_quantity", "code_not_in_catalogue"} <= keys  # literals
    assert {"not_in_person_registry", "unknown_hospital_code"} <= keys  # msg_key=
    assert {"nothing_to_replace", "latest_reversed_is", "cursor_other_scope"} <= keys


def test_an_item_key_without_chinese_fails() -> None:
    # The walk on a raise site whose item names a key the catalogue lacks, or lacks a parameter.
    source = (
        'raise Unprocessable("x", errors=[{"loc": [], "msg": "m", "key": "no_such_key"}])\n'
        'raise Unprocessable("x", errors=[{"loc": [], "msg": "m", "key": "not_enrolled_in"}])\n'
        '_unprocessable("unknown_person", "x", [], "m", msg_key="no_such_either")\n'
    )
    faults = sorted(_item_faults(item_keys(ast.parse(source), "snippet")))
    assert faults == [
        "snippet:1 no_such_key: no Chinese",
        "snippet:2 not_enrolled_in: lacks ['year']",
        "snippet:3 no_such_either: no Chinese",
    ]


def test_every_item_key_has_chinese_and_its_parameters() -> None:
    faults = _item_faults(_item_sites())
    assert not faults, faults


def test_no_dead_item_entries() -> None:
    used = {key for key, _, _ in _item_sites()}
    for path, tree in _trees():  # keys a function returns (app.types.id_number_problem_key)
        if path.name != "catalog.py":
            used |= {
                text
                for node in ast.walk(tree)
                if isinstance(node, ast.Return) and node.value is not None
                for text in _literals(node.value)
            }
    dead = sorted(set(ITEMS) - used)
    assert not dead, f"item keys no raise site gives: {dead}"
    assert all(CJK.search(text) for text in ITEMS.values())


def test_the_page_texts_are_chinese() -> None:
    # The words app.ui's code chooses (app/ui/messages.py re-exports them from the catalogue).
    from app.i18n.catalog import NAV, PAGES, ROLE_NAMES

    assert all(CJK.search(text) for text in [*PAGES.values(), *ROLE_NAMES.values()])
    assert set(NAV) == set(ROLE_NAMES)
    assert all(CJK.search(name) and CJK.search(what) for s in NAV.values() for _, name, what in s)
