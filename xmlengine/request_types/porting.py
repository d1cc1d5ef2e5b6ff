"""Number porting: the account's port requests, created, completed and sent to staff."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.sql.elements import ColumnElement

from xmlengine.domain import port_documents, port_progress
from xmlengine.domain.subaccounts import associate, associated_ids, subaccounts_of
from xmlengine.params.addresses import Email, Phone
from xmlengine.params.country_rules import WITH_STATES, address_rules
from xmlengine.params.date_ranges import date_range
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.porting import PortRequestId
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import equals, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Anything,
    Bool,
    Date,
    Digits,
    Hash,
    Int,
    Ref,
    Text,
    Upload,
    choice,
)
from xmlengine.protocol.entities import (
    Entity,
    Extra,
    Field,
    comma_list,
    local_datetime,
    metadata,
    number,
)
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, Node
from xmlengine.request_types.subaccounts import country_name, state_name
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.porting_tables import port_requests
from xmlengine.storage.tables import users

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
# What the client may still change: a draft, or a port refused that it fixes to send again.
EDITABLE = ("not_ready", "rejected_by_staff", "rejected_by_provider", "rejected_by_client")
DOWNLOADS = "port_documents"  # GET /api/v1.1/port_documents/{document_hash}.bin


def _blank(name: str) -> Field:
    """A text that an update omitting it resets to empty."""
    return Field(name, name, store=lambda args: getattr(args, name) or "")


def _date(value: dt.date | None, show: Presentation) -> str:
    return value.isoformat() if value else ""


def _arg(args: Params) -> Any:
    """The arguments of update_port_request, the only request its fields are stored from."""
    return args


def _flag(name: str) -> Field:
    return Field(name, name, lambda v, _: "1" if v else "0", lambda args: int(getattr(args, name)))


ports = Entity(
    "port_request",
    table=port_requests,
    id="port_request_id",
    listing=("port_requests", "port_request_details"),
    fields=(
        Field("pon", "port_request_id", lambda v, _: port_progress.pon(v)),
        _blank("friendly_name"),
        Field("status", "status"),
        _blank("phone_number_type"),
        comma_list("phone_numbers"),
        comma_list("phone_numbers_to_keep"),
        comma_list("phone_numbers_to_cancel"),
        comma_list("features"),
        comma_list("capacity"),
        Field(
            "requested_firm_date",
            "requested_firm_date",
            _date,
            lambda a: _arg(a).requested_firm_date,
        ),
        Field("firm_date", "firm_date", _date),
        _blank("organization"),
        _blank("organization_type"),
        _blank("current_provider"),
        _blank("current_reseller"),
        _blank("current_reseller_account"),
        _blank("box_number"),
        number("civic_number"),
        _blank("street"),
        number("unit_number"),
        _blank("city"),
        number("country_id"),
        Field("country", "country_id", country_name),
        Field("state_id", "state_id", store=lambda a: _arg(a).state_id if _with_state(a) else None),
        Field("state", "state_id", state_name, fallback="state_other"),
        Field(
            "state_other",
            "state_other",
            store=lambda a: "" if _with_state(a) else _arg(a).state_other or "",
        ),
        Field("postal_code", "postal_code", store=lambda a: (_arg(a).postal_code or "").upper()),
        _blank("client_instructions"),
        _flag("is_notify_creation"),
        _blank("notification_client_user_id"),
        comma_list("extra_recipients"),
        _blank("comments"),
        local_datetime("date_sent", "sent_at"),
        local_datetime("date_status", "status_at"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
        metadata(),
    ),
)

family.download(
    DOWNLOADS,
    hash=Hash(),
    formats={"bin": "application/octet-stream"},
    find=port_documents.document_file,
)


def _with_state(args: Params) -> bool:
    return getattr(args, "country_id", None) in WITH_STATES


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


@family.handler(GetPortRequests)
def get_port_requests(args: GetPortRequests, acct: AccountScope, show: Presentation) -> Reply:
    c = port_requests.c
    where: list[ColumnElement[bool]] = []
    if args.status:
        where.append(c.status.in_(args.status))
    if args.date_from:
        where.append(c.firm_date >= args.date_from)
    if args.date_to:
        where.append(c.firm_date <= args.date_to)
    if args.client_subaccount_id:
        ids = associated_ids(acct, args.client_subaccount_id, "port_request")
        where.append(c.port_request_id.in_(ids))
    rows = ports.rows(acct, *where, entity_id=args.port_request_id)
    owner = _folded(args.current_owner or "")
    number = (args.phone_number or "")[-10:]
    found = [
        row
        for row in rows
        if owner in _folded(row.organization)
        and (not number or number in port_progress.numbers(row))
    ]
    return Reply([ports.listing(found, show, extra=_extra(acct, show, found))])


def _folded(text: str) -> str:
    """Without case or accents: `current_owner` matches either way."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _extra(acct: AccountScope, show: Presentation, rows: Sequence[Row[Any]]) -> Extra:
    """Each port's subaccount and its documents, with where the API serves them."""
    ids = [row.port_request_id for row in rows]
    owners = subaccounts_of(acct, "port_request", ids)
    files = {(d.port_request_id, d.kind): d for d in port_documents.documents(acct, ids)}
    base = f"{show.base_url}/api/v1.1/{DOWNLOADS}"

    def extra(row: Row[Any]) -> list[Node]:
        found: list[Node] = [El("client_subaccount_id", str(owners.get(row.port_request_id, 0)))]
        for kind in port_documents.KINDS:
            document = files.get((row.port_request_id, kind))
            name = document.filename if document else ""
            url = f"{base}/{document.document_hash}.bin" if document else ""
            found += [El(f"{kind}_filename", name), El(f"{kind}_download_url", url)]
        return found

    return extra


# The port is being sent to staff: its fields become required.
sending = equals("send_to_staff", True)


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
        address_rules,
    )


@family.handler(UpdatePortRequest)
def update_port_request(args: UpdatePortRequest, acct: AccountScope, show: Presentation) -> Reply:
    """Every field is replaced by the given value or its default; documents and metadata
    are kept unless sent. A port the sandbox is working on cannot be changed."""
    if args.mode == "update":
        current = ports.find(acct, args.port_request_id or 0)
        if current is None or current.status not in EDITABLE:
            raise ApiError(["port_request_id_invalid"])
    uploads = {kind: getattr(args, kind) for kind in port_documents.KINDS}
    contents, refused = port_documents.read(uploads)
    refused += [code for check, code in CHECKS if not check(args, acct)]
    if refused:
        raise ApiError(refused)
    now = acct.clock.now()
    port_id = ports.save(acct, args, status="not_ready", status_at=now)
    subaccount_id = args.client_subaccount_id or None
    associate(acct, "port_request", port_id, subaccount_id)
    port_documents.store(acct, port_id, contents, subaccount_id=subaccount_id)
    if args.send_to_staff:
        port_progress.send(acct, port_id)
    found = ports.rows(acct, entity_id=port_id)
    return Reply([ports.listing(found, show, extra=_extra(acct, show, found))])


def _firm_date_allowed(args: UpdatePortRequest, acct: AccountScope) -> bool:
    day = args.requested_firm_date
    return day is None or port_progress.firm_date_allowed(acct.today(), day)


def _user_of_account(args: UpdatePortRequest, acct: AccountScope) -> bool:
    user_id = args.notification_client_user_id
    if not user_id:
        return True
    query = acct.select(users, users.c.client_user_id).where(users.c.client_user_id == int(user_id))
    return acct.execute(query).first() is not None


# Checks that need the account: the business days of its zone, its users.
CHECKS: tuple[tuple[Callable[[UpdatePortRequest, AccountScope], bool], str], ...] = (
    (_firm_date_allowed, "requested_firm_date_invalid"),
    (_user_of_account, "notification_client_user_id_invalid"),
)
