"""get_dids' filters: those a column answers go into the query, those computed from the
number or from several settings are matched on each row (docs/numbers/dids.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, false
from sqlalchemy.sql.elements import ColumnElement

from xmlengine.domain import dids as domain
from xmlengine.domain.calls.geography import locate
from xmlengine.request_types.dids.numbers import GetDids
from xmlengine.storage.did_tables import dids

c = dids.c

# Filters on a column of the same name.
SAME_NAME = (
    "phone_number",
    "client_mailbox_id",
    "announce_media_file_id",
    "bridge_uri",
    "pickup_group_ids",
    "client_conference_profile_id",
    "client_fax_profile_id",
    "dnis_rewrite",
    "confirm_media_file_id",
    "sms_autoreply_message",
    "recording_notify_recipient_name",
    "peer_failover_causes",
    "recording_notify_recipient_email",
    "type",
    "usage_type",
    "sms_dnis_rewrite",
    "exclude_e411_list",
    "exclude_e911_list",
    "client_channel_id",
)
# Settings no DID has here: no rate centers (the inventory's data), no playback media
# file and no SIP response setting (update_did sets neither).
NONE_HAS = ("ratecenter_id", "playback_media_file_id", "sip_response")
# Capabilities every sandbox number has.
EVERY_NUMBER = ("t38_support", "sms_support", "mms_support")
# Boolean filters that are the option of the same name.
OPTION_FLAGS = ("enable_voicemail", "ondemand_recording", "enable_fax")


def conditions(args: GetDids) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        c[name] == getattr(args, name) for name in SAME_NAME if getattr(args, name) is not None
    ]
    where += [false() for name in NONE_HAS if getattr(args, name) is not None]
    where += [false() for name in EVERY_NUMBER if getattr(args, name) is False]
    where.append(c.status == args.status if args.status else c.status != domain.DELETED)
    if args.client_peer_id:
        where.append(domain.listed(c.client_peer_ids, args.client_peer_id))
    return where


def options_of(row: Row[Any]) -> set[str]:
    """The options a DID has, with those get_dids knows by what is configured."""
    found = set(filter(None, row.options.split(",")))
    found |= {name for name in ("enable_recording", "ondemand_recording") if row._mapping[name]}
    if row.client_queue_ids:
        found.add("enable_queue")
    if row.client_conference_profile_id:
        found.add("enable_conference")
    if row.usage_type == "disa":
        found.add("enable_disa")
    return found


def matches(args: GetDids, row: Row[Any]) -> bool:
    """The filters computed from the number or from several columns."""
    number = str(row.phone_number)
    has = options_of(row)
    if not set(args.options or ()) <= has:
        return False
    flags = {name: getattr(args, name) for name in OPTION_FLAGS}
    if any(wanted is not None and wanted != (name in has) for name, wanted in flags.items()):
        return False
    if (args.npa or args.nxx) and len(number) != 10:
        return False  # an NPA and an NXX are North American
    if (args.npa and number[:3] != args.npa) or (args.nxx and number[3:6] != args.nxx):
        return False
    if args.district or args.state_id or args.country_id:
        place = locate(number)
        wanted = (args.district, args.state_id, args.country_id)
        found = (place.district, place.state_id, place.country_id)
        if any(
            w and (str(w).lower() != str(f).lower()) for w, f in zip(wanted, found, strict=True)
        ):
            return False
    return True
