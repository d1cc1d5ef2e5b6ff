"""Number porting: the account's port requests, created, completed and sent to staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xmlengine.params.addresses import Email, Phone
from xmlengine.params.date_ranges import date_range
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.porting import PortRequestId
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import Condition, equals, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Anything,
    Bool,
    Date,
    Digits,
    Int,
    Ref,
    Text,
    Upload,
    choice,
)
from xmlengine.protocol.registry import Family

family = Family("porting")

STATUSES = (
    "not_ready",
    "sent_to_staff",
    "approved_by_staff",
    "rejected_by_staff",
    "rejected_by_client",
    "expired",
    "sent_to_provider",
    "cancelled_by_client",
    "tentative_confirm",
    "firm_confirm",
    "rejected_by_provider",
    "completed",
    "modified_by_staff",
)
CAPACITIES = ("1-2", "2-5", "5-10", "10-15", "15-25", "25-50", "50+")
STATE_COUNTRIES = (38, 223)  # Canada and the United States: states from the catalog


@family.request_type("get_port_requests", summary="Get the details of port requests.")
class GetPortRequests(Params):
    port_request_id: int | None = p(PortRequestId())
    client_subaccount_id: int | None = subaccount_filter()
    # Matched anywhere in the name, ignoring case and accents.
    current_owner: str | None = p(Text(1, 60))
    # A number being ported, not one kept or disconnected.
    phone_number: str | None = p(Phone())
    status: list[str] | None = p(choice(*STATUSES, many=True))
    # Both search the firm date, not the tentative or requested one.
    date_from, date_to = date_range()


# The port is being sent to staff: its fields become required.
sending = equals("send_to_staff", True)


def sending_with_country(in_catalog: bool) -> Condition:
    def condition(args: Params) -> bool:
        country: Any = getattr(args, "country_id", None)
        return sending(args) and country is not None and (country in STATE_COUNTRIES) == in_catalog

    country = STATE_COUNTRIES[0] if in_catalog else 1  # Canada, or Afghanistan
    kind = "has" if in_catalog else "has no"
    text = f"{sending.text} and `country_id` is a country that {kind} states in the catalog"
    return Condition(condition, {**sending.when, "country_id": country}, text)


@family.request_type("update_port_request", summary="Create or update a port request.")
class UpdatePortRequest(CreateOrUpdate, Metadata):
    port_request_id: int | None = updated_id(PortRequestId())
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str | None = p(Text(2, 60))
    phone_number_type: str | None = p(choice("local", "tollfree"), conditional=True)
    phone_numbers: list[str] | None = p(Phone(10, 10, many=True), conditional=True)
    phone_numbers_to_keep: list[str] | None = p(Phone(10, 10, many=True))
    phone_numbers_to_cancel: list[str] | None = p(Phone(10, 10, many=True))
    features: list[str] | None = p(choice("sms", "mms", "t38", many=True))
    capacity: list[str] | None = p(choice(*CAPACITIES, many=True), conditional=True)
    # Between 3 and 15 business days ahead; as soon as possible when absent.
    requested_firm_date: dt.date | None = p(Date())
    organization: str | None = p(Text(2, 60), conditional=True)
    organization_type: str | None = p(choice("personal", "business"), conditional=True)
    current_provider: str | None = p(Text(2, 60), conditional=True)
    current_reseller: str | None = p(Text(2, 60))
    current_reseller_account: str | None = p(Text(2, 60))
    box_number: str | None = p(Text(1, 20))
    civic_number: int | None = p(Int(minimum=0), conditional=True)
    street: str | None = p(Text(1, 255), conditional=True)
    unit_number: int | None = p(Int(minimum=0))
    city: str | None = p(Text(1, 255), conditional=True)
    country_id: int | None = p(CountryId(), conditional=True)
    state_id: int | None = p(StateId(), conditional=True)
    state_other: str | None = p(Text(1, 64), conditional=True)
    postal_code: str | None = p(
        Text(3, 12, pattern=r"[A-Za-z0-9][A-Za-z0-9 \-]*"), conditional=True
    )
    client_instructions: str | None = p(Anything())  # for the carrier
    # Open the ticket as soon as the port is sent to staff.
    is_notify_creation: bool = p(Bool(), default=False)
    # The user who receives the ticket's notifications.
    notification_client_user_id: str | None = p(Digits(4, 8), conditional=True)
    extra_recipients: list[str] | None = p(Email(many=True))
    loa: list[Any] | None = p(Upload())
    bill: list[Any] | None = p(Upload())
    other: list[Any] | None = p(Upload())
    send_to_staff: bool = p(Bool(), conditional=True, default=False)
    comments: str | None = p(Anything())
    rules = (
        *(
            required_if(name, sending)
            for name in (
                "phone_number_type",
                "phone_numbers",
                "capacity",
                "organization",
                "organization_type",
                "current_provider",
                "civic_number",
                "street",
                "city",
                "country_id",
                "postal_code",
                "notification_client_user_id",
            )
        ),
        required_if("state_id", sending_with_country(True)),
        required_if("state_other", sending_with_country(False)),
    )
