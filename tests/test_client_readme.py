"""clients/python/README.md is the hand-written clients/python-README.md (make client copies it
over the generator's boilerplate), and its examples call what the committed client has: every
import resolves, every ``module.function`` exists and takes the keywords the example passes."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "clients" / "python"
README = CLIENT / "README.md"


def _snippets() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_the_client_readme_is_ours_not_the_generators() -> None:
    text = README.read_text(encoding="utf-8")
    assert text == (ROOT / "clients" / "python-README.md").read_text(encoding="utf-8")
    for boilerplate in ("my_tag", "api.example.com", "MyDataModel", "SuperSecretToken"):
        assert boilerplate not in text
    assert len(_snippets()) >= 4


def test_the_client_readme_examples_match_the_client() -> None:
    sys.path.insert(0, str(CLIENT))
    try:
        for snippet in _snippets():
            _check(ast.parse(snippet))
    finally:
        sys.path.remove(str(CLIENT))


def _check(tree: ast.Module) -> None:
    names: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("onestop"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                if hasattr(module, alias.name):
                    names[alias.asname or alias.name] = getattr(module, alias.name)
                else:  # a submodule: from onestop_client.api.settlement import create_settlement
                    names[alias.asname or alias.name] = importlib.import_module(
                        f"{node.module}.{alias.name}"
                    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = names.get(node.value.id)
            if isinstance(owner, ModuleType) or inspect.isclass(owner):
                assert hasattr(owner, node.attr), f"{node.value.id}.{node.attr} does not exist"
        if isinstance(node, ast.Call):
            function = _resolve(node.func, names)
            if function is not None and callable(function):
                parameters = inspect.signature(function).parameters
                for keyword in node.keywords:
                    if keyword.arg is not None:
                        assert keyword.arg in parameters, (
                            f"{ast.unparse(node.func)}({keyword.arg}=)"
                        )


def _resolve(node: ast.expr, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = names.get(node.value.id)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None
