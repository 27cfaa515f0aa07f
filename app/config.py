"""Settings: the only code that reads the environment.

Names follow the public contract (docs/api.md "Configuration"): ``DATABASE_URL``,
``DATABASE_READ_URL`` and ``PORT`` are unprefixed; everything else is ``ONESTOP_*``. Business
numbers never live here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ONESTOP_", extra="ignore", validate_by_name=True, frozen=True
    )

    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    """``postgresql+asyncpg://…``; unset means an embedded PostgreSQL in ``data_dir``."""
    database_read_url: str | None = Field(default=None, validation_alias="DATABASE_READ_URL")
    """Optional read replica for read-only queries; unset means ``database_url``."""
    data_dir: Path = Path(".data")
    port: int = Field(default=8000, validation_alias="PORT")
    bootstrap_admin_key: SecretStr | None = None
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    """``json``: one JSON object per line (production); ``text``: for a terminal."""
    shutdown_timeout_s: int = Field(default=20, ge=1)
    """On SIGTERM, how long running requests may take to finish before they are cancelled."""
    prometheus_multiproc_dir: Path | None = Field(
        default=None, validation_alias="PROMETHEUS_MULTIPROC_DIR"
    )
    """Aggregate ``/metrics`` over ``--workers``; prometheus-client also reads it itself."""
    metrics_business: bool = False
    """Also show money per fund (``onestop_fund_*_fen_total``) on ``/metrics``, which asks for no
    key: only where nobody but the monitoring system reaches it."""
    db_pool_size: int = Field(default=10, ge=1)
    db_statement_timeout_ms: int = Field(default=5000, ge=0)
    db_connect_timeout_s: float = Field(default=5.0, gt=0)
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    """Request bodies above this are refused with 413 before they are parsed."""
    max_concurrent_settlements: int = Field(default=8, ge=0)
    """Settlement writes one process works on at once; more queue for a slot. 0: no limit."""
    admission_queue_ms: int = Field(default=100, ge=1)
    """Once the oldest queued settlement write has waited this long, new ones are refused with
    503 ``overloaded`` until the queue catches up; a queued one gives up after 3 times this."""
    auth_cache_ttl_s: float = Field(default=2.0, ge=0)
    """How long a process remembers a verified API key (0: look it up on every request)."""
    ui_session_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    """How long a sign-in to the web pages (``/ui/``) lasts, from sign-in (absolute, not idle):
    one shift at the window. Sign-out or revoking the key ends it sooner."""
    audit_signing_key: SecretStr | None = None
    """The Ed25519 private key that signs the audit log's tree heads: PEM (PKCS#8) or the base64
    of the 32-byte seed. Unset: a key made at start-up, for that process only (development)."""
    audit_sequencer_interval_ms: int = Field(default=200, ge=0)
    """How often the audit sequencer integrates newly committed entries into the Merkle tree;
    0: not in this process (another process, or ``onestop audit sequence``, does it)."""


def get_settings() -> Settings:
    """Read the environment now (deliberately not cached: ``onestop serve`` sets
    ``DATABASE_URL`` for the app after starting an embedded server)."""
    return Settings()
