"""The catalogs shipped with the package, as rows ready for their tables.

Each catalog is a CSV file under ``data/``: the rate deck (NANP area codes with their
province or state, then each country's dialing code and common mobile prefixes; the
prices are a sample deck in CAD per minute of a call and per SMS segment or MMS sent or
received, meant to be replaced by the operator's own),
plans and plan groups, the SIP proxies of the sandbox, and the autoprovision devices
(makes and models of common SIP phones). An operator loads a file of the same columns
with ``xmlengine operator load-catalog``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Final

Converter = Callable[[str], Any]


def _optional_int(value: str) -> int | None:
    return int(value) if value.strip() else None


# Catalog name -> column -> converter from the CSV text.
COLUMNS: Final[dict[str, dict[str, Converter]]] = {
    "rates": {
        "code": str,
        "destination": str,
        "country_id": int,
        "state_id": _optional_int,
        "rate": float,
        "increment": int,
        "minimum": int,
        # CAD per SMS segment / per MMS: sent to the prefix, received on a DID of it.
        "sms_rate": float,
        "mms_rate": float,
        "sms_inbound_rate": float,
        "mms_inbound_rate": float,
    },
    "plan_groups": {"plan_group_id": int, "name": str},
    "plans": {
        "plan_id": int,
        "plan_group_id": int,
        "name": str,
        "description": str,
        "monthly_fee": float,
        "setup_fee": float,
        "channels": int,
        "minutes_included": int,
        "dids_included": int,
        "sms_included": int,
    },
    "proxies": {
        "proxy_id": int,
        "name": str,
        "hostname": str,
        "ip_address": str,
        "port": int,
        "city": str,
        "country_id": int,
        "status": str,
    },
    "devices": {
        "device_id": int,
        "make": str,
        "model": str,
        "lines": int,
        "device_type": str,
        "supports_labels": int,
    },
}

# Columns an operator's file may leave out (decks made before messages were priced from
# them), with the value each of its rows then takes: messages it does not price are free.
OPTIONAL: Final[dict[str, dict[str, str]]] = {
    "rates": dict.fromkeys(("sms_rate", "mms_rate", "sms_inbound_rate", "mms_inbound_rate"), "0"),
}

# Loading order: a plan names its group.
ORDER: Final = ("rates", "plan_groups", "plans", "proxies", "devices")


class CatalogError(ValueError):
    """A catalog file that does not have the catalog's columns or values."""


def parse(name: str, text: str) -> list[dict[str, Any]]:
    """The rows of catalog `name` from CSV text with a header line."""
    columns = COLUMNS[name]
    reader = csv.DictReader(io.StringIO(text))
    defaults = OPTIONAL.get(name, {})
    missing = set(columns) - set(reader.fieldnames or ()) - set(defaults)
    if missing:
        raise CatalogError(f"{name}: missing columns {', '.join(sorted(missing))}")
    rows = []
    for line, raw in enumerate(reader, start=2):
        try:
            rows.append(
                {
                    col: convert(raw.get(col, defaults.get(col)) or "")
                    for col, convert in columns.items()
                }
            )
        except ValueError as error:
            raise CatalogError(f"{name}, line {line}: {error}") from None
    return rows


def shipped(name: str) -> list[dict[str, Any]]:
    """The rows of the catalog shipped with the package."""
    data = resources.files(__package__).joinpath("data", f"{name}.csv")
    return parse(name, data.read_text(encoding="utf-8"))


def from_file(name: str, path: Path) -> list[dict[str, Any]]:
    return parse(name, path.read_text(encoding="utf-8"))
