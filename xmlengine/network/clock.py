"""Network time: real time, real time sped up, or time that only a test moves.

`ScaledClock(speed)` starts at the real time and runs `speed` network seconds per real
second (`XMLENGINE_NETWORK_SPEED`): at 60, a two-minute call lasts two real seconds and
its records say two minutes. Tests use `xmlengine.clock.ManualClock` and move it with
`Scheduler.advance`.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class ScaledClock:
    def __init__(self, speed: float = 1.0, *, real: Callable[[], float] = time.time) -> None:
        if speed <= 0:
            raise ValueError("the network speed must be positive")
        self.speed = speed
        self._real = real
        self._origin = real()

    def now(self) -> float:
        return self._origin + (self._real() - self._origin) * self.speed

    def real_seconds(self, network_seconds: float) -> float:
        """How long to wait in real time for `network_seconds` to pass."""
        return max(0.0, network_seconds) / self.speed
