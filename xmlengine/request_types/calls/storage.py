"""Storage used by what calls leave behind: get_storage_stats."""

from __future__ import annotations

from xmlengine.params.table import p
from xmlengine.params.types import Choice
from xmlengine.request_types.calls.family import STORAGE_TYPES, PeriodStats, family


@family.request_type(
    "get_storage_stats",
    summary="Gather statistical information about storage for a given period.",
)
class GetStorageStats(PeriodStats):
    storage_types: list[str] | None = p(Choice(values=STORAGE_TYPES, many=True))
