"""Settings, read once from the environment (the README lists each variable)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def _rates(raw: str) -> dict[str, float]:
    rates = {"CAD": 1.0}
    for pair in filter(None, (p.strip() for p in raw.split(","))):
        code, _, value = pair.partition("=")
        rates[code.strip().upper()] = float(value)
    return rates


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("./xmlengine-data")
    database_url: str = ""
    redis_url: str = ""
    hard_margin: float = 0.25  # refused past the budget plus this fraction of it
    auth_cache_seconds: float = 5.0
    exchange_rates: dict[str, float] = field(
        default_factory=lambda: {"CAD": 1.0, "USD": 0.72, "EUR": 0.66}
    )
    access_log: bool = True

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
            hard_margin=_float("XMLENGINE_RATE_LIMIT_HARD_MARGIN", defaults.hard_margin),
            auth_cache_seconds=_float("XMLENGINE_AUTH_CACHE_SECONDS", defaults.auth_cache_seconds),
            exchange_rates={
                **defaults.exchange_rates,
                **_rates(env.get("XMLENGINE_EXCHANGE_RATES", "")),
            },
            access_log=env.get("XMLENGINE_ACCESS_LOG", "1") not in ("0", "false", "no"),
        )
