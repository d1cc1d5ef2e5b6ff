"""Peers: the SIP accounts and trunks of the account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xmlengine.params.addresses import Ip, Phone, Port, Url
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import Condition, equals, in_mode, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Bool,
    Int,
    Owner,
    Ref,
    Text,
    choice,
)
from xmlengine.protocol.registry import Family
from xmlengine.storage.account_scope import own
from xmlengine.storage.did_tables import peers

family = Family("peers")

# The sandbox's peer is one already; its request types are not built yet.
own("peer", peers, "client_peer_id")

CODECS = ("g729", "ulaw", "alaw", "g726", "gsm", "ilbc")
NOTIFY_TRIGGERS = ("on_create", "on_ring", "on_answer", "on_hangup", "on_test", "on_record")
# `provisioned_endpoint_id` values that are settings rather than a device endpoint.
ENDPOINT_SETTINGS = {0: "default", 1: "dynamic", 2: "block", 3: "unprovisioned"}

PEER_USERNAME = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"


@dataclass
class ProvisionedEndpoint(Ref):
    """A device endpoint of the account, or one of the guide's settings 0 to 3."""

    kind: str | None = "device_endpoint"

    def check(self, value: Any, owner: Owner) -> bool:
        return value in ENDPOINT_SETTINGS or super().check(value, owner)


@family.request_type("get_peers", summary="Get the details of one peer or of all of them.")
class GetPeers(Params):
    client_peer_id: int | None = p(Ref(kind="peer"))
    client_channel_id: int | None = p(Ref(kind="channel"))
    client_subaccount_id: int | None = subaccount_filter()


def _creating_without_username(args: Params) -> bool:
    """`peer_username` is needed to create a peer, unless the deprecated `username` is sent."""
    return in_mode("create")(args) and not args.sent("username")


creating_without_username = Condition(
    _creating_without_username,
    {"mode": "create"},
    "`mode` is `create` and the deprecated `username` is not sent",
)


@family.request_type("update_peer", summary="Create a peer or update its configuration.")
class UpdatePeer(CreateOrUpdate, Metadata):
    client_peer_id: int | None = updated_id(Ref(kind="peer"))
    proxy_id: int | None = p(Int(minimum=1), conditional=True)  # create only
    friendly_name: str = p(Text(2, 32), required=True)
    host_type: str = p(choice("dynamic", "static"), required=True)
    host: str | None = p(Ip())
    port: int | None = p(Port())
    peer_username: str | None = p(Text(6, 32, PEER_USERNAME), conditional=True)  # create only
    username: str | None = p(Text(6, 32, PEER_USERNAME), deprecated=True)
    password: str | None = p(Text(6, 32, r"\S+"))
    callerid_name: str | None = p(Text(3, 15))
    callerid_number: str | None = p(Phone(min_len=10, max_len=10))
    callerid_mode: str = p(choice("global", "privacy", "custom", "device", "smart"), required=True)
    callerid_type: str | None = p(choice("rpid", "pid", "none"), conditional=True)
    callerid_format: str | None = p(choice("e164", "unaltered", "national"), conditional=True)
    client_callerid_profile_id: int | None = p(Ref(kind="callerid_profile"), conditional=True)
    # The guide's "Update Peer" errors name the peer protocol `type` (type_invalid).
    transport: str | None = p(choice("udp", "tcp", "tls"), conditional=True, code="type")
    codecs: list[str] | None = p(choice(*CODECS, many=True), conditional=True)
    dtmf_mode: str | None = p(
        choice("rfc2833", "inband", "info", "auto"), conditional=True, code="dtmf"
    )
    dnis_mode: str = p(choice("auto", "forced", "disabled"), conditional=True, default="auto")
    # The guide says "(default is auto)", which is not one of the values: no default.
    dnis_format: str | None = p(choice("national", "e164"), conditional=True)
    force_ring_signal: bool = p(Bool(), default=False)
    enable_nat: bool = p(Bool(), default=False)
    enable_reinvite: bool = p(Bool(), default=False)
    enable_recording: bool = p(Bool(), default=False)
    ondemand_recording: bool = p(Bool(), default=False)
    enable_dnis: bool = p(Bool(), deprecated=True, default=False)  # 1 sets dnis_mode "forced"
    enable_notification: bool = p(Bool(), default=False)
    simultaneous_calls_limit: int | None = p(Int(0, 255))
    enable_auth: bool = p(Bool(), default=False)
    auth_username: str | None = p(Text(3, 32, PEER_USERNAME))
    enable_qualify: bool = p(Bool(), default=False)
    qualify: int | None = p(Int(2000, 60000))
    default_ip: str | None = p(Ip())
    client_channel_id: int = p(Ref(kind="channel"), default=0)
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    client_filter_ids: list[int] | None = p(Ref(kind="filter", many=True))
    enable_notify_callback: bool = p(Bool(), default=False)
    notify_callback_triggers: list[str] | None = p(choice(*NOTIFY_TRIGGERS, many=True))
    notify_callback_url: str | None = p(Url())
    register_timeout: int | None = p(Int(120, 7200))  # create only
    progress_timeout: int | None = p(Int(1, 10), conditional=True)  # create only
    provisioned_endpoint_id: int | None = p(ProvisionedEndpoint())
    status: str | None = p(choice("enabled", "disabled"), conditional=True)
    comments: str | None = p(Text(max_len=1000))

    rules = (
        required_if("proxy_id", in_mode("create")),
        required_if("peer_username", creating_without_username),
        required_if("progress_timeout", in_mode("create")),
        required_if("callerid_type", in_mode("update")),
        required_if("callerid_format", in_mode("update")),
        required_if("client_callerid_profile_id", equals("callerid_mode", "smart")),
        required_if("transport", equals("host_type", "static"), code="type_required"),
        required_if("codecs", in_mode("update")),
        required_if("dtmf_mode", in_mode("update"), code="dtmf_required"),
        required_if("dnis_mode", in_mode("update")),
        required_if("dnis_format", in_mode("update")),
        required_if("qualify", equals("enable_qualify", True)),  # the guide's qualify_required
        required_if("status", in_mode("update")),
    )


@family.request_type("delete_peer", summary="Delete a peer from your account.")
class DeletePeer(Params):
    client_peer_id: int = p(Ref(kind="peer"), required=True)
