"""Where a declaration departs from the letter of the guide on purpose: one list.

Each entry is (request type, parameter, aspect) -> (what is declared instead, why), the
aspect being the need, the type, the default or the allowed values. WIRE.md's "Errata
in the guide" are the decisions of most entries; the others are slips of the guide that
its own text corrects. `test_guide_tables` compares everything else with the guide and
checks that every entry here is still needed.
"""

from __future__ import annotations

ASPECTS = ("need", "type", "default", "values")

_DISPATCH_RECORD = (
    "the arrays are optional because the deprecated source/destination fields are the "
    "alternative, but a record without type or value is meaningless: the guide's "
    "{stem}_type_required and {stem}_required say so"
)

DECIDED: dict[tuple[str, str, str], tuple[str, str]] = {
    # --- needs -------------------------------------------------------------------------
    ("get_dids", "usage_type", "need"): (
        "optional",
        "WIRE.md errata: a filter on get_dids; existing clients never send it",
    ),
    ("update_did", "usage_type", "need"): (
        "optional",
        "WIRE.md errata: a setting on update_did; existing clients never send it",
    ),
    ("get_call_issues", "call_hash", "need"): (
        "optional",
        "WIRE.md errata: both filters are optional ('default is NULL')",
    ),
    ("get_call_issues", "call_issue_id", "need"): (
        "optional",
        "WIRE.md errata: both filters are optional ('default is NULL')",
    ),
    **{
        ("dispatch_call", f"{array}[{name}]", "need"): (
            "required",
            _DISPATCH_RECORD.format(stem=array[:-1]),
        )
        for array in ("sources", "destinations")
        for name in ("type", "value")
    },
    # --- types -------------------------------------------------------------------------
    **{
        ("dispatch_call", f"{array}[type]", "type"): (
            "enum",
            "WIRE.md errata: typed integer, its values are 'number', 'peer' and 'uri'",
        )
        for array in ("sources", "destinations")
    },
    **{
        ("dispatch_call", f"{array}[value]", "type"): (
            "text",
            "the row of the type's erratum: typed integer, the value is a phone number, a "
            "peer username or a SIP URI as the type says",
        )
        for array in ("sources", "destinations")
    },
    ("update_sms_profile", "notify_name", "type"): (
        "text",
        "WIRE.md errata: typed integer, described as an alphanumeric string",
    ),
    ("update_did", "callerid_number_rewrite", "type"): (
        "text",
        "typed digits, but it 'also supports the symbol +': digits after an optional +",
    ),
    ("update_subaccount", "international_nip", "type"): (
        "a comma-separated list of NIPs of 6 to 8 digits each",
        "'a number between 6 and 8 character', more than one separated by commas: the "
        "lengths are each NIP's",
    ),
    ("update_mailbox_greeting", "attachments", "type"): (
        "file",
        "typed integer, described as 'a valid file' (mode post_file)",
    ),
    ("voicemail_broadcast", "destination_number", "type"): (
        "10 to 15 digits",
        "typed digits [10], described as 'a valid phone number of at least 10 digits'",
    ),
    # --- defaults ----------------------------------------------------------------------
    ("update_peer", "dnis_format", "default"): (
        "none",
        "'(default is auto)' is not one of its values ('national' or 'e164')",
    ),
    # --- allowed values ----------------------------------------------------------------
    ("update_schedule", "shift[status]", "values"): (
        "on, off",
        "WIRE.md errata: the guide lists 'one' and 'off'",
    ),
    ("get_calls", "routing_type", "values"): (
        "the call routing types, paypercall_origination included",
        "the guide's 'Routing types' list has paypercall_origination and calls hold it; the "
        "get_calls row leaves it out (a filter on it finds those calls)",
    ),
}


# Parameters declared beyond the guide's table: (request type, parameter) -> (need, why).
BEYOND: dict[tuple[str, str], tuple[str, str]] = {
    ("queue_sms", "attachment"): (
        "conditional",
        "WIRE.md (seen): real clients send an MMS as attachment=<URL>, one URL, instead of "
        "an uploaded file; either one, or a message, is required",
    ),
}
