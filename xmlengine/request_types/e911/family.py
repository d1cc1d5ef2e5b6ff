"""The family the e911 and whitepages request types are declared in, and the ids and
numbers their tables share."""

from xmlengine.domain.sandbox.addresses import NAME_CODES, VALIDATION_CODES
from xmlengine.params.addresses import Phone
from xmlengine.params.not_found import NotFoundRef
from xmlengine.protocol.registry import Family

family = Family("e911")

# What the handlers answer beyond their parameters' codes: a number the account does not
# have or that has no endpoint; an address the 911 database refuses, a name it lacks.
NUMBER_ANSWERS = ("phone_number_not_found", "no_e911_endpoint_found")
ADDRESS_ANSWERS = ("phone_number_not_found", *VALIDATION_CODES, *NAME_CODES)


def did_ref() -> NotFoundRef:
    return NotFoundRef(kind="did", stem="client_did_id")


def endpoint_ref() -> NotFoundRef:
    return NotFoundRef(kind="e911_endpoint", stem="client_endpoint_id")


def peer_ref() -> NotFoundRef:
    return NotFoundRef(kind="peer", stem="client_peer_id")


def ten_digits() -> Phone:
    return Phone(min_len=10, max_len=10)
