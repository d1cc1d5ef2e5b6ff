"""calls request types."""

from __future__ import annotations

from xmlengine.protocol.registry import Family

family = Family("calls")
