"""Settings, read once from the environment (the README lists each variable)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    return raw not in ("0", "false", "no", "off") if raw else default


def _rates(raw: str) -> dict[str, float]:
    rates = {"CAD": 1.0}
    for pair in filter(None, (p.strip() for p in raw.split(","))):
        code, _, value = pair.partition("=")
        rates[code.strip().upper()] = float(value)
    return rates


def _names(raw: str) -> tuple[str, ...]:
    return tuple(filter(None, (name.strip() for name in raw.split(","))))


METRICS_AUDIENCES = ("local", "any", "off")
LOG_FORMATS = ("text", "json")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("./xmlengine-data")
    database_url: str = ""
    redis_url: str = ""
    database_pool: int = 5  # PostgreSQL connections a process keeps (storage/database.py)
    hard_margin: float = 0.25  # refused past the budget plus this fraction of it
    auth_cache_seconds: float = 5.0
    # Failed authentications per window before a source is refused until it ends; 0: off.
    auth_failures_per_login: int = 10  # one login from one address
    auth_failures_per_address: int = 100  # one address, whatever the logins
    auth_failures_per_login_anywhere: int = 100  # one login from every address together
    auth_failure_window: int = 900  # seconds
    trusted_proxy_header: str = ""  # e.g. X-Forwarded-For, set by a proxy in front; else off
    exchange_rates: dict[str, float] = field(
        default_factory=lambda: {"CAD": 1.0, "USD": 0.72, "EUR": 0.66}
    )
    access_log: bool = True
    # URLs written into answers: the public address, and the names that may replace it.
    public_url: str = ""  # e.g. https://api.example.com; empty: the server's bound address
    allowed_hosts: tuple[str, ...] = ()  # request hosts used as they came: a.example, *.b.example
    # Background work (the outbox worker, webhooks, mail) and the sandbox network.
    embedded_worker: bool = True  # `serve` runs a worker; `xmlengine worker` runs more
    worker_concurrency: int = 16  # events delivered at once by one worker
    worker_poll_seconds: float = 0.5  # idle wait between looks at the outbox
    worker_lease_seconds: float = 120.0  # a claimed event is claimed again after this
    webhook_allow_private: bool = False  # loopback/private/link-local targets allowed
    webhook_timeout: float = 10.0  # seconds per attempt
    webhook_retry_limit: int = 8  # rounds (callback_url, then backup_url) before giving up
    webhook_backoff_base: float = 10.0  # seconds before the second round; doubles each round
    webhook_backoff_max: float = 3600.0
    smtp_url: str = ""  # smtp://user:password@host:port or smtps://...; else a mail log file
    mail_from: str = "xmlengine@localhost"
    # The network: one `serve` process owns it (docs/network-jobs.md); the others stand by.
    network_owner: bool = True  # this process may own the network
    network_poll_seconds: float = 0.5  # real seconds between looks at the due network jobs
    network_alive_seconds: float = 5.0  # the owner marks its jobs running this often
    network_takeover_seconds: float = 2.0  # a standby process tries the owner lock this often
    network_speed: float = 1.0  # sandbox network seconds per real second
    sandbox_traffic_per_hour: float = 120.0  # generated calls per account and hour; 0: none
    mailboxes_limit: int = 100  # voice mailboxes per account (voice_mailboxes_limit_reached)
    peers_limit: int = 100  # peers of one account (update_peer: peers_limit_reached)
    metrics: str = "local"  # who may read /metrics: local (loopback), any, off
    log_format: str = "text"  # or json: one JSON object a line, with the request id
    # Bulk exports (docs/exports.md).
    export_expiry_days: float = 7.0  # a completed export's file is removed after this
    export_batch_rows: int = 5000  # records read in one transaction and written at once
    export_slice_seconds: float = 5.0  # work on one export before letting others through

    def __post_init__(self) -> None:
        if self.metrics not in METRICS_AUDIENCES:
            raise ValueError(f"XMLENGINE_METRICS must be one of {', '.join(METRICS_AUDIENCES)}")
        if self.log_format not in LOG_FORMATS:
            raise ValueError(f"XMLENGINE_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'xmlengine.db').resolve()}"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        defaults = cls()
        return cls(
            data_dir=Path(env.get("XMLENGINE_DATA_DIR") or defaults.data_dir),
            database_url=env.get("XMLENGINE_DATABASE_URL", ""),
            redis_url=env.get("XMLENGINE_REDIS_URL", ""),
            database_pool=_int("XMLENGINE_DATABASE_POOL", defaults.database_pool),
            hard_margin=_float("XMLENGINE_RATE_LIMIT_HARD_MARGIN", defaults.hard_margin),
            auth_cache_seconds=_float("XMLENGINE_AUTH_CACHE_SECONDS", defaults.auth_cache_seconds),
            auth_failures_per_login=_int(
                "XMLENGINE_AUTH_FAILURES_PER_LOGIN", defaults.auth_failures_per_login
            ),
            auth_failures_per_address=_int(
                "XMLENGINE_AUTH_FAILURES_PER_ADDRESS", defaults.auth_failures_per_address
            ),
            auth_failures_per_login_anywhere=_int(
                "XMLENGINE_AUTH_FAILURES_PER_LOGIN_ANYWHERE",
                defaults.auth_failures_per_login_anywhere,
            ),
            auth_failure_window=max(
                1, _int("XMLENGINE_AUTH_FAILURE_WINDOW", defaults.auth_failure_window)
            ),
            trusted_proxy_header=env.get("XMLENGINE_TRUSTED_PROXY_HEADER", "").strip(),
            exchange_rates={
                **defaults.exchange_rates,
                **_rates(env.get("XMLENGINE_EXCHANGE_RATES", "")),
            },
            access_log=env.get("XMLENGINE_ACCESS_LOG", "1") not in ("0", "false", "no"),
            public_url=env.get("XMLENGINE_PUBLIC_URL", "").strip(),
            allowed_hosts=_names(env.get("XMLENGINE_ALLOWED_HOSTS", "")),
            embedded_worker=_flag("XMLENGINE_EMBEDDED_WORKER", defaults.embedded_worker),
            worker_concurrency=_int("XMLENGINE_WORKER_CONCURRENCY", defaults.worker_concurrency),
            worker_poll_seconds=_float(
                "XMLENGINE_WORKER_POLL_SECONDS", defaults.worker_poll_seconds
            ),
            worker_lease_seconds=_float(
                "XMLENGINE_WORKER_LEASE_SECONDS", defaults.worker_lease_seconds
            ),
            webhook_allow_private=_flag(
                "XMLENGINE_WEBHOOK_ALLOW_PRIVATE", defaults.webhook_allow_private
            ),
            webhook_timeout=_float("XMLENGINE_WEBHOOK_TIMEOUT", defaults.webhook_timeout),
            webhook_retry_limit=_int("XMLENGINE_WEBHOOK_RETRY_LIMIT", defaults.webhook_retry_limit),
            webhook_backoff_base=_float(
                "XMLENGINE_WEBHOOK_BACKOFF_BASE", defaults.webhook_backoff_base
            ),
            webhook_backoff_max=_float(
                "XMLENGINE_WEBHOOK_BACKOFF_MAX", defaults.webhook_backoff_max
            ),
            smtp_url=env.get("XMLENGINE_SMTP_URL", ""),
            mail_from=env.get("XMLENGINE_MAIL_FROM", "") or defaults.mail_from,
            network_owner=_flag("XMLENGINE_NETWORK_OWNER", defaults.network_owner),
            network_poll_seconds=_float(
                "XMLENGINE_NETWORK_POLL_SECONDS", defaults.network_poll_seconds
            ),
            network_alive_seconds=_float(
                "XMLENGINE_NETWORK_ALIVE_SECONDS", defaults.network_alive_seconds
            ),
            network_takeover_seconds=_float(
                "XMLENGINE_NETWORK_TAKEOVER_SECONDS", defaults.network_takeover_seconds
            ),
            network_speed=_float("XMLENGINE_NETWORK_SPEED", defaults.network_speed),
            sandbox_traffic_per_hour=_float(
                "XMLENGINE_SANDBOX_TRAFFIC_PER_HOUR", defaults.sandbox_traffic_per_hour
            ),
            mailboxes_limit=_int("XMLENGINE_MAILBOXES_LIMIT", defaults.mailboxes_limit),
            peers_limit=_int("XMLENGINE_PEERS_LIMIT", defaults.peers_limit),
            metrics=env.get("XMLENGINE_METRICS", "").strip().lower() or defaults.metrics,
            log_format=env.get("XMLENGINE_LOG_FORMAT", "").strip().lower() or defaults.log_format,
            export_expiry_days=_float("XMLENGINE_EXPORT_EXPIRY_DAYS", defaults.export_expiry_days),
            export_batch_rows=max(
                1, _int("XMLENGINE_EXPORT_BATCH_ROWS", defaults.export_batch_rows)
            ),
            export_slice_seconds=_float(
                "XMLENGINE_EXPORT_SLICE_SECONDS", defaults.export_slice_seconds
            ),
        )
