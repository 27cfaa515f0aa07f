"""``onestop roster import`` as an operator runs it: a progress bar on stderr, the counts and
the rejected rows on stdout, exit 2 (nothing stored) for a refused file, 1 for an as_of out of
order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from support import id_number

from .helpers import ZH, csv_bytes


def onestop(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "ONESTOP_LOG_FORMAT": "text"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _imports(url: str) -> int:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text("SELECT count(*) FROM roster_imports")) or 0)
    finally:
        await engine.dispose()


async def test_roster_import_from_the_shell(own_database_url: str, tmp_path: Path) -> None:
    a, b = id_number("510402"), id_number("510421")
    roster = tmp_path / "扶贫名单.csv"
    roster.write_bytes(
        csv_bytes(
            ZH,
            [
                [a, "张三", "510402", "建档立卡", "2018-01-01", "", "1", "2017"],
                [b, "李四", "510421", "建档立卡", "2018-01-01", "", "0", ""],
                [b, "李四", "510421", "低保", "2018-05-01", "2018-04-01", "0", ""],
            ],
            "gbk",
        )
    )
    args = ("roster", "import", str(roster), "--source", "poverty_office", "--as-of", "2018-06-01")
    done = onestop(own_database_url, *args)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("imported ")
    assert lines[0].endswith("(poverty_office, as of 2018-06-01, csv, gb18030)")
    # 3 rows: 2 new, 1 rejected (row 4: ends before it starts).
    assert lines[1] == "rows 3  new 2  changed 0  ended 0  unchanged 0  rejected 1"
    assert lines[2:] == [
        "rejected: 1 rows; their errors (first 1):",
        "  row 4, 终止日期: 终止日期早于起始日期",
    ]
    # The bar: each phase reaches its end (not a terminal: a line per tenth).
    for phase in ("读取行", "写入数据库", "比对与更新"):
        assert any(line.startswith(phase) and "100%" in line for line in done.stderr.splitlines())
    # The same file again: already imported, exit 0.
    again = onestop(own_database_url, *args)
    assert again.returncode == 0 and again.stdout.startswith("already imported ")
    # An earlier as_of for another file of the source: exit 1, one line saying why.
    other = tmp_path / "older.csv"
    other.write_bytes(csv_bytes(ZH, [[a, "张三", "510402", "建档立卡", "2018-01-01", "", "0", ""]]))
    older = onestop(
        own_database_url,
        "roster",
        "import",
        str(other),
        "--source",
        "poverty_office",
        "--as-of",
        "2018-05-01",
    )
    assert older.returncode == 1
    assert "roster_as_of_before_latest" in older.stderr
    # A refused file: exit 2, nothing stored.
    broken = tmp_path / "broken.csv"
    broken.write_bytes(csv_bytes(["身份证号", "姓名"], [[a, "张三"]]))
    refused = onestop(
        own_database_url,
        "roster",
        "import",
        str(broken),
        "--source",
        "civil_affairs",
        "--as-of",
        "2018-06-01",
    )
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert (
        "roster_missing_columns" in refused.stderr and "县区代码（county_code）" in refused.stderr
    )
    missing = onestop(
        own_database_url,
        "roster",
        "import",
        str(tmp_path / "nope.csv"),
        "--source",
        "civil_affairs",
        "--as-of",
        "2018-06-01",
    )
    assert missing.returncode == 2
    assert await _imports(own_database_url) == 1


async def test_an_unconfirmed_commit_exits_3_and_the_same_import_again_confirms_it(
    own_database_url: str, tmp_path: Path
) -> None:
    """A WARNING at COMMIT (what PostgreSQL sends when a wait for the synchronous standby is
    cancelled; here raised by a deferred trigger of this test) is not "imported": exit 3,
    ``commit_unconfirmed`` on stderr, although the import is stored. The same file again is a
    replay through the barrier (app/db/durability.py): exit 0, "already imported"."""
    engine = create_async_engine(own_database_url, poolclass=NullPool)
    warn = (
        "CREATE FUNCTION warn_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE WARNING 'test: a warning at commit'; RETURN NULL; END $$",
        "CREATE CONSTRAINT TRIGGER warn_at_commit AFTER INSERT ON roster_imports "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION warn_at_commit()",
    )
    try:
        async with engine.begin() as conn:
            for statement in warn:
                await conn.exec_driver_sql(statement)
        roster = tmp_path / "roster.csv"
        roster.write_bytes(
            csv_bytes(
                ZH, [[id_number("510402"), "张三", "510402", "建档立卡", "2018-01-01", "", "0", ""]]
            )
        )
        args = (
            "roster",
            "import",
            str(roster),
            "--source",
            "poverty_office",
            "--as-of",
            "2018-06-01",
        )
        unconfirmed = onestop(own_database_url, *args)
        assert unconfirmed.returncode == 3, unconfirmed.stdout + unconfirmed.stderr
        assert "commit_unconfirmed: 提交未确认" in unconfirmed.stderr
        assert unconfirmed.stdout == ""
        assert await _imports(own_database_url) == 1  # committed all the same
        async with engine.begin() as conn:
            await conn.exec_driver_sql("DROP TRIGGER warn_at_commit ON roster_imports")
        again = onestop(own_database_url, *args)
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith("already imported ")
        assert await _imports(own_database_url) == 1
    finally:
        await engine.dispose()
