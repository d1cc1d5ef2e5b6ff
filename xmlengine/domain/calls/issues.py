"""Issues reported on calls: the reference list of issue types, reporting and listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.media_tables import call_issues


@dataclass(frozen=True, slots=True)
class IssueType:
    issue_type_id: int
    name: str
    en: str
    fr: str

    def description(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


ISSUE_TYPES: tuple[IssueType, ...] = (
    IssueType(
        1,
        "one_way_audio",
        "One-way audio: only one party can hear the other.",
        "Audio unidirectionnel, une seule des parties entend l'autre.",
    ),
    IssueType(
        2, "no_audio", "No audio in either direction.", "Aucun son, dans un sens ni dans l'autre."
    ),
    IssueType(3, "choppy_audio", "Choppy or robotic audio.", "Son saccadé ou robotique."),
    IssueType(4, "echo", "Echo heard during the call.", "Écho entendu pendant l'appel."),
    IssueType(
        5,
        "dropped_call",
        "The call was cut off before either party hung up.",
        "L'appel a été coupé avant que l'une des parties raccroche.",
    ),
    IssueType(
        6,
        "wrong_callerid",
        "Wrong caller ID shown to the called party.",
        "Mauvais afficheur présenté à la personne appelée.",
    ),
    IssueType(
        7,
        "dtmf_not_detected",
        "DTMF tones (keypad digits) not detected.",
        "Tonalités DTMF (touches du clavier) non détectées.",
    ),
    IssueType(
        8,
        "fax_failure",
        "Fax transmission failed or was incomplete.",
        "La transmission de la télécopie a échoué ou est incomplète.",
    ),
    IssueType(
        9,
        "call_not_completed",
        "The call could not be completed (fast busy or error message).",
        "L'appel n'a pas pu être complété (signal occupé rapide ou message d'erreur).",
    ),
    IssueType(
        10,
        "static_noise",
        "Static or background noise on the line.",
        "Grésillement ou bruit de fond sur la ligne.",
    ),
    IssueType(
        11,
        "audio_delay",
        "Long delay (latency) in the conversation.",
        "Long délai (latence) dans la conversation.",
    ),
    IssueType(
        12,
        "post_dial_delay",
        "Long silence before the call started ringing.",
        "Long silence avant que l'appel commence à sonner.",
    ),
    IssueType(
        13,
        "wrong_destination",
        "The call reached the wrong destination.",
        "L'appel a abouti à la mauvaise destination.",
    ),
    IssueType(
        14,
        "billing_issue",
        "The billed duration or amount is wrong.",
        "La durée ou le montant facturé est erroné.",
    ),
    IssueType(
        15,
        "other",
        "Another issue, described in the comments.",
        "Un autre problème, décrit dans les commentaires.",
    ),
)
BY_ID = {issue.issue_type_id: issue for issue in ISSUE_TYPES}


def report(
    acct: AccountScope,
    *,
    call_hash: str,
    subaccount_id: int | None,
    issue_type_id: int,
    kayako_ticket_id: str,
    comments: str,
) -> int:
    key = acct.execute(
        acct.insert(call_issues).values(
            client_subaccount_id=subaccount_id,
            call_hash=call_hash,
            issue_type_id=issue_type_id,
            kayako_ticket_id=kayako_ticket_id,
            comments=comments,
            status="open",
            created_at=acct.clock.now(),
        )
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


def find(
    acct: AccountScope,
    *,
    call_issue_ids: Sequence[int] = (),
    call_hash: str | None = None,
    subaccount_id: int | None = None,
) -> list[Row[Any]]:
    """The account's reported issues matching every criterion, oldest first."""
    query = acct.select(call_issues).order_by(call_issues.c.call_issue_id)
    if call_issue_ids:
        query = query.where(call_issues.c.call_issue_id.in_(call_issue_ids))
    if call_hash:
        query = query.where(call_issues.c.call_hash == call_hash)
    if subaccount_id:
        query = query.where(call_issues.c.client_subaccount_id == subaccount_id)
    return list(acct.execute(query))
