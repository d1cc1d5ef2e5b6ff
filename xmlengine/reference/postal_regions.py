"""Which postal codes belong to which province or state, for checking that an address
holds together: a Canadian postal code by its first letter (Canada Post's forward
sortation areas), a US ZIP code by the USPS's own list.

`data/zip_states.csv` names the state of every ZIP code in use, as runs of consecutive
codes of one state (written by `scripts/zip-states` from the `zipcodes` package). A ZIP
code the list does not have — never assigned, or retired — is in no state. Loaded on
first use.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from functools import cache
from importlib import resources
from typing import Final

ZIP_CSV_NAME: Final = "zip_states.csv"

# Canada Post's form: D, F, I, O, Q and U never appear (they read as other characters),
# W and Z never first. The space between the two halves is optional.
CANADIAN: Final = re.compile(r"([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)")
_FIRST, _OTHER = "[ABCEGHJ-NPRSTVXYabceghj-nprstvxy]", "[ABCEGHJ-NPRSTV-Zabceghj-nprstv-z]"
# The same for the API description (JSON Schema has no flag for either case).
CANADIAN_PATTERN: Final = f"{_FIRST}[0-9]{_OTHER} ?[0-9]{_OTHER}[0-9]"
ZIP: Final = re.compile(r"(\d{5})(?:-\d{4})?")
ZIP_PATTERN: Final = "[0-9]{5}(-[0-9]{4})?"

# The first letter of a Canadian postal code names its province or territory.
PROVINCE_LETTERS: Final[dict[str, str]] = {
    "NL": "A",
    "NS": "B",
    "PE": "C",
    "NB": "E",
    "QC": "GHJ",
    "ON": "KLMNP",
    "MB": "R",
    "SK": "S",
    "AB": "T",
    "BC": "V",
    "NT": "X",
    "NU": "X",
    "YT": "Y",
}


@cache
def _zip_runs() -> tuple[list[int], list[tuple[int, str]]]:
    """The runs' first codes (sorted, for bisect) and each run's last code and state."""
    text = resources.files("xmlengine.reference").joinpath("data", ZIP_CSV_NAME).read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [int(r["first"]) for r in rows], [(int(r["last"]), r["state"]) for r in rows]


def zip_state(zip_code: str) -> str | None:
    """The state (or territory, or military code) of a five-digit ZIP code in use."""
    firsts, runs = _zip_runs()
    number = int(zip_code)
    index = bisect.bisect_right(firsts, number) - 1
    if index < 0:
        return None
    last, state = runs[index]
    return state if number <= last else None


def in_region(state_code: str, postal_code: str) -> bool:
    """Whether a postal code (`A1A 1A1`) or ZIP (`12345[-6789]`) lies in the province or
    state; a region without known codes never matches."""
    letters = PROVINCE_LETTERS.get(state_code)
    if letters is not None:
        code = postal_code.upper()
        return CANADIAN.fullmatch(code) is not None and code[0] in letters
    found = ZIP.fullmatch(postal_code)
    return found is not None and zip_state(found[1]) == state_code
