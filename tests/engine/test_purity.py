"""app.engine imports nothing but the standard library and itself (STYLE §2: the engine is pure).

import-linter checks the same from the package side; this reads the source, so it also catches
an import hidden in a function body or behind ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "app" / "engine"
MODULES = sorted(ENGINE.rglob("*.py"))

# Standard-library modules that would still break purity (I/O, clock, randomness, environment).
IMPURE_STDLIB = {
    "os",
    "io",
    "pathlib",
    "shutil",
    "socket",
    "subprocess",
    "random",
    "secrets",
    "time",
    "logging",
    "urllib",
    "http",
    "sqlite3",
    "tempfile",
    "threading",
    "asyncio",
}


def imports(path: Path) -> list[tuple[int, str]]:
    """Every imported module as an absolute dotted name (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module_parts = ["app", *path.relative_to(ENGINE.parent).with_suffix("").parts]
    package = module_parts[:-1]  # a module's package; for __init__.py, the package itself
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def test_engine_modules_found() -> None:
    names = {p.relative_to(ENGINE).as_posix() for p in MODULES}
    assert {"__init__.py", "money.py", "bill.py", "pipeline.py", "layers/basic.py"} <= names


def violations(found: list[tuple[int, str]]) -> list[str]:
    bad = []
    for lineno, name in found:
        top = name.split(".")[0]
        if name == "app.engine" or name.startswith("app.engine."):
            continue
        if top == "__future__" or top in sys.stdlib_module_names:
            if top in IMPURE_STDLIB:
                bad.append(f"line {lineno}: {name} (I/O, clock or randomness)")
            continue
        bad.append(f"line {lineno}: {name}")
    return bad


@pytest.mark.parametrize("path", MODULES, ids=[p.relative_to(ENGINE).as_posix() for p in MODULES])
def test_engine_imports_only_stdlib_or_itself(path: Path) -> None:
    bad = violations(imports(path))
    assert not bad, f"{path.relative_to(ENGINE.parent.parent)} imports {bad}"


def test_the_check_catches_what_it_should() -> None:
    found = [
        (1, "sqlalchemy.orm"),
        (2, "app.db"),
        (3, "app.engineering"),
        (4, "os"),
        (5, "yaml"),
        (6, "json"),
        (7, "app.engine.money"),
        (8, "__future__"),
        (9, "decimal"),
    ]
    assert violations(found) == [
        "line 1: sqlalchemy.orm",
        "line 2: app.db",
        "line 3: app.engineering",
        "line 4: os (I/O, clock or randomness)",
        "line 5: yaml",
    ]


def test_resolution_of_relative_imports() -> None:
    """The checker itself: relative imports resolve inside app.engine, absolute ones stay."""
    resolved = dict(imports(ENGINE / "layers" / "basic.py"))
    assert set(resolved.values()) >= {"app.engine.money", "app.engine.layers.base"}
    resolved_init = {name for _, name in imports(ENGINE / "__init__.py")}
    assert "app.engine.money" in resolved_init
