"""3CX servers hosted or managed for the account: licence, backups, monitoring.

update_3cx_server has no `preserve_missing_data`: every setting it omits is reset to
its default (the guide's, else none; `status` enabled).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func

from xmlengine.domain import subaccounts
from xmlengine.params.addresses import Email, Port
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import Case, Declared, equals, has_option, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Date, Int, Ref, Text, choice
from xmlengine.protocol.entities import Entity, Field, comma_list, local_datetime, number, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, Node
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.pbx3cx_tables import pbx3cx_servers

family = Family("pbx3cx")

FQDN = r"(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
LICENSE_KEY = r"[A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3}"
SECRET = r"\S+"
LEVELS = ("1", "2", "3")
OPTIONS = (
    "sync_calls",
    "sync_recording_media",
    "sync_voicemail_media",
    "backup_includes_voicemails",
    "sync_backups",
    "backup_includes_templates",
    "encrypt_backup",
    "auto_renew_ssl",
)
# The options, and enabled monitoring, that work through a connection to the server.
NEED_CONNECTION = (
    "sync_calls",
    "sync_recording_media",
    "sync_voicemail_media",
    "sync_backups",
    "auto_renew_ssl",
)
PERIODS = ("1_day", "3_day", "1_week", "2_week", "1_month", "3_month")
CALL_RETENTION = (
    "none",
    "1_week",
    "1_month",
    "3_month",
    "6_month",
    "1_year",
    "2_year",
    "3_year",
    "5_year",
    "8_year",
    "10_year",
)
MONITORING = (
    "system",
    "trunks",
    "services",
    "callflows",
    "sip_test",
    "call_test",
    "system_additional",
    "voicemail",
    "backup",
    "ssl",
)
SIMULTANEOUS_CALLS = (
    "4",
    "8",
    "16",
    "24",
    "32",
    "48",
    "64",
    "96",
    "128",
    "192",
    "256",
    "512",
    "1024",
)


def _one_zero(name: str) -> Field:
    return Field(name, name, lambda v, _: "1" if v else "0", lambda args: getattr(args, name))


servers = Entity(
    "pbx3cx_server",
    table=pbx3cx_servers,
    id="pbx3cx_server_id",
    listing=("pbx3cx_servers", "pbx3cx_server_details"),
    fields=(
        text("friendly_name"),
        number("server_port"),
        text("level"),
        text("server_fqdn"),
        _one_zero("is_connection_allowed"),
        text("server_name"),
        text("server_password"),
        _one_zero("enable_fetch_license_expiration"),
        text("license_key"),
        Field(
            "license_expiration",
            "license_expiration",
            lambda v, _: v.isoformat() if v else "",
            lambda args: getattr(args, "license_expiration", None),
        ),
        text("product_edition"),
        text("product_simultaneous_calls"),
        comma_list("options"),
        text("encrypt_backup_password"),
        text("backup_frequency"),
        text("backup_retention"),
        text("call_retention"),
        text("dns_service"),
        text("auth_type"),
        text("auth_id"),
        text("auth_password"),
        text("certificate_token"),
        text("monitoring_status"),
        comma_list("subscribed_monitoring"),
        text("alert_status"),
        comma_list("subscribed_alerts"),
        comma_list("alert_recipients"),
        Field("status", "status", store=lambda args: getattr(args, "status", None) or "enabled"),
        text("comments"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
    ),
)


def _listing(acct: AccountScope, show: Presentation, rows: Sequence[Row[Any]]) -> El:
    ids = [row.pbx3cx_server_id for row in rows]
    linked = subaccounts.subaccounts_of(acct, servers.kind, ids)

    def extra(row: Row[Any]) -> list[Node]:
        return [El("client_subaccount_id", str(linked.get(row.pbx3cx_server_id, "")))]

    return servers.listing(rows, show, extra=extra)


@family.request_type(
    "get_3cx_servers", summary="Get the details of one 3CX server or of all of them."
)
class Get3cxServers(Params):
    pbx3cx_server_id: int | None = p(Ref(kind="pbx3cx_server"))
    client_subaccount_id: int | None = subaccount_filter()
    friendly_name: str | None = p(Text(1, 255))
    server_fqdn: str | None = p(Text(1, 255))
    license_key: str | None = p(Text(1, 255))
    level: int | None = p(Int(1, 3))


@family.handler(Get3cxServers)
def get_3cx_servers(args: Get3cxServers, acct: AccountScope, show: Presentation) -> Reply:
    """The text filters match the whole value, without regard to case; deleted servers are
    listed only when asked for by id."""
    column = pbx3cx_servers.c
    where = [] if args.pbx3cx_server_id else [column.status != "deleted"]
    for name in ("friendly_name", "server_fqdn", "license_key"):
        wanted = getattr(args, name)
        if wanted is not None:
            where.append(func.lower(column[name]) == wanted.lower())
    if args.level is not None:
        where.append(column.level == str(args.level))
    if args.client_subaccount_id:
        ids = subaccounts.associated_ids(acct, args.client_subaccount_id, servers.kind)
        where.append(column.pbx3cx_server_id.in_(ids))
    rows = servers.rows(acct, *where, entity_id=args.pbx3cx_server_id)
    return Reply([_listing(acct, show, rows)])


def _connection_needed(args: Params) -> list[str]:
    """`is_connection_allowed` must be 1 for the syncing options and for monitoring."""
    options = getattr(args, "options", None) or ()
    needed = any(o in NEED_CONNECTION for o in options)
    needed = needed or getattr(args, "monitoring_status", None) == "enabled"
    if not needed or getattr(args, "is_connection_allowed", False):
        return []
    if "is_connection_allowed" in args.parsed.failed:  # its own error says enough
        return []
    return ["is_connection_allowed_required"]


def _alerts_unmonitored(args: Params) -> list[str]:
    """An alert needs its service in `subscribed_monitoring` ("connectivity" is always one)."""
    alerts = getattr(args, "subscribed_alerts", None) or ()
    monitored = {"connectivity", *(getattr(args, "subscribed_monitoring", None) or ())}
    return ["subscribed_alerts_invalid"] if set(alerts) - monitored else []


alerts_monitored = Declared(
    "alerts_monitored",
    ("subscribed_alerts", "subscribed_monitoring"),
    ("subscribed_alerts_invalid",),
    _alerts_unmonitored,
    (
        Case({"subscribed_alerts": ["trunks"]}, ("subscribed_alerts_invalid",)),
        Case(
            {"subscribed_alerts": ["trunks"], "subscribed_monitoring": ["system"]},
            ("subscribed_alerts_invalid",),
        ),
        Case(
            {"subscribed_alerts": ["connectivity", "trunks"], "subscribed_monitoring": ["trunks"]}
        ),
    ),
    "Each alert in `subscribed_alerts` needs its service in `subscribed_monitoring` "
    "(connectivity is always monitored).",
)


connection_needed = Declared(
    "connection_needed",
    ("is_connection_allowed", "options", "monitoring_status"),
    ("is_connection_allowed_required",),
    _connection_needed,
    (
        Case({"options": [NEED_CONNECTION[0]]}, ("is_connection_allowed_required",)),
        Case({"monitoring_status": "enabled"}, ("is_connection_allowed_required",)),
        Case({"options": [NEED_CONNECTION[0]], "is_connection_allowed": True}),
        Case({"monitoring_status": "disabled"}),
    ),
    "`is_connection_allowed` is `1` for the syncing options and when monitoring is enabled.",
)


@family.request_type("update_3cx_server", summary="Create or update a 3CX server.")
class Update3cxServer(CreateOrUpdate):
    pbx3cx_server_id: int | None = updated_id(Ref(kind="pbx3cx_server"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    friendly_name: str = p(Text(2, 32), required=True)
    server_port: int = p(Port(), default=443)
    level: str | None = p(choice(*LEVELS))
    server_fqdn: str | None = p(Text(4, 253, FQDN))
    # 1: connect with server_name and server_password (sync, backups, SSL, monitoring).
    is_connection_allowed: bool = p(Bool(), default=False)
    server_name: str | None = p(Text(1, 255, SECRET), conditional=True)
    server_password: str | None = p(Text(1, 255, SECRET), conditional=True)
    enable_fetch_license_expiration: bool = p(Bool(), default=False)
    license_key: str | None = p(Text(19, 19, LICENSE_KEY))
    license_expiration: dt.date | None = p(Date())
    product_edition: str | None = p(choice("Professional", "Standard", "Enterprise", "Startup"))
    product_simultaneous_calls: str | None = p(choice(*SIMULTANEOUS_CALLS))
    options: list[str] | None = p(choice(*OPTIONS, many=True))
    encrypt_backup_password: str | None = p(Text(1, 255, SECRET), conditional=True)
    backup_frequency: str = p(choice(*PERIODS), default="3_day")
    backup_retention: str = p(choice("none", *PERIODS), default="3_day")
    call_retention: str = p(choice(*CALL_RETENTION), default="3_year")
    dns_service: str | None = p(choice("dns_cloudns", "dns_cf"))
    auth_type: str | None = p(choice("account", "subaccount"))  # dns_cloudns
    auth_id: str | None = p(Text(1, 255, SECRET))  # dns_cloudns
    auth_password: str | None = p(Text(1, 255, SECRET))  # dns_cloudns
    certificate_token: str | None = p(Text(1, 255, SECRET))  # dns_cf
    monitoring_status: str | None = p(choice("enabled", "disabled"))
    subscribed_monitoring: list[str] | None = p(choice(*MONITORING, many=True))
    alert_status: str | None = p(choice("enabled", "disabled"))
    subscribed_alerts: list[str] | None = p(choice("connectivity", *MONITORING, many=True))
    alert_recipients: list[str] | None = p(Email(many=True))
    status: str | None = p(choice("enabled", "disabled", "deleted"))
    comments: str | None = p(Text(max_len=1000))

    rules = (
        required_if("server_name", equals("is_connection_allowed", True)),
        required_if("server_password", equals("is_connection_allowed", True)),
        required_if("encrypt_backup_password", has_option("encrypt_backup")),
        required_if("auth_type", equals("dns_service", "dns_cloudns")),
        required_if("auth_id", equals("dns_service", "dns_cloudns")),
        required_if("auth_password", equals("dns_service", "dns_cloudns")),
        required_if("certificate_token", equals("dns_service", "dns_cf")),
        connection_needed,
        alerts_monitored,
    )


@family.handler(Update3cxServer)
def update_3cx_server(args: Update3cxServer, acct: AccountScope, show: Presentation) -> Reply:
    saved = servers.save(acct, args)
    subaccounts.associate(acct, servers.kind, saved, args.client_subaccount_id)
    return Reply([_listing(acct, show, servers.rows(acct, entity_id=saved))])


@family.request_type("delete_3cx_server", summary="Delete a 3CX server from your account.")
class Delete3cxServer(Params):
    pbx3cx_server_id: int = p(Ref(kind="pbx3cx_server"), required=True)


@family.handler(Delete3cxServer)
def delete_3cx_server(args: Delete3cxServer, acct: AccountScope, show: Presentation) -> Reply:
    subaccounts.associate(acct, servers.kind, args.pbx3cx_server_id, None)
    if not servers.delete(acct, args.pbx3cx_server_id):
        raise ApiError(["pbx3cx_server_id_invalid"])
    return Reply()
