"""The series an operator watches, in the Prometheus text format (docs/metrics.md).

One `Metrics` per app, no state at import time: what a process counts goes into the
app's own registry. Under `serve --workers N` the processes share one directory
(`PROMETHEUS_MULTIPROC_DIR`, which `serve` sets): each writes its series there, and the
process that answers a scrape reads them all, so `/metrics` shows the whole server
whichever process answers. Figures that live in the database (the outbox's backlog, the
network jobs in flight) are read at scrape time, once, by the process that answers.
"""

from __future__ import annotations

import operator
import os
import time
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.utils import floatToGoString

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

# Seconds; a small request takes well under a millisecond, a year of history seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Attempts past this are counted together: the label stays a short list.
ATTEMPT_LABELS = 10

# The response codes that are a rate limit's or an authentication's word.
SOFT_LIMIT = "requests_soft_limit_reached"
HARD_LIMIT = "requests_hard_limit_exceeded"
AUTH_FAILED = "authentication_failed"
AUTH_REFUSED = "authentication_attempts_exceeded"


@dataclass(frozen=True, slots=True)
class Backlog:
    """What the database holds undone, read when `/metrics` is scraped."""

    pending: Mapping[str, int] = field(default_factory=dict)  # outbox events by kind
    waited: Mapping[str, float] = field(default_factory=dict)  # the most overdue, seconds
    network_jobs: Mapping[tuple[str, str], int] = field(default_factory=dict)  # kind, status


class Metrics:
    def __init__(self) -> None:
        self.multiprocess = bool(os.environ.get(MULTIPROCESS_DIR))
        self.registry = CollectorRegistry()
        registry = self.registry
        # The two series every request adds to: plain numbers in this process alone, read
        # when scraped; prometheus_client's own when several processes share the series.
        self.requests: RequestSeries = (
            SharedRequestSeries(registry) if self.multiprocess else LocalRequestSeries(registry)
        )
        self.rate_limits = Counter(
            "xmlengine_rate_limit_answers",
            "Requests that reached their pool's hourly budget (outcome notice) or were "
            "refused past its hard margin (outcome refused).",
            ("pool", "outcome"),
            registry=registry,
        )
        self.authentication = Counter(
            "xmlengine_authentication_failures",
            "Requests whose credentials failed (outcome failed) or whose source was "
            "refused after too many failures (outcome refused).",
            ("generation", "outcome"),
            registry=registry,
        )
        self.outbox = Counter(
            "xmlengine_outbox_events_processed",
            "Background events handled by this server's workers, by kind (webhook, email, "
            "...), outcome (done, retry, given_up) and attempt.",
            ("kind", "outcome", "attempt"),
            registry=registry,
        )
        self.database_busy = Gauge(
            "xmlengine_database_busy",
            "Transactions running or waiting: PostgreSQL connections checked out of the "
            "pools, or units queued for the SQLite threads.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.database_capacity = Gauge(
            "xmlengine_database_capacity",
            "Connections the processes' pools may open (PostgreSQL); 2 per process on SQLite.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        if not self.multiprocess:  # the library reads one process's own /proc only
            ProcessCollector(registry=registry)

    def observe_request(
        self,
        request_type: str,
        generation: str,
        fmt: str,
        status: str,
        seconds: float,
        codes: Iterable[str] = (),
        pool: str = "",
    ) -> None:
        """One answered request; `codes` are its messages' codes, `pool` its rate-limit pool."""
        self.requests.observe((request_type, generation, fmt, status), seconds)
        if not codes:  # nearly every request: a success without a notice
            return
        for code in codes:
            if code == SOFT_LIMIT:
                self.rate_limits.labels(pool, "notice").inc()
            elif code == HARD_LIMIT:
                self.rate_limits.labels(pool, "refused").inc()
            elif code == AUTH_FAILED:
                self.authentication.labels(generation, "failed").inc()
            elif code == AUTH_REFUSED:
                self.authentication.labels(generation, "refused").inc()

    def observe_event(self, kind: str, outcome: str, attempt: int) -> None:
        shown = str(attempt) if attempt < ATTEMPT_LABELS else f"{ATTEMPT_LABELS}+"
        self.outbox.labels(kind, outcome, shown).inc()

    def observe_database(self, busy: int, capacity: int) -> None:
        self.database_busy.set(busy)
        self.database_capacity.set(capacity)

    def close(self) -> None:
        """This process's live gauges leave the shared directory with it."""
        if self.multiprocess:
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    def render(self, backlog: Backlog) -> bytes:
        """The scrape's body: every process's series (multiprocess mode) and the backlog."""
        if self.multiprocess:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        else:
            registry = self.registry
        scrape = CollectorRegistry()
        scrape.register(_Joined(registry, backlog))
        return generate_latest(scrape)


RequestKey = tuple[str, str, str, str]  # request type, generation, format, status
REQUESTS = (
    "xmlengine_requests",
    "API requests answered, by request type, URL generation, format and status.",
    ("request_type", "generation", "format", "status"),
)
LATENCY = (
    "xmlengine_request_seconds",
    "Time from the request's arrival to its answer, in seconds.",
    ("request_type", "generation", "format"),
)


class RequestSeries(Protocol):
    def observe(self, key: RequestKey, seconds: float) -> None: ...


class SharedRequestSeries:
    """The series in prometheus_client's values, which its multiprocess mode keeps in the
    shared directory: every process's requests show at once, whichever answers a scrape."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(*REQUESTS[:2], REQUESTS[2], registry=registry)
        self.latency = Histogram(
            *LATENCY[:2], LATENCY[2], buckets=LATENCY_BUCKETS, registry=registry
        )
        self._requests: dict[RequestKey, Counter] = {}
        self._latency: dict[tuple[str, str, str], Histogram] = {}

    def observe(self, key: RequestKey, seconds: float) -> None:
        counter = self._requests.get(key)
        if counter is None:  # labels() validates on every call: children are kept
            counter = self._requests[key] = self.requests.labels(*key)
        counter.inc()
        timing = self._latency.get(key[:3])
        if timing is None:
            timing = self._latency[key[:3]] = self.latency.labels(*key[:3])
        timing.observe(seconds)


class LocalRequestSeries:
    """The series of one process as plain numbers, turned into samples when scraped.

    A request costs a few additions here; prometheus_client's values took a lock each,
    three a request, a twentieth of a small request's work.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        # Per request type, generation, format and status: the requests in each latency
        # bucket (the last past every bound), and [their seconds, created]. The counts
        # are the buckets' sums, the latency series (without the status) their merges:
        # both made when scraped, so that a request is one lookup and two additions.
        self.series: dict[RequestKey, tuple[list[int], list[float]]] = {}
        registry.register(self)

    def observe(self, key: RequestKey, seconds: float) -> None:
        found = self.series.get(key)
        if found is None:
            found = self.series[key] = ([0] * (len(LATENCY_BUCKETS) + 1), [0.0, time.time()])
        found[0][bisect_left(LATENCY_BUCKETS, seconds)] += 1
        found[1][0] += seconds

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(*REQUESTS[:2], labels=REQUESTS[2])
        timings: dict[tuple[str, str, str], tuple[list[int], list[float]]] = {}
        for key, (buckets, (seconds, created)) in sorted(self.series.items()):
            requests.add_metric(key, sum(buckets), created=created)
            merged = timings.get(key[:3])
            if merged is None:
                timings[key[:3]] = (list(buckets), [seconds, created])
            else:
                merged[0][:] = map(operator.add, merged[0], buckets)
                merged[1][0] += seconds
                merged[1][1] = min(merged[1][1], created)
        yield requests
        latency = HistogramMetricFamily(*LATENCY[:2], labels=LATENCY[2])
        bounds = [*map(floatToGoString, LATENCY_BUCKETS), "+Inf"]
        for labels, (buckets, (total, created)) in timings.items():
            cumulative = list(zip(bounds, accumulate(buckets), strict=True))
            latency.add_metric(labels, cumulative, total)
            latency.add_sample(
                f"{LATENCY[0]}_created", dict(zip(LATENCY[2], labels, strict=True)), created
            )
        yield latency


class _Joined:
    """A registry's series followed by the backlog's, as one collector."""

    def __init__(self, registry: CollectorRegistry, backlog: Backlog) -> None:
        self.registry = registry
        self.backlog = backlog

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()
        pending = GaugeMetricFamily(
            "xmlengine_outbox_pending",
            "Background events waiting or in progress, by kind.",
            labels=("kind",),
        )
        oldest = GaugeMetricFamily(
            "xmlengine_outbox_oldest_due_seconds",
            "How long the event due longest ago has waited past its time, by kind (0: none "
            "is due; a retry backing off is not late).",
            labels=("kind",),
        )
        for kind, count in sorted(self.backlog.pending.items()):
            pending.add_metric((kind,), count)
            oldest.add_metric((kind,), self.backlog.waited.get(kind, 0.0))
        yield pending
        yield oldest
        jobs = GaugeMetricFamily(
            "xmlengine_network_jobs",
            "Network jobs waiting for their time (status pending) or with the network "
            "(status started: calls in progress, messages and faxes in transmission), by kind.",
            labels=("kind", "status"),
        )
        for (kind, status), count in sorted(self.backlog.network_jobs.items()):
            jobs.add_metric((kind, status), count)
        yield jobs
