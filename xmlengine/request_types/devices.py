"""Autoprovision: the catalog of SIP phone models, and the account's device endpoints.

The device endpoints' parameter tables are declared here; their handlers come with the
endpoint storage (until then they answer `request_type_not_implemented`).
"""

from __future__ import annotations

from sqlalchemy import func, select

from xmlengine.params.addresses import Mac
from xmlengine.params.json_text import Json
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Bool, Int, Ref, Text, choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import listing
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.catalog_tables import devices

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


@family.request_type(
    "get_device_endpoints", summary="Get the account's autoprovisioned device endpoints."
)
class GetDeviceEndpoints(Params):
    client_device_endpoint_id: int | None = p(Ref(kind="device_endpoint"))
    client_subaccount_id: int | None = subaccount_filter()
    device_mac: str | None = p(Mac())
    device_id: int | None = p(Int(minimum=1))


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
    timezone_id: str | None = p(Text(max_len=64))
    admin_password: str | None = p(Text(max_len=64))
    phone_password: str | None = p(Text(max_len=64))
    language: str | None = p(choice("fr", "en"))
    is_time_format24h: bool | None = p(Bool())
    # Listed twice in the guide; WIRE.md keeps the first meaning, "1" or "0".
    is_vlan_enabled: bool | None = p(Bool())
    vlan: int | None = p(Int(minimum=1, maximum=4094))
    call_waiting: str | None = p(choice("active", "inactive"))
    call_forwarding: str | None = p(choice("allow", "disallow"))
    button_config: object = p(Json())
    status: str | None = p(choice("enabled", "disabled", "deleted"))
    comments: str | None = p(Anything())


@family.request_type("delete_device_endpoint", summary="Delete an autoprovisioned device endpoint.")
class DeleteDeviceEndpoint(Params):
    client_device_endpoint_id: int = p(Ref(kind="device_endpoint"), required=True)
