"""``make client``: the Python client in ``clients/python/`` from ``openapi/openapi.json``.

openapi-python-client names a module per tag and a class per schema title. Two adjustments are
made on a copy of the document before it runs, so the committed document stays as the service
serves it:

- tags keep their ASCII words only (``"settlement 结算"`` → module ``api/settlement``);
- schemas that FastAPI had to disambiguate (two models with one class name in different
  packages become ``app__settlement__schemas__TotalsOut`` ...) get distinct titles
  (``SettlementTotalsOut``), which openapi-python-client needs to generate both.

The generator's README is boilerplate (``my_tag``, ``api.example.com``): the package's README is
``python-README.md`` beside this file, copied over it after each generation.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCUMENT = HERE.parent / "openapi" / "openapi.json"
OUTPUT = HERE / "python"
CONFIG = HERE / "python-client.yaml"
README = HERE / "python-README.md"
_QUALIFIED = re.compile(r"^app__(?P<domain>[a-z_]+?)__[a-z_]+__(?P<name>\w+)$")


def ascii_tag(tag: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", tag)
    return "_".join(words).lower() or tag


def prepare(document: dict[str, Any]) -> dict[str, Any]:
    for path in document.get("paths", {}).values():
        for operation in path.values():
            operation["tags"] = [ascii_tag(t) for t in operation.get("tags", [])]
    document["tags"] = [{**t, "name": ascii_tag(t["name"])} for t in document.get("tags", [])]
    for key, schema in document.get("components", {}).get("schemas", {}).items():
        if match := _QUALIFIED.match(key):
            domain = "".join(part.title() for part in match["domain"].split("_"))
            schema["title"] = domain + match["name"]
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)
    document = prepare(json.loads(DOCUMENT.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "openapi.json"
        prepared.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        command = [
            "openapi-python-client",
            "generate",
            "--path",
            str(prepared),
            "--output-path",
            str(args.output),
            "--config",
            str(CONFIG),
            "--meta",
            "pdm",
            "--overwrite",
            "--fail-on-warning",
        ]
        returncode = subprocess.run(command, check=False).returncode
    if returncode == 0:
        shutil.copyfile(README, args.output / "README.md")
    return returncode


if __name__ == "__main__":
    sys.exit(main())
