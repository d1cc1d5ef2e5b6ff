"""Errors are values carrying a code; an answer may carry several at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xmlengine.protocol.tree import El


@dataclass(frozen=True, slots=True)
class Message:
    """One `<message code="...">`: its text is the catalog's unless given (e.g. a new hash).

    `about` names what the request sent when the catalog words the code after it (the
    parameter a failed login was identified by)."""

    code: str
    text: str | None = None
    about: str = ""


class ApiError(Exception):
    """Refuses the request with one message per problem found; `retry_after` > 0: for
    that many seconds, whatever the request (the answer's `Retry-After`). `payload`: what
    a refusal shows beside its messages (check_e911's alternate addresses)."""

    def __init__(
        self,
        messages: Iterable[Message | str],
        *,
        retry_after: int = 0,
        payload: Sequence[El] = (),
    ) -> None:
        self.messages = [m if isinstance(m, Message) else Message(m) for m in messages]
        self.retry_after = retry_after
        self.payload = list(payload)
        super().__init__(", ".join(m.code for m in self.messages))

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.messages]


def fail(*codes: str) -> ApiError:
    return ApiError(codes)
