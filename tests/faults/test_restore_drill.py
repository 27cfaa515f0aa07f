"""The restore drill (README, "Operations: point-in-time restore"), run here on the embedded
PostgreSQL with the same binaries CloudNativePG's recovery uses underneath:

1. a PostgreSQL with ``archive_mode=on`` and an ``archive_command`` that copies every finished
   WAL segment into an archive directory (CNPG: WAL archiving to the object store);
2. the service on it settles a first batch; ``pg_basebackup`` takes a base backup (CNPG: the
   ScheduledBackup); the service keeps settling (batch two, only in the archived WAL);
3. a target time is taken from the database clock once every answer of batches one and two has
   arrived; batch three is settled after it; the last segment is switched and archived;
4. the base backup is restored into a NEW data directory with ``recovery.signal``,
   ``restore_command`` (copy back from the archive), ``recovery_target_time`` and
   ``recovery_target_action=promote`` (CNPG: a new Cluster with ``bootstrap.recovery`` and
   ``recoveryTarget.targetTime``); PostgreSQL starts on it, replays to the target, promotes;
5. the service starts on the restored database, and: every settlement answered before the target
   is there with the id the client was told; none of batch three is (each was committed, hence
   timestamped, after the target was read from the same clock, so none can be before it); the
   accumulators equal the sum of the standing settlements; ``/v1/audit/verify`` and
   ``onestop audit verify`` pass.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from .conftest import (
    ROOT,
    OwnPostgres,
    bill_key,
    bills,
    check_ledger,
    client,
    new_persons,
    settle_all,
)

pytestmark = pytest.mark.faults

BATCH = 12  # settlements per batch; three batches
COMMAND_TIMEOUT_S = 60
RECOVERY_TIMEOUT_S = 60


class Binaries:
    """The PostgreSQL programs of the pgserver wheel, run as the user pgserver runs postgres as
    (the system user ``pgserver`` when we are root: postgres refuses to run as root)."""

    def __init__(self, pg: OwnPostgres) -> None:
        from pgserver._commands import POSTGRES_BIN_PATH

        self.bin = Path(POSTGRES_BIN_PATH)
        self.user: str | None = pg.handle.server.system_user

    def run(self, program: str, *args: str) -> str:
        result = subprocess.run(
            [str(self.bin / program), *args],
            user=self.user,
            check=False,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{program} {args} failed ({result.returncode}): {result.stderr}")
        return result.stdout

    def own(self, path: Path, mode: int = 0o700) -> Path:
        """Create ``path`` for the postgres user (mode 0700, as PostgreSQL requires of PGDATA)."""
        path.mkdir(mode=mode, exist_ok=True)
        path.chmod(mode)
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)
        return path


def dsn(url: str) -> str:
    """asyncpg's DSN for a ``postgresql+asyncpg://`` URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def sql(url: str, query: str, *args: Any) -> Any:
    conn = await asyncpg.connect(dsn(url))
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


@contextlib.contextmanager
def short_socket_dir() -> Iterator[Path]:
    """A Unix socket path must stay under ~107 bytes: pytest's tmp_path may be longer."""
    path = Path(tempfile.mkdtemp(prefix="onestop-pitr-"))
    path.chmod(0o777)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


async def wait_archived(url: str, archive: Path) -> None:
    """Close the current WAL segment and wait until the archiver has copied it."""
    segment = await sql(url, "SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + COMMAND_TIMEOUT_S
    while not (archive / segment).exists():
        assert time.monotonic() < deadline, f"WAL segment {segment} was never archived"
        time.sleep(0.1)


async def test_point_in_time_restore_into_a_new_data_directory(
    own_postgres: OwnPostgres, start_server: Any, tmp_path: Path
) -> None:
    pg = own_postgres
    binaries = Binaries(pg)
    archive = binaries.own(tmp_path / "wal-archive")
    base = binaries.own(tmp_path / "base-backup")

    # 1. WAL archiving on (archive_mode needs a restart).
    for setting in (
        "wal_level = 'replica'",
        "archive_mode = 'on'",
        f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'",
    ):
        pg.handle.server.psql(f"ALTER SYSTEM SET {setting};\n")
    pg.stop("fast")
    pg.start()
    assert await sql(pg.url, "SHOW archive_mode") == "on"

    # 2. The service settles batch one; base backup; batch two.
    server = start_server(pg.url)
    async with client(server) as http:
        persons = await new_persons(http, 4)
        stream = bills(persons, 3 * BATCH, prefix="PITR")
        first, second, third = stream[:BATCH], stream[BATCH : 2 * BATCH], stream[2 * BATCH :]
        told: dict[tuple[str, str], str] = {}

        async def settle_batch(batch: list[dict[str, Any]]) -> None:
            for body, response in zip(batch, await settle_all(http, batch), strict=True):
                assert response.status_code == 201, response.text
                told[bill_key(body)] = response.json()["settlement_id"]

        await settle_batch(first)
        socket_dir = pg.socket_dir
        binaries.run(
            "pg_basebackup",
            "-h", str(socket_dir), "-U", pg.handle.server.postgres_user,
            "-D", str(base), "--checkpoint=fast", "--wal-method=stream", "--no-password",
        )  # fmt: skip
        await settle_batch(second)

        # 3. The target: after every answer so far, before any settlement of batch three.
        target: dt.datetime = await sql(pg.url, "SELECT clock_timestamp()")
        answered_before = dict(told)
        assert len(answered_before) == 2 * BATCH
        await settle_batch(third)
        after = {bill_key(b) for b in third}
        await wait_archived(pg.url, archive)
    server.stop()
    pg.stop("fast")

    # 4. Restore the base backup into a new data directory, replay the archive to the target.
    restored = tmp_path / "restored"
    shutil.copytree(base, restored)
    if binaries.user is not None:
        entry = pwd.getpwnam(binaries.user)
        for path in [restored, *restored.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    restored.chmod(0o700)
    (restored / "postmaster.pid").unlink(missing_ok=True)
    with (restored / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
        conf.write(
            # Later lines win: the restored server archives nothing into the old archive.
            "archive_mode = 'off'\n"
            f"restore_command = 'cp {archive}/%f %p'\n"
            f"recovery_target_time = '{target.isoformat(sep=' ')}'\n"
            "recovery_target_action = 'promote'\n"
        )
    (restored / "recovery.signal").touch()

    with short_socket_dir() as sockets:
        log = restored / "restore.log"
        try:
            binaries.run(
                "pg_ctl", "-D", str(restored), "-w", "-t", str(RECOVERY_TIMEOUT_S),
                "-o", '-h ""', "-o", f"-k {sockets}", "-l", str(log), "start",
            )  # fmt: skip
            url = f"postgresql+asyncpg://{pg.handle.server.postgres_user}@/onestop?host={sockets}"
            deadline = time.monotonic() + RECOVERY_TIMEOUT_S
            while await sql(url, "SELECT pg_is_in_recovery()"):
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.2)
            recovery_log = log.read_text(errors="replace")
            assert "recovery stopping before commit of transaction" in recovery_log, recovery_log
            # Promoted onto a new timeline: the restored history forks from the old one here.
            assert (restored / "pg_wal" / "00000002.history").exists()

            # 5. The service on the restored database.
            restored_server = start_server(url)
            async with client(restored_server) as http:
                # Every settlement answered before the target, with its id; none of batch three;
                # accumulators = Σ standing settlements; the audit chain verifies (check_ledger).
                await check_ledger(url, http, answered_before)
                assert not after & answered_before.keys()
            verify = subprocess.run(
                [sys.executable, "-m", "app.cli", "audit", "verify"],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                timeout=COMMAND_TIMEOUT_S,
                check=False,
            )
            assert verify.returncode == 0, verify.stdout + verify.stderr
            assert "audit log intact" in verify.stdout, verify.stdout
            restored_server.stop()
        finally:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                binaries.run("pg_ctl", "-D", str(restored), "-w", "-m", "immediate", "stop")
