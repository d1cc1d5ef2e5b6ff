"""How an answer is presented: what the request asked for, beside what the account holds.

The pipeline makes one `Presentation` per request and hands it to the handler with the
account's scope: language and currency of the request, the account's time zone for
dates and times, the URL generation and format the request came by, where the API
answered (for download links).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xmlengine.domain.local_times import local_times


# One per request. Not a NamedTuple: its fields read slower (a descriptor call each, where a
# dataclass's slots are read directly on Python 3.11) and its `__new__` costs more.
@dataclass(slots=True)
class Presentation:
    language: str = "en"
    currency: str = "CAD"
    exchange_rate: float = 1.0  # CAD -> currency
    zone: dt.tzinfo = dt.UTC  # the account's time zone
    generation: str = "v1.1"  # "v1.0" or "v1.1"
    fmt: str = "xml"  # "xml" or "json"
    base_url: str = ""  # "https://api.example.com": for the URLs written into answers

    def money(self, amount_cad: float, decimals: int = 4) -> str:
        """An amount kept in CAD, shown in the request's currency."""
        return f"{amount_cad * self.exchange_rate:.{decimals}f}"

    def datetime_text(self, epoch: float | None) -> str:
        """`YYYY-MM-DD HH:MM:SS` in the account's time zone; empty for no moment."""
        return local_times(self.zone).text(epoch)

    def date_time(self, epoch: float) -> tuple[str, str]:
        """`YYYY-MM-DD` and `HH:MM:SS` in the account's time zone."""
        return local_times(self.zone).date_time(epoch)

    def date_text(self, epoch: float | None) -> str:
        """`YYYY-MM-DD` in the account's time zone; empty for no moment."""
        return "" if epoch is None else local_times(self.zone).date_time(epoch)[0]
