"""E911 provisioning of DIDs and endpoints, and whitepages (411) directory listings.

Ids the account does not have answer the guide's "e911 Errors" codes
(`client_did_id_not_found`, ...) rather than `{parameter}_invalid`.
"""

from __future__ import annotations

from collections.abc import Sequence

from xmlengine.params.address import ADDRESS_TYPES, PostalCode, RegionCode
from xmlengine.params.addresses import Phone
from xmlengine.params.not_found import NotFoundRef
from xmlengine.params.paging import paging
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import one_of
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Int, Ref, Text, choice
from xmlengine.protocol.registry import Family

family = Family("e911")

# Letters (accents included), digits, space, dash and single quote (update_whitepages).
LISTING_WORDS = r"(?:[^\W_]|[ '\-])+"


def _did() -> NotFoundRef:
    return NotFoundRef(kind="did", stem="client_did_id")


def _endpoint() -> NotFoundRef:
    return NotFoundRef(kind="e911_endpoint", stem="client_endpoint_id")


def _peer() -> NotFoundRef:
    return NotFoundRef(kind="peer", stem="client_peer_id")


def _phone_number() -> Phone:
    return Phone(min_len=10, max_len=10)


class Address(Params):
    """The civic address of check_e911, update_e911 and update_whitepages.

    Erratum: the guide describes `state_id` as "a valid `country_id`"; it is a state id.
    """

    civic_number: int = p(Int(minimum=0), required=True)
    street: str = p(Text(1, 255), required=True)
    city: str = p(Text(1, 255), required=True)
    state_code: str | None = p(RegionCode(), conditional=True)
    state_id: int | None = p(StateId(), conditional=True)
    country_code: str | None = p(RegionCode(), conditional=True)
    country_id: int | None = p(CountryId(), conditional=True)
    postal_code: str = p(PostalCode(), required=True)
    address_type: str | None = p(choice(*ADDRESS_TYPES))
    address_type_number: str | None = p(Text(1, 32))

    rules = (
        one_of("state_id", "state_code"),
        one_of("country_id", "country_code"),
    )


@family.request_type(
    "get_e911", summary="Get the E911 provisioned status of a DID, or of all endpoints."
)
class GetE911(Params):
    # None of the three: every E911 endpoint; when several, client_endpoint_id wins.
    client_did_id: int | None = p(_did(), conditional=True)
    phone_number: str | None = p(_phone_number(), conditional=True)
    client_endpoint_id: int | None = p(_endpoint(), conditional=True)
    client_subaccount_id: int | None = subaccount_filter()
    result_limit, result_offset = paging(default=1000)


@family.request_type("check_e911", summary="Verify if an address is valid with the E911 service.")
class CheckE911(Address):
    phone_number: str | None = p(_phone_number())


@family.request_type("associate_e911", summary="Associate a peer to a provisioned DID.")
class AssociateE911(Params):
    client_did_id: int | None = p(_did(), conditional=True)
    phone_number: str | None = p(_phone_number(), conditional=True)
    client_endpoint_id: int | None = p(_endpoint(), conditional=True)
    client_peer_id: int = p(_peer(), required=True)

    rules = (one_of("client_did_id", "phone_number", "client_endpoint_id"),)


@family.request_type("disassociate_e911", summary="Disassociate a peer from a provisioned DID.")
class DisassociateE911(Params):
    client_peer_id: int = p(_peer(), required=True)


@family.request_type(
    "update_e911", summary="Update the provisioned address of a DID for the E911 service."
)
class UpdateE911(Address):
    phone_number: str = p(_phone_number(), required=True)
    first_name: str | None = p(Text(1, 32), deprecated=True)
    last_name: str | None = p(Text(1, 32), deprecated=True)
    full_name: str = p(Text(2, 32), required=True)
    # `language` is replaced by `e911_language`; both default to the account's language.
    language: str | None = p(choice("en", "fr"), deprecated=True)
    e911_language: str | None = p(choice("en", "fr"))
    rate_provider_id: int | None = p(Int(minimum=1))


@family.request_type(
    "delete_e911",
    summary="Delete the provisioned address of a DID and the peer associations using it.",
)
class DeleteE911(Params):
    # One is enough; client_endpoint_id wins when several are sent.
    client_did_id: int | None = p(_did(), conditional=True)
    phone_number: str | None = p(_phone_number(), conditional=True)
    client_endpoint_id: int | None = p(_endpoint(), conditional=True)

    rules = (one_of("client_did_id", "phone_number", "client_endpoint_id"),)


@family.request_type(
    "get_whitepages", summary="Get the whitepages (411) listings and their included services."
)
class GetWhitepages(Params):
    provision_status: list[str] | None = p(
        choice("pending", "activated", "rejected", "removed", many=True)
    )
    status: Sequence[str] = p(choice("enabled", "deleted", many=True), default=("enabled",))


@family.request_type(
    "update_whitepages", summary="Update the address of a whitepages (411) directory listing."
)
class UpdateWhitepages(Address):
    phone_number: str = p(_phone_number(), required=True)
    type: str = p(choice("business", "residential", "government"), required=True)
    # The guide: errors refer to these two as first_name and last_name.
    sort_word: str = p(Text(2, 30, LISTING_WORDS), required=True, code="first_name")
    sub_word: str = p(Text(2, 106, LISTING_WORDS), required=True, code="last_name")


@family.request_type("delete_whitepages", summary="Delete a whitepages (411) directory listing.")
class DeleteWhitepages(Params):
    # One is enough; client_411_listing_id wins when several are sent.
    client_did_id: int | None = p(_did(), conditional=True)
    phone_number: str | None = p(_phone_number(), conditional=True)
    client_411_listing_id: int | None = p(Ref(kind="whitepages_listing"), conditional=True)

    rules = (one_of("client_did_id", "phone_number", "client_411_listing_id"),)
