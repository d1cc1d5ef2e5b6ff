"""Peers: the SIP accounts and trunks of the account (docs/pbx/peers.md).

The sandbox's peer is one of them. The settings the call notifications read
(`enable_notify_callback`, `notify_callback_url`, `notify_callback_triggers`,
`enable_recording`) drive the sandbox calls' webhooks (domain/calls/notify.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from sqlalchemy import Row

from xmlengine.config import Settings
from xmlengine.domain.peers import creation_problems, did_dependency, new_password
from xmlengine.domain.subaccounts import associate, associated_ids
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
from xmlengine.protocol.entities import (
    KEEP,
    Entity,
    Extra,
    Field,
    local_datetime,
    metadata,
    optional_id,
    text,
)
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, InScope, Reply
from xmlengine.protocol.tree import El
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.account_tables import subaccount_associations
from xmlengine.storage.peer_tables import peers
from xmlengine.work.on_test import test_hit
from xmlengine.work.signing import signing_secret

family = Family("peers")

CODECS = ("g729", "ulaw", "alaw", "g726", "gsm", "ilbc")
NOTIFY_TRIGGERS = ("on_create", "on_ring", "on_answer", "on_hangup", "on_test", "on_record")
# `provisioned_endpoint_id` values that are settings rather than an E911 endpoint.
ENDPOINT_SETTINGS = {0: "default", 1: "dynamic", 2: "block", 3: "unprovisioned"}

PEER_USERNAME = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"


@dataclass
class ProvisionedEndpoint(Ref):
    """An E911 endpoint of the account (its 911 calls present that address), or one of
    the guide's settings 0 to 3."""

    kind: str | None = "e911_endpoint"

    def check(self, value: Any, owner: Owner) -> bool:
        return value in ENDPOINT_SETTINGS or super().check(value, owner)


@family.request_type("get_peers", summary="Get the details of one peer or of all of them.")
class GetPeers(Params):
    client_peer_id: int | None = p(Ref(kind="peer"))
    client_channel_id: int | None = p(Ref(kind="channel"))
    client_subaccount_id: int | None = subaccount_filter()


def _creating_without_username(args: Params) -> bool:
    """`peer_username` is needed to create a peer, unless the deprecated `username` is sent
    (on v1.0 only: see `UpdatePeer.parse`)."""
    return in_mode("create")(args) and not args.sent("username")


creating_without_username = Condition(
    _creating_without_username,
    {"mode": "create"},
    "`mode` is `create` and the deprecated `username` is not sent",
)


@family.request_type(
    "update_peer",
    summary="Create a peer or update its configuration.",
    answers=("peer_did_dependency", "peer_exist", "peers_limit_reached"),
)
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

    @classmethod
    def parse(cls, raw: Mapping[str, Any], *, generation: str = "v1.1") -> tuple[Self, list[str]]:
        """On v1.1 `username` is the login (WIRE.md), never the deprecated peer username: a
        client logging in by username would otherwise name every new peer after itself."""
        if generation != "v1.0":
            raw = {name: value for name, value in raw.items() if name != "username"}
        return super().parse(raw, generation=generation)


@family.request_type(
    "delete_peer", summary="Delete a peer from your account.", answers=("peer_did_dependency",)
)
class DeletePeer(Params):
    client_peer_id: int = p(Ref(kind="peer"), required=True)


# --- the entity, as get_peers shows it -------------------------------------------------

_NOT_GIVEN: tuple[Any, ...] = ("", None, [])


def _setting(name: str, column: str = "", *, default: Any = "") -> Field:
    """A setting: an omitted one is reset to its default (no `preserve_missing_data`)."""
    return Field(name, column or name, store=lambda args: _or(getattr(args, name), default))


def _or(value: Any, default: Any) -> Any:
    return default if value in _NOT_GIVEN else value


def _created_with(name: str) -> Field:
    """Only available on mode `create` (the guide): an update keeps it."""
    return Field(name, name, store=lambda args: _created(args, getattr(args, name)))


def _created(args: Params, value: Any) -> Any:
    return value if getattr(args, "mode", "update") == "create" else KEEP


def _flag(name: str) -> Field:
    """Shown as the guide's 1 or 0, as it is sent."""
    return Field(name, name, lambda v, _: "1" if v else "0", lambda args: bool(getattr(args, name)))


def _listed(name: str, *, default: str = "") -> Field:
    """A list kept as the guide's comma-separated text."""
    return Field(name, name, store=lambda a: ",".join(map(str, getattr(a, name) or ())) or default)


def _peer_username(args: Any) -> Any:
    return _created(args, args.peer_username or args.username)


def _password(args: Any) -> Any:
    """Kept when omitted: resetting a SIP secret would unregister the peer's phones."""
    return args.password or KEEP


def _dnis_mode(args: Any) -> Any:
    """The deprecated `enable_dnis` "will set the dnis_mode at forced"."""
    return "forced" if args.enable_dnis and not args.given("dnis_mode") else args.dnis_mode


peer_entity = Entity(
    "peer",
    table=peers,
    id="client_peer_id",
    listing=("peers", "peer_details"),
    fields=(
        text("friendly_name"),
        _created_with("proxy_id"),
        text("host_type"),
        _setting("host"),
        _setting("port", default=None),
        Field("peer_username", "username", store=_peer_username),
        Field("password", "password", store=_password),
        _setting("callerid_name"),
        _setting("callerid_number"),
        text("callerid_mode"),
        _setting("callerid_type", default="rpid"),
        _setting("callerid_format", default="unaltered"),
        optional_id("client_callerid_profile_id"),
        _setting("transport", default="udp"),
        _listed("codecs", default="ulaw,alaw,g729"),
        _setting("dtmf_mode", default="auto"),
        Field("dnis_mode", "dnis_mode", store=_dnis_mode, params=("dnis_mode", "enable_dnis")),
        _setting("dnis_format", default="national"),
        *map(_flag, ("force_ring_signal", "enable_nat", "enable_reinvite", "enable_recording")),
        *map(_flag, ("ondemand_recording", "enable_notification")),
        _setting("simultaneous_calls_limit", default=None),
        _flag("enable_auth"),
        _setting("auth_username"),
        _flag("enable_qualify"),
        _setting("qualify", default=None),
        _setting("default_ip"),
        optional_id("client_channel_id"),
        _listed("client_filter_ids"),
        _flag("enable_notify_callback"),
        _listed("notify_callback_triggers"),
        _setting("notify_callback_url"),
        _created_with("register_timeout"),
        _created_with("progress_timeout"),
        _setting("provisioned_endpoint_id", default=0),
        _setting("status", default="enabled"),
        _setting("comments"),
        metadata(),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at", fallback="created_at"),
    ),
)


def _subaccounts(acct: AccountScope) -> Extra:
    """Each peer's `client_subaccount_id`, from the subaccount associations."""
    assoc = subaccount_associations
    query = acct.select(assoc, assoc.c.entity_id, assoc.c.client_subaccount_id)
    rows = acct.execute(query.where(assoc.c.kind == "peer"))
    owners = {int(row.entity_id): str(row.client_subaccount_id) for row in rows}
    return lambda row: [El("client_subaccount_id", owners.get(row.client_peer_id, "0"))]


def _answer(acct: AccountScope, show: Presentation, rows: list[Row[Any]]) -> Reply:
    return Reply([peer_entity.listing(rows, show, extra=_subaccounts(acct))])


@family.handler(GetPeers)
def get_peers(args: GetPeers, acct: AccountScope, show: Presentation) -> Reply:
    c = peers.c
    where = []
    if args.client_channel_id:
        where.append(c.client_channel_id == args.client_channel_id)
    if args.client_subaccount_id:
        where.append(c.client_peer_id.in_(associated_ids(acct, args.client_subaccount_id, "peer")))
    return _answer(acct, show, peer_entity.rows(acct, *where, entity_id=args.client_peer_id))


@family.before(UpdatePeer)
async def test_notify_callback_url(args: UpdatePeer, in_scope: InScope, settings: Settings) -> None:
    """A changed `notify_callback_url` gets the `on_test` hit before the update's
    transaction, so that no database work waits on the network (docs/pbx/peers.md)."""
    url = args.notify_callback_url
    if not url:
        return
    stored, secret = await in_scope(lambda acct: (_stored_url(acct, args), signing_secret(acct)))
    if stored is None or stored == url:  # None: an id the transaction refuses
        return
    fields = {"client_peer_id": args.client_peer_id if args.mode == "update" else ""}
    if not await test_hit(url, settings, secret=secret, fields=fields):
        raise ApiError(["notify_callback_url_invalid"])


def _stored_url(acct: AccountScope, args: UpdatePeer) -> str | None:
    if args.mode == "create":
        return ""
    row = peer_entity.find(acct, args.client_peer_id or 0)
    return None if row is None else str(row.notify_callback_url)


@family.handler(UpdatePeer)
def update_peer(args: UpdatePeer, acct: AccountScope, show: Presentation) -> Reply:
    creating = args.mode == "create"
    if creating:
        username = args.peer_username or args.username or ""
        problems = creation_problems(acct, username=username, proxy_id=args.proxy_id)
    else:  # "You cannot disable this peer because it is associated to a DID number."
        disabling = args.status == "disabled" and args.client_peer_id
        problems = did_dependency(acct, args.client_peer_id or 0) if disabling else []
    if problems:
        raise ApiError(problems)
    secret: dict[str, Any] = {"password": args.password or new_password()} if creating else {}
    peer_id = peer_entity.save(acct, args, **secret)
    associate(acct, "peer", peer_id, args.client_subaccount_id)
    return _answer(acct, show, peer_entity.rows(acct, entity_id=peer_id))


@family.handler(DeletePeer)
def delete_peer(args: DeletePeer, acct: AccountScope, show: Presentation) -> Reply:
    problems = did_dependency(acct, args.client_peer_id)
    if problems:
        raise ApiError(problems)
    associate(acct, "peer", args.client_peer_id, None)
    peer_entity.delete(acct, args.client_peer_id)
    return Reply()
