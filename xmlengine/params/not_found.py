"""Ids whose absence from the account has its own code in the guide.

The e911 request types answer `client_did_id_not_found`, `client_peer_id_not_found` and
`client_endpoint_id_not_found` (guide, "e911 Errors") where every other family answers
`{parameter}_invalid`; a value that is not an id at all is still `{parameter}_invalid`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xmlengine.params.types import Invalid, Ref


@dataclass
class NotFoundRef(Ref):
    """`stem` is the parameter's error-code stem (`client_did_id`)."""

    stem: str = ""

    def __post_init__(self) -> None:
        # The pipeline reports a failed account check with the type's `invalid_code`.
        self.invalid_code = f"{self.stem}_not_found"

    def parse(self, raw: Any) -> int | list[int]:
        try:
            return super().parse(raw)
        except Invalid:
            raise Invalid(f"{self.stem}_invalid") from None

    def error_codes(self, invalid_code: str) -> tuple[str, ...]:
        return (f"{self.stem}_invalid", invalid_code)
