"""No unseeded randomness: hypothesis is derandomized in CI, and the helpers that make "a value
nobody else has" give the same values on every run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _python(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | env
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_hypothesis_is_derandomized_when_ci_is_set() -> None:
    """CI runs with CI=true: hypothesis then loads its `ci` profile, and every `@settings(...)`
    and registered profile of the tests (tests/engine/test_properties.py's `engine`) inherits
    derandomize=True and no example database."""
    code = (
        "from hypothesis import settings\n"
        "settings.register_profile('engine', max_examples=200, deadline=None)\n"
        "print(settings.default.derandomize, settings.get_profile('engine').derandomize,"
        " settings(max_examples=150).derandomize, settings.default.database)\n"
    )
    assert _python(code, CI="true").split() == ["True", "True", "True", "None"]


def test_unique_values_are_the_same_on_every_run() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from support import fresh_uuid, id_number, unique\n"
        "print(unique('ZY'), unique('XT', 4), id_number(), id_number('510421'), fresh_uuid())\n"
    )
    first, second = _python(code), _python(code)
    assert first == second
    bill, code_, person, other, uid = first.split()
    assert (bill, code_) == ("ZY00000001", "XT0002")  # one counter for the session
    assert person.startswith("510402") and other.startswith("510421") and len(person) == 18
    assert uid[14] == "4"  # a version-4 UUID
