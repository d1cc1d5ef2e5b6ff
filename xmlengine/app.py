"""The app factory: settings in, ASGI app out; no state at import time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from xmlengine.clock import Clock, SystemClock
from xmlengine.config import Settings
from xmlengine.domain.network_owner import NetworkOwner
from xmlengine.domain.work_handlers import domain_handlers
from xmlengine.http.app import XmlEngineApp
from xmlengine.http.metrics_page import DatabaseFigures
from xmlengine.metrics import Metrics
from xmlengine.network.clock import ScaledClock
from xmlengine.protocol.auth import Authenticator
from xmlengine.protocol.auth_throttle import AuthThrottle, Budgets
from xmlengine.protocol.counter_file import CounterFile
from xmlengine.protocol.pipeline import Deps
from xmlengine.protocol.rate_limits import Counter, RateLimiter, RedisCounter
from xmlengine.request_types import build_registry
from xmlengine.storage.database import Database
from xmlengine.work.background import BackgroundWork


def build_deps(settings: Settings, clock: Clock | None = None) -> Deps:
    clock = clock or SystemClock()
    db = Database(settings.db_url, pool_size=settings.database_pool)
    metrics = Metrics()
    counter: Counter
    closers: list[Callable[[], Awaitable[None]]] = []
    starters: list[Callable[[], Awaitable[None]]] = []
    if metrics.multiprocess:
        figures = DatabaseFigures(metrics, db)
        starters.append(figures.start)
        closers.append(figures.stop)
    if settings.redis_url:
        redis_counter = RedisCounter(settings.redis_url)
        closers.append(redis_counter.close)
        counter = redis_counter
    else:  # in this process, kept across a restart in the data directory
        counter_file = CounterFile(settings.data_dir, clock)
        counter = counter_file.load()
        starters.append(counter_file.start)
        closers.append(counter_file.stop)
    if settings.embedded_worker:
        work = BackgroundWork(
            db, settings, clock, domain_handlers(db, settings, clock), metrics=metrics
        )
        starters.append(work.start)
        closers.append(work.stop)
    if settings.network_owner:
        network = NetworkOwner(
            db, settings, network_clock=ScaledClock(settings.network_speed), outbox_clock=clock
        )
        starters.append(network.start)
        closers.insert(0, network.stop)  # before the database and the worker close
    budgets = Budgets(
        per_login=settings.auth_failures_per_login,
        per_address=settings.auth_failures_per_address,
        per_login_anywhere=settings.auth_failures_per_login_anywhere,
        window=settings.auth_failure_window,
    )
    cache_seconds = settings.auth_cache_seconds
    return Deps(
        db=db,
        registry=build_registry(),
        auth=Authenticator(db, clock, AuthThrottle(counter, clock, budgets), cache_seconds),
        limits=RateLimiter(counter, clock, settings.hard_margin),
        settings=settings,
        metrics=metrics,
        on_close=closers,
        on_start=starters,
    )


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> XmlEngineApp:
    settings = settings or Settings.from_env()
    return XmlEngineApp(build_deps(settings, clock), access_log_enabled=settings.access_log)
