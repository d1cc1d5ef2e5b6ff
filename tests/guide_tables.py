"""The parameter tables of the guide, read from its text.

Each `Request Type: NAME` entry may carry a table after the line
`Parameter Type [?] Requirement Description`. A row is `name type Requirement text...`,
but the guide also splits rows: the name alone on its line with type and requirement
on the next, or name and type on one line with the requirement on the next. Text that
follows a row continues its description. A second header inside a table opens the
sub-table of the row before it (an array of records such as `action`), which runs
until the guide's `example` line; its rows are named `action[usage_type]`. Rows named
`sources[n][type] // destinations[n][type]` describe both arrays at once. The row
`[raw_metadata] see doc` stands for the "Api Metadata" table, which the guide also
applies to the request types it lists under "Applicable request types".

Each row also gives what its text says of the value: the type's word and lengths
(`digits [10]`, `string [3-15]`), the default ("(default is 25)") and the allowed values
("Value must be one of the following: "enabled" or "disabled"").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "shared" / "spec" / "xml-engine-api-guide.txt"
HEADER = "Parameter Type [?] Requirement Description"

_TYPE = (
    r"(?:serialized array|json/array|integer|int|string|enum|alphanum|digits|datetime|date"
    r"|boolean|bool|array|file|json|number|hex)(?:\s*(?:\[[^\]]*\]|\([^)]*\)))?"
)
TYPE = rf"(?i:{_TYPE}(?:\s+{_TYPE})?)"
REQUIREMENT = (
    r"(?:Optionally [Rr]equired|Optionaly [Rr]equired|At least \d+ required|See description"
    r"|Required(?: \([^)]*\))?|Optional(?: \([^)]*\))?|Deprecated)"
)
NAME = r"[a-z][a-z0-9_]*(?:\[[a-z0-9_]+\])*(?: // [a-z][a-z0-9_]*(?:\[[a-z0-9_]+\])*)?"

ROW = re.compile(
    rf"^(?P<name>{NAME})\s+(?P<type>{TYPE})\s+(?P<req>{REQUIREMENT})(?![a-z])(?P<rest>.*)$"
)
NAME_ONLY = re.compile(rf"^(?P<name>{NAME})$")
NAME_AND_TYPE = re.compile(rf"^(?P<name>{NAME})\s+(?P<type>{TYPE})$")
TYPE_AND_REQ = re.compile(rf"^(?P<type>{TYPE})\s+(?P<req>{REQUIREMENT})(?![a-z])(?P<rest>.*)$")
REQ_ONLY = re.compile(rf"^(?P<req>{REQUIREMENT})(?![a-z])(?P<rest>.*)$")
METADATA_ROW = "[raw_metadata]"
METADATA_PARAMS = ("serialized_metadata", "raw_metadata")
INDEX = re.compile(r"\[(?:n|\d+)\]")

# Where a row's text starts listing its values, and one value of the list.
VALUES_START = re.compile(
    r"(?i)(?:(?:one|any|a one) (?:\(or more, comma sep[ae]rated\) )?(?:or (?:more|many) )?"
    r"of the following(?: values| service level values)?(?: comma seperated)?\s*:?"
    r"|must be (?:either |one of )?(?=[\"']))"
)
QUOTED = re.compile(r"""\s*("[^"\n]*"|'[^'\n]*')(?:\s*\([^)]*\))?\s*(?:,|\bor\b|\band\b)?""")
ZERO_OR_ONE = re.compile(r"must be ([01]) or ([01])\b")
DEFAULT = re.compile(
    r"(?i)(?:\(\s*defaults?(?: is| to)?|\bdefault is|\bby default it is)\s+(?P<text>[^)\n]*)"
)
LENGTHS = re.compile(r"\[\s*(\d+)(?:\s*-\s*(\d+))?\s*\]")
NUMBER = r"(\d{1,3}(?: \d{3})*|\d+)"  # "60 000" is 60000
BETWEEN = re.compile(
    rf"(?i)\b(?:between|from) {NUMBER} (?:and|to) {NUMBER}"
    r"(?P<unit> characters?| digits|(?=(?:\s*\(inclusively\))?\s*(?:[.,\n]|$| and an| minutes)))"
)
AT_MOST = re.compile(r"(?i)(?:\b(\d+) or less|up to (\d+)|maximum (\d+)) characters")


@dataclass
class GuideParam:
    name: str  # `date_from`, or `action[usage_type]` for a field of an array's records
    type: str
    requirement: str
    description: str = ""

    @property
    def parent(self) -> str:
        return self.name.split("[", 1)[0]

    @property
    def word(self) -> str:
        """The type without its lengths: `digits`, `string`, `integer`, `json/array`, ..."""
        return re.sub(r"\s*(\[[^\]]*\]|\([^)]*\))", "", self.type).strip().lower()

    @property
    def lengths(self) -> tuple[int, int] | None:
        """`digits [10]` is (10, 10), `string [3-15]` is (3, 15)."""
        found = LENGTHS.search(self.type)
        if found is None or len(LENGTHS.findall(self.type)) > 1:  # "digits [10] alphanum [6-16]"
            return None
        low = int(found[1])
        return low, int(found[2] or low)

    @property
    def text_lengths(self) -> tuple[int, int] | None:
        """ "from 2 to 32 characters", "between 1 and 10 digits", "160 or less characters"."""
        found = BETWEEN.search(self.description)
        if found and found["unit"].strip():
            return _number(found[1]), _number(found[2])
        if most := AT_MOST.search(self.description):
            return 0, int(next(n for n in most.groups() if n))
        return self.lengths

    @property
    def bounds(self) -> tuple[int, int] | None:
        """A number's range: "Value must be between 1 and 1000", "between 2 000 and 60 000"."""
        found = BETWEEN.search(self.description)
        if found is None or found["unit"].strip():
            return None
        return _number(found[1]), _number(found[2])

    @property
    def default(self) -> str | None:
        """The default as the guide words it ("25", "NULL", "today", ...), or None if unsaid."""
        # A row's "(default is 1)" may follow its requirement on the same line.
        found = DEFAULT.search(f"{self.requirement}\n{self.description}")
        if found is None:
            return None
        text = found["text"].split(". ")[0].strip().rstrip(".").strip()
        return text.strip("\"'`") or None

    @property
    def values(self) -> list[str] | None:
        """The values the text allows, in its order, or None when it lists none."""
        if choices := re.search(r"\(([a-z]+(?:\|[a-z]+)+)\)", self.type):
            return choices[1].split("|")
        if found := ZERO_OR_ONE.search(self.description):
            return [found[1], found[2]]
        start = VALUES_START.search(self.description)
        if start is None:
            return None
        rest = self.description[start.end() :].split("\n")
        values = _quoted_run(rest[0])
        if not values and not rest[0].strip(" :"):
            rest = rest[1:]
            values = _quoted_run(rest[0]) if rest else []
        for line in rest[1:]:  # a list the guide breaks over its lines
            if not line.strip().startswith(("'", '"')):
                break
            values += _quoted_run(line)
        if not values:  # unquoted: "one of the following : default, random."
            words = re.split(
                r"\s*(?:,|\bor\b)\s*", rest[0].split(". ")[0].strip(" .:") if rest else ""
            )
            simple = len(words) > 1 and all(re.fullmatch(r"[\w\-]+", w) for w in words)
            values = words if simple else []
        return [v.strip() for v in values] or None

    @property
    def need(self) -> str:
        """The requirement in the registry's words."""
        text = self.requirement.lower()
        if text.startswith(("optionally", "optionaly", "see description")):
            return "conditional"
        if text.startswith("optional"):
            return "optional"
        if text.startswith("deprecated"):
            return "deprecated"
        return "required"  # "Required", "Required (Obsolete in v1.1)", "At least 1 required"


@dataclass
class GuideRequestType:
    name: str
    params: list[GuideParam] = field(default_factory=list)

    def names(self) -> list[str]:
        return [param.name for param in self.params]


@cache
def _lines() -> list[str]:
    return GUIDE.read_text(encoding="utf-8").splitlines()


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Each request type's name and the guide's lines up to the next one."""
    end = next(i for i, line in enumerate(lines) if line.strip() == "Error types")
    starts = [i for i, line in enumerate(lines[:end]) if line.startswith("Request Type: ")]
    return [
        (lines[at].removeprefix("Request Type: ").strip(), lines[at + 1 : stop])
        for at, stop in zip(starts, [*starts[1:], end], strict=True)
    ]


def _number(text: str) -> int:
    return int(text.replace(" ", ""))


def _quoted_run(line: str) -> list[str]:
    """The quoted values a line starts with: `"a", "b" or "c". More text` is a, b, c."""
    values: list[str] = []
    at = 0
    while found := QUOTED.match(line, at):
        values.append(found[1][1:-1])
        at = found.end()
    return values


def _metadata_rows(lines: list[str]) -> list[GuideParam]:
    """The "Api Metadata" table: `serialized_metadata` and `raw_metadata`."""
    start = next(i for i, line in enumerate(lines) if line.strip() == "Api Metadata")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Applicable request"))
    return [row for row in _table(lines[start:end]) if row.name in METADATA_PARAMS]


def _metadata_request_types(lines: list[str]) -> list[str]:
    """The request types the "Api Metadata" section applies to."""
    for line in lines:
        if line.startswith("Applicable request types :"):
            listed = line.split(":", 1)[1]
            return [name.strip().rstrip(".") for name in listed.split(",")]
    raise ValueError("the guide's Api Metadata section lists no request types")


def _split_names(name: str) -> list[str]:
    """`sources[n][type] // destinations[n][type]` -> `sources[type]`, `destinations[type]`."""
    return [INDEX.sub("", part.strip()) for part in name.split("//")]


def _table(block: list[str]) -> list[GuideParam]:
    lines = [line.rstrip() for line in block]
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == HEADER)
    except StopIteration:
        return []
    rows: list[GuideParam] = []
    parent = ""  # set inside a sub-table
    last: list[GuideParam] = []  # the row(s) the following text describes
    i = start + 1
    while i < len(lines):
        line = lines[i].strip()
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        i += 1
        if line.startswith("- - -"):
            break
        if line == HEADER:
            parent = rows[-1].name if rows else ""
            continue
        if parent and line.lower().startswith("example"):
            parent = ""
            last = []
            continue
        if line.startswith(METADATA_ROW):
            last = [
                GuideParam(row.name, row.type, row.requirement, row.description)
                for row in _metadata_rows(_lines())
            ]
            rows.extend(last)
            continue
        found = _row(line, following)
        if found is None:
            for row in last:
                row.description = f"{row.description}\n{line}".strip()
            continue
        name, type_text, requirement, rest, used_next = found
        if used_next:
            i += 1
        names = [f"{parent}[{n}]" for n in _split_names(name)] if parent else _split_names(name)
        last = [GuideParam(n, type_text, requirement, rest.strip()) for n in names]
        rows.extend(last)
    return rows


def _row(line: str, following: str) -> tuple[str, str, str, str, bool] | None:
    """A row starting on `line` (name, type, requirement, text, whether it took `following`)."""
    if match := ROW.match(line):
        return match["name"], match["type"], match["req"], match["rest"], False
    if (match := NAME_ONLY.match(line)) and (rest := TYPE_AND_REQ.match(following)):
        return match["name"], rest["type"], rest["req"], rest["rest"], True
    if (match := NAME_AND_TYPE.match(line)) and (rest := REQ_ONLY.match(following)):
        return match["name"], match["type"], rest["req"], rest["rest"], True
    return None


def require_guide() -> None:
    """Skip a test that needs the guide when it is absent; on CI (`CI=true`), fail it."""
    if GUIDE.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the API guide is missing at {GUIDE}, and CI=true: the tests need it")
    pytest.skip(f"the API guide is missing at {GUIDE}; the tests that compare with it skip")


@cache
def guide_request_types() -> dict[str, GuideRequestType]:
    """Every request type of the guide with its parameter rows, in the guide's order."""
    require_guide()
    lines = _lines()
    with_metadata = _metadata_request_types(lines)
    metadata = _metadata_rows(lines)
    found: dict[str, GuideRequestType] = {}
    for name, block in _blocks(lines):
        rows: list[GuideParam] = []
        for row in _table(block):
            if row.name not in {r.name for r in rows}:  # a row the guide lists twice
                rows.append(row)
        if name in with_metadata:
            rows.extend(row for row in metadata if row.name not in {r.name for r in rows})
        found[name] = GuideRequestType(name, rows)
    return found
