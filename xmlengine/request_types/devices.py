"""Autoprovision: the catalog of SIP phone models, and the account's device endpoints.

A device endpoint is a phone of the catalog with the account's peers on its lines; its
provisioning file (domain/provisioning) is served at the `provisioning_url` its listing
shows. update_device_endpoint has no `preserve_missing_data`: every setting it omits is
reset to its default (none, `status` enabled); the URL's secret stays.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Row, func, select

from xmlengine.domain import device_endpoints as domain
from xmlengine.domain import subaccounts
from xmlengine.domain.provisioning import files
from xmlengine.params.addresses import Mac
from xmlengine.params.json_text import Json
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Bool, Int, Invalid, Ref, Text, choice
from xmlengine.protocol.entities import Entity, Field, local_datetime, number, optional_id, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, Node, listing
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.catalog_tables import devices
from xmlengine.storage.device_tables import device_endpoints

family = Family("devices")

# `1234|Mike Phone,5678|Barbara`: peer ids, each with an optional label.
PEER_IDS_WITH_LABELS = r"\d+(\|[^,|]{0,32})?(\s*,\s*\d+(\|[^,|]{0,32})?)*"


@family.request_type("get_devices", summary="Get all available autoprovision devices.")
class GetDevices(Params):
    make: str | None = p(Text(min_len=1, max_len=32))


@family.handler(GetDevices)
def get_devices(args: GetDevices, acct: AccountScope, show: Presentation) -> Reply:
    """`make` is matched without regard to case ("yealink" is Yealink)."""
    query = select(devices).order_by(devices.c.make, devices.c.device_id)
    if args.make is not None:
        query = query.where(func.lower(devices.c.make) == args.make.lower())
    rows = list(acct.execute(query))
    if args.make is not None and not rows:
        raise ApiError(["make_invalid"])
    items = [
        {
            "device_id": row.device_id,
            "make": row.make,
            "model": row.model,
            "lines": row.lines,
            "device_type": row.device_type,
            "supports_labels": row.supports_labels,
        }
        for row in rows
    ]
    return Reply([listing("devices", "device_details", items, result_count=len(items))])


def _given(name: str) -> Any:
    return lambda args: getattr(args, name)


def _one_zero(name: str) -> Field:
    """A "1" or "0" setting, "" when not given."""
    return Field(
        name,
        name,
        lambda v, _: "" if v is None else ("1" if v else "0"),
        _given(name),
    )


def _json_text(args: Params) -> str | None:
    value = getattr(args, "button_config", None)
    return None if value is None else json.dumps(value, separators=(",", ":"))


endpoints = Entity(
    "device_endpoint",
    table=device_endpoints,
    id="client_device_endpoint_id",
    listing=("device_endpoints", "device_endpoint_details"),
    fields=(
        text("friendly_name"),
        number("device_id"),
        text("device_name"),
        optional_id("client_extension_id"),
        optional_id("client_mailbox_id"),
        Field(
            "device_mac", "device_mac", lambda v, _: (v or "").upper(), store=_given("device_mac")
        ),
        text("serial_number"),
        text("timezone_id"),
        text("admin_password"),
        text("phone_password"),
        text("language"),
        _one_zero("is_time_format24h"),
        _one_zero("is_vlan_enabled"),
        number("vlan"),
        text("call_waiting"),
        text("call_forwarding"),
        Field("button_config", "button_config", store=_json_text),
        Field("status", "status", store=lambda args: getattr(args, "status", None) or "enabled"),
        text("comments"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
    ),
)


@family.request_type(
    "get_device_endpoints", summary="Get the account's autoprovisioned device endpoints."
)
class GetDeviceEndpoints(Params):
    client_device_endpoint_id: int | None = p(Ref(kind="device_endpoint"))
    client_subaccount_id: int | None = subaccount_filter()
    device_mac: str | None = p(Mac())
    device_id: int | None = p(Int(minimum=1))


@family.handler(GetDeviceEndpoints)
def get_device_endpoints(args: GetDeviceEndpoints, acct: AccountScope, show: Presentation) -> Reply:
    """Deleted endpoints are listed only when asked for by id."""
    column = device_endpoints.c
    where = [] if args.client_device_endpoint_id else [column.status != "deleted"]
    if args.device_mac:
        where.append(column.device_mac == args.device_mac)
    if args.device_id:
        where.append(column.device_id == args.device_id)
    if args.client_subaccount_id:
        ids = subaccounts.associated_ids(acct, args.client_subaccount_id, endpoints.kind)
        where.append(column.client_device_endpoint_id.in_(ids))
    rows = endpoints.rows(acct, *where, entity_id=args.client_device_endpoint_id)
    return Reply([_listing(acct, show, rows)])


def _listing(acct: AccountScope, show: Presentation, rows: Sequence[Row[Any]]) -> El:
    ids = [row.client_device_endpoint_id for row in rows]
    peers_of = domain.peer_lines(acct, ids)
    linked = subaccounts.subaccounts_of(acct, endpoints.kind, ids)
    models = {m.device_id: m for m in acct.execute(select(devices))}

    def extra(row: Row[Any]) -> list[Node]:
        endpoint_id, model = row.client_device_endpoint_id, models[row.device_id]
        path = files.path(endpoint_id, row.provisioning_secret, model.make, row.device_mac)
        return [
            El("client_subaccount_id", str(linked.get(endpoint_id, ""))),
            El("make", model.make),
            El("model", model.model),
            El("client_peer_ids", ",".join(line.text() for line in peers_of[endpoint_id])),
            El("provisioning_url", f"{show.base_url}{path}" if path else ""),
        ]

    return endpoints.listing(rows, show, extra=extra)


BUTTON_FIELDS = ("feature", "label", "line", "feature_value")


def _button(key: str, button: Any) -> bool:
    """`"1": {"feature": "presence", "label": ..., "line": "1", "feature_value": ...}`."""
    if not (key.isdigit() and int(key) >= 1 and isinstance(button, dict)):
        return False
    if set(button) - set(BUTTON_FIELDS) or not str(button.get("feature", "")).strip():
        return False
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in button.values()):
        return False
    return str(button.get("line", "1")).isdigit()


class ButtonConfig(Json):
    """The guide's example is the shape: button numbers, each a record of text fields."""

    def parse(self, raw: Any) -> Any:
        config = super().parse(raw)
        if not all(_button(key, button) for key, button in config.items()):
            raise Invalid
        return config


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class TimeZoneId(Text):
    """An IANA time zone name (`America/Montreal`)."""

    def parse(self, raw: Any) -> str:
        zone = super().parse(raw)
        if zone not in _zones():
            raise Invalid
        return zone


@family.request_type(
    "update_device_endpoint", summary="Create or update an autoprovisioned device endpoint."
)
class UpdateDeviceEndpoint(CreateOrUpdate):
    client_device_endpoint_id: int | None = updated_id(Ref(kind="device_endpoint"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    friendly_name: str | None = p(Text(min_len=2, max_len=32))
    device_id: int = p(Int(minimum=1), required=True)
    device_name: str | None = p(Text(max_len=64))
    client_peer_ids: str | None = p(Text(max_len=2000, pattern=PEER_IDS_WITH_LABELS))
    client_extension_id: int | None = p(Ref(kind="extension"), conditional=True)
    client_mailbox_id: int | None = p(Ref(kind="mailbox"), conditional=True)
    device_mac: str | None = p(Mac())
    serial_number: str | None = p(Text(max_len=64))
    timezone_id: str | None = p(TimeZoneId(max_len=64))
    admin_password: str | None = p(Text(max_len=64))
    phone_password: str | None = p(Text(max_len=64))
    language: str | None = p(choice("fr", "en"))
    is_time_format24h: bool | None = p(Bool())
    # Listed twice in the guide; WIRE.md keeps the first meaning, "1" or "0".
    is_vlan_enabled: bool | None = p(Bool())
    vlan: int | None = p(Int(minimum=1, maximum=4094))
    call_waiting: str | None = p(choice("active", "inactive"))
    call_forwarding: str | None = p(choice("allow", "disallow"))
    button_config: dict[str, dict[str, Any]] | None = p(ButtonConfig())
    status: str | None = p(choice("enabled", "disabled", "deleted"))
    comments: str | None = p(Anything())


@family.handler(UpdateDeviceEndpoint)
def update_device_endpoint(
    args: UpdateDeviceEndpoint, acct: AccountScope, show: Presentation
) -> Reply:
    model = domain.device(acct, args.device_id)
    if model is None:
        raise ApiError(["device_id_invalid"])
    lines = domain.parse_peer_lines(args.client_peer_ids)
    _check(acct, args, model, lines)
    secret: dict[str, Any] = (
        {"provisioning_secret": files.new_secret()} if args.mode == "create" else {}
    )
    saved = endpoints.save(acct, args, **secret)
    domain.replace_peer_lines(acct, saved, lines)
    subaccounts.associate(acct, endpoints.kind, saved, args.client_subaccount_id)
    return Reply([_listing(acct, show, endpoints.rows(acct, entity_id=saved))])


def _check(
    acct: AccountScope, args: UpdateDeviceEndpoint, model: Row[Any], lines: list[domain.PeerLine]
) -> None:
    """What the catalog model and the account's other endpoints allow, all reported at once."""
    errors = []
    if domain.peer_lines_refused(acct, model, lines):
        errors.append("client_peer_ids_invalid")
    buttons = (args.button_config or {}).values()
    if any(int(b.get("line", 1)) > max(domain.line_count(model), 1) for b in buttons):
        errors.append("button_config_invalid")
    if args.device_mac:  # one endpoint per phone in the account
        column = device_endpoints.c
        same = [column.device_mac == args.device_mac, column.status != "deleted"]
        if args.mode == "update":
            same.append(column.client_device_endpoint_id != args.client_device_endpoint_id)
        if endpoints.rows(acct, *same):
            errors.append("device_mac_invalid")
    if errors:
        raise ApiError(errors)


@family.request_type("delete_device_endpoint", summary="Delete an autoprovisioned device endpoint.")
class DeleteDeviceEndpoint(Params):
    client_device_endpoint_id: int = p(Ref(kind="device_endpoint"), required=True)


@family.handler(DeleteDeviceEndpoint)
def delete_device_endpoint(
    args: DeleteDeviceEndpoint, acct: AccountScope, show: Presentation
) -> Reply:
    domain.forget_endpoint(acct, args.client_device_endpoint_id)
    subaccounts.associate(acct, endpoints.kind, args.client_device_endpoint_id, None)
    if not endpoints.delete(acct, args.client_device_endpoint_id):
        raise ApiError(["client_device_endpoint_id_invalid"])
    return Reply()
