"""Which postal codes belong to which province or state (Canada Post's first letters, the
USPS's three-digit ZIP prefixes), for checking that an address holds together."""

from __future__ import annotations

from typing import Final

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

# The three-digit ZIP prefixes of each state (inclusive ranges).
ZIP_PREFIXES: Final[dict[str, tuple[tuple[int, int], ...]]] = {
    "AL": ((350, 369),),
    "AK": ((995, 999),),
    "AZ": ((850, 865),),
    "AR": ((716, 729),),
    "CA": ((900, 961),),
    "CO": ((800, 816),),
    "CT": ((60, 69),),
    "DE": ((197, 199),),
    "DC": ((200, 200), (202, 205), (569, 569)),
    "FL": ((320, 349),),
    "GA": ((300, 319), (398, 399)),
    "HI": ((967, 968),),
    "ID": ((832, 838),),
    "IL": ((600, 629),),
    "IN": ((460, 479),),
    "IA": ((500, 528),),
    "KS": ((660, 679),),
    "KY": ((400, 427),),
    "LA": ((700, 714),),
    "ME": ((39, 49),),
    "MD": ((206, 219),),
    "MA": ((10, 27), (55, 55)),
    "MI": ((480, 499),),
    "MN": ((550, 567),),
    "MS": ((386, 397),),
    "MO": ((630, 658),),
    "MT": ((590, 599),),
    "NE": ((680, 693),),
    "NV": ((889, 898),),
    "NH": ((30, 38),),
    "NJ": ((70, 89),),
    "NM": ((870, 884),),
    "NY": ((5, 5), (100, 149)),
    "NC": ((270, 289),),
    "ND": ((580, 588),),
    "OH": ((430, 459),),
    "OK": ((730, 749),),
    "OR": ((970, 979),),
    "PA": ((150, 196),),
    "RI": ((28, 29),),
    "SC": ((290, 299),),
    "SD": ((570, 577),),
    "TN": ((370, 385),),
    "TX": ((750, 799), (885, 885)),
    "UT": ((840, 847),),
    "VT": ((50, 54), (56, 59)),
    "VA": ((201, 201), (220, 246)),
    "WA": ((980, 994),),
    "WV": ((247, 268),),
    "WI": ((530, 549),),
    "WY": ((820, 831),),
    "AS": ((967, 967),),
    "GU": ((969, 969),),
    "MP": ((969, 969),),
    "PR": ((6, 7), (9, 9)),
    "VI": ((8, 8),),
}


def in_region(state_code: str, postal_code: str) -> bool:
    """Whether a postal code (`A1A 1A1`) or ZIP (`12345[-6789]`) lies in the province or
    state; a region without known codes never matches."""
    letters = PROVINCE_LETTERS.get(state_code)
    if letters is not None:
        return postal_code[:1].upper() in letters
    ranges = ZIP_PREFIXES.get(state_code, ())
    prefix = postal_code[:3]
    if not prefix.isdigit():
        return False
    return any(low <= int(prefix) <= high for low, high in ranges)
