"""End to end against a real server process: ``onestop serve --demo`` on a fresh database.

- ``examples/his_discharge.py`` (the generated client) previews, settles, loses the answer,
  recovers it by looking the bill up, and prints the slip;
- the server's stderr is JSON lines with request ids and no ID number in clear;
- SIGTERM lets a running settlement finish while the server stops taking connections;
- the committed client is what ``make client`` generates from the committed OpenAPI document.
"""

from __future__ import annotations

import asyncio
import filecmp
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool
from support import unique, until_waiting_on_a_lock

from app.settlement import repository

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "his_discharge.py"
DEMO_BILL = json.loads((ROOT / "examples" / "demo-bill.json").read_text(encoding="utf-8"))
DEMO_PATIENT = DEMO_BILL["patient"]["id_number"]
HOSPITAL = DEMO_BILL["hospital_code"]
KEY = {"Authorization": f"Bearer demo-{HOSPITAL}"}


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _onestop() -> list[str]:
    script = Path(sys.executable).with_name("onestop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


@asynccontextmanager
async def serve(database_url: str, log: Path) -> AsyncIterator[Server]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ONESTOP_LOG_FORMAT": "json",
        "ONESTOP_LOG_LEVEL": "INFO",
        "ONESTOP_SHUTDOWN_TIMEOUT_S": "30",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*_onestop(), "serve", "--demo", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        await _until_ready(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def _until_ready(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        for _ in range(600):
            if server.process.poll() is not None:
                raise AssertionError(f"server exited:\n{server.log.read_text()}")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"server not ready:\n{server.log.read_text()}")


def run_example(
    server: Server, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The example against ``server``: with ``--base-url``, or, given ``env``, with that only."""
    url = ["--base-url", server.url] if env is None else []
    return subprocess.run(
        [sys.executable, str(EXAMPLE), *url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=None if env is None else {**os.environ, **env},
    )


def slip_figures(output: str) -> dict[str, str]:
    """``name  amount  label`` lines of the printed slip."""
    return dict(re.findall(r"^([a-z_]+)\s+(\d+\.\d{2})\b", output, re.MULTILINE))


async def test_his_discharge_example_settles_recovers_and_prints_the_slip(
    fresh_database_url: str, tmp_path: Path
) -> None:
    bill = unique("ZYEX")
    async with serve(fresh_database_url, tmp_path / "server.log") as server:
        first = run_example(server, "--bill-no", bill, "--simulate-lost-answer")
        assert first.returncode == 0, first.stdout + first.stderr
        # As README's `make run` users start it: the server's PORT, no --base-url.
        again = run_example(server, "--bill-no", bill, env={"PORT": server.url.rsplit(":", 1)[1]})
        assert again.returncode == 0, again.stdout + again.stderr
        async with httpx.AsyncClient(base_url=server.url, headers=KEY) as client:
            stored = (
                await client.get(
                    "/v1/settlements", params={"hospital_code": HOSPITAL, "bill_no": bill}
                )
            ).json()
        logs = server.log_lines()

    out = first.stdout
    assert "预结算 preview: funds pay 17945.00, patient pays 2055.00" in out
    assert "no answer (answer lost (simulated)); looking the bill up" in out
    assert f"recovered: bill {bill} is settled as {stored['settlement_id']}" in out
    assert f"settlement_id   {stored['settlement_id']}" in out
    assert DEMO_PATIENT not in out and "5104**********0014" in out

    # docs/rules.md §7 example 1: 张三, registered poor, first settlement of 2018.
    figures = slip_figures(out)
    assert figures == {
        "total": "20000.00",
        "hospital_borne": "0.00",
        "full_self_pay": "1000.00",
        "over_limit": "0.00",
        "pre_self_pay": "500.00",
        "in_policy": "18500.00",
        "basic": "14640.00",
        "critical_illness": "0.00",
        "supplementary": "1930.00",
        "tilted": "80.00",
        "civil_assistance": "1295.00",
        "fund_paid": "17945.00",
        "self_pay": "2055.00",
    }
    assert figures == {
        **{k: v for k, v in stored["totals"].items()},
        **{line["layer"]: line["paid"] for line in stored["layers"]},
        "fund_paid": stored["fund_paid"],
        "self_pay": stored["self_pay"],
    }
    # The second run sent the same bill again: the same settlement, not a second one.
    assert "(already settled with this body: the same settlement)" in again.stdout
    assert slip_figures(again.stdout) == figures

    # The server's log: JSON lines, request ids, no ID number in clear.
    assert logs and not [line for line in logs if DEMO_PATIENT in line]
    entries = [json.loads(line) for line in logs]
    requests = [e for e in entries if e["logger"] == "onestop.request"]
    settled = [e for e in requests if e["route"] == "/v1/settlements" and e["method"] == "POST"]
    assert [e["status"] for e in settled] == [201, 200]
    assert all(re.fullmatch(r"[0-9a-f]{32}", e["request_id"]) for e in requests)
    lookups = [e for e in requests if e["route"] == "/v1/settlements" and e["method"] == "GET"]
    assert lookups and lookups[0]["status"] == 200


async def test_sigterm_lets_the_running_settlement_finish(
    fresh_database_url: str, tmp_path: Path
) -> None:
    bill = {**DEMO_BILL, "bill_no": unique("ZYEX")}
    async with serve(fresh_database_url, tmp_path / "server.log") as server:
        engine = create_async_engine(fresh_database_url, poolclass=NullPool)
        try:
            async with (
                httpx.AsyncClient(base_url=server.url, headers=KEY, timeout=60) as client,
                AsyncSession(engine) as blocker,
            ):
                async with blocker.begin():
                    await repository.lock_bill(blocker, HOSPITAL, bill["bill_no"])
                    running = asyncio.create_task(client.post("/v1/settlements", json=bill))
                    await until_waiting_on_a_lock(engine)

                    server.process.send_signal(signal.SIGTERM)
                    await _until_logged(server, "Shutting down")
                    with pytest.raises(httpx.ConnectError):  # no new connections
                        async with httpx.AsyncClient(base_url=server.url) as fresh:
                            await fresh.get("/healthz")
                    assert server.process.poll() is None  # still waiting for the settlement
                    assert not running.done()
                response = await asyncio.wait_for(running, timeout=30)  # lock released
                assert response.status_code == 201, response.text
        finally:
            await engine.dispose()
        assert server.process.wait(timeout=30) == 0  # stopped as asked: a clean exit
    finished = [json.loads(line) for line in server.log_lines()]
    created = [
        e for e in finished if e.get("route") == "/v1/settlements" and e.get("status") == 201
    ]
    assert len(created) == 1
    assert any(e["msg"] == "Application shutdown complete." for e in finished)


async def test_ctrl_c_stops_serve_with_exit_0(fresh_database_url: str, tmp_path: Path) -> None:
    async with serve(fresh_database_url, tmp_path / "server.log") as server:
        server.process.send_signal(signal.SIGINT)
        returncode = await asyncio.to_thread(server.process.wait, 30)
    assert returncode == 0, "\n".join(server.log_lines()[-20:])
    assert any("Application shutdown complete." in line for line in server.log_lines())


@pytest.mark.skipif(not (shutil.which("make") and shutil.which("pgrep")), reason="needs make")
async def test_make_run_ends_without_an_error_when_the_server_is_stopped(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """`make run` whose server was sent SIGTERM said `make: *** [Makefile:…: run] Error 143`
    (serve exited 143). (On Ctrl-C make gets the SIGINT too and dies of it, as it always does,
    but quietly now that the recipe itself succeeds.)"""
    venv = Path(sys.prefix)
    stamp = subprocess.run(["make", "-q", f"VENV={venv}", f"{venv}/.installed"], cwd=ROOT)
    if stamp.returncode != 0:
        pytest.skip(f"`make run` would first install the project into {venv}")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": fresh_database_url, "PORT": str(port)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp_path / "make.log"
    with log.open("wb") as sink:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"VENV={venv}"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a signal for it never reaches pytest
        )
    try:
        await _until_ready(Server(f"http://127.0.0.1:{port}", make, log))
        children = subprocess.run(["pgrep", "-P", str(make.pid)], capture_output=True, text=True)
        [server_pid] = children.stdout.split()  # make runs the recipe's one command itself
        os.kill(int(server_pid), signal.SIGTERM)
        returncode = await asyncio.to_thread(make.wait, 60)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "make: ***" not in output, output[-2000:]
    assert "Application shutdown complete." in output
    assert returncode == 0


async def _until_logged(server: Server, message: str) -> None:
    for _ in range(200):
        if any(message in line for line in server.log_lines()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{message!r} never logged")


def test_committed_client_is_generated_from_the_committed_openapi_document(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    generated = tmp_path / "python"
    subprocess.run(
        [sys.executable, str(ROOT / "clients" / "generate.py"), "--output", str(generated)],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    committed = ROOT / "clients" / "python"
    differences = _differences(filecmp.dircmp(committed, generated, ignore=["__pycache__"]))
    assert not differences, f"clients/python is out of date ({differences}): run `make client`"


def _differences(comparison: filecmp.dircmp[str]) -> list[str]:
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files]
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found
