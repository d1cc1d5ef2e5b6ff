"""A call to a DID routed to an IVR follows its menu: the pre-IVR extension first, then
the extension the sandbox caller dials (its line number), the directory, or the paths of
a wrong number and of no answer; the record's bindings and the webhooks show the path."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.routing_support import create
from tests.test_did_calls import calls_to
from xmlengine.clock import ManualClock
from xmlengine.config import Settings

IVR = ("update_ivr_profile", "ivr_profiles", "ivr_profile_details")
EXTENSION = ("update_extension", "extensions", "extension_details")
ROUTED = {"options": "enable_ivr,enable_voicemail", "client_ivr_profile_id": "{ivr}"}


def _menu(**ivr: str) -> Any:
    """Extension 2001 ("Sales") rings the first peer; 2002 ("Accounts") forwards to a
    number that answers; 2003 ("Billing") rings the second peer for 2 seconds, then its
    mailbox takes the call."""

    def setup(api: Api, made: dict[str, Any]) -> dict[str, str]:
        first, second = made["peers"]
        sales = create(
            api, *EXTENSION, extension="2001", friendly_name="Sales",
            enable_peer="1", client_peer_ids=first,
        )  # fmt: skip
        accounts = create(
            api, *EXTENSION, extension="2002", friendly_name="Accounts",
            enable_forwarding="1", forward_number="4385550177",
        )  # fmt: skip
        billing = create(
            api, *EXTENSION, extension="2003", friendly_name="Billing",
            enable_peer="1", client_peer_ids=second, peer_timeout="2",
            enable_voicemail="1", client_mailbox_id=made["mailbox"],
        )  # fmt: skip
        ids = {"sales": str(sales), "accounts": str(accounts), "billing": str(billing)}
        settings = {k: v.format(**ids) for k, v in ivr.items()}
        menu = create(api, *IVR, friendly_name="Menu", status="enabled", **settings)
        return {"ivr": str(menu), **ids}

    return setup


def test_the_caller_dials_an_extension_whose_peer_answers(
    settings: Settings, clock: ManualClock
) -> None:
    call, hooks, _, made, did = calls_to(
        settings, clock, ROUTED, setup=_menu(), caller="4165552001"
    )
    peer = made["peers"][0]
    assert call["bindings"] == (
        f"did:{did},ivr:{made['ivr']},menu:2001,extension:{made['sales']},peer:{peer}"
    )
    assert (call["status"], call["client_peer_id"]) == ("answered", peer)
    # The IVR answers at 1 s; the menu plays 10 s; the peer answers 6 s after that and
    # talks 31 s (30 s and the caller's last two digits).
    assert call["duration"] == str(10 + 6 + 31)
    answer, hangup = sorted(hooks, key=lambda h: h["trigger"])
    assert (answer["trigger"], answer["client_peer_id"]) == ("on_answer", "")  # the IVR
    assert (hangup["trigger"], hangup["client_peer_id"]) == ("on_hangup", peer)
    assert hangup["client_did_id"] == did


def test_an_extension_forwarding_to_a_number(settings: Settings, clock: ManualClock) -> None:
    call, _, _, made, did = calls_to(settings, clock, ROUTED, setup=_menu(), caller="4165552002")
    assert call["bindings"] == (
        f"did:{did},ivr:{made['ivr']},menu:2002,extension:{made['accounts']},forward:4385550177"
    )
    assert (call["status"], call["client_peer_id"]) == ("answered", "")


def test_the_extension_s_mailbox_takes_what_its_peers_do_not(
    settings: Settings, clock: ManualClock
) -> None:
    call, _, voicemails, made, did = calls_to(
        settings, clock, ROUTED, setup=_menu(), caller="4165552003"
    )
    peer, mailbox = made["peers"][1], made["mailbox"]
    assert call["bindings"] == (
        f"did:{did},ivr:{made['ivr']},menu:2003,extension:{made['billing']},peer:{peer},"
        f"mailbox:{mailbox}"
    )
    assert (call["status"], call["client_peer_id"]) == ("answered", "")
    (message,) = voicemails["voicemails"]["voicemail_details"]
    assert (message["client_mailbox_id"], message["call_hash"]) == (mailbox, call["call_hash"])


def test_a_wrong_number_then_the_did_s_mailbox(settings: Settings, clock: ManualClock) -> None:
    """4165559999 dials 9999, no extension: the menu plays three times, then the DID's
    mailbox (the account's default one) takes the call."""
    call, _, voicemails, made, did = calls_to(
        settings, clock, ROUTED, setup=_menu(), caller="4165559999"
    )
    (message,) = voicemails["voicemails"]["voicemail_details"]
    mailbox = message["client_mailbox_id"]
    assert call["bindings"] == f"did:{did},ivr:{made['ivr']},menu:invalid,mailbox:{mailbox}"
    assert call["status"] == "answered"


def test_nothing_pressed_and_no_mailbox(settings: Settings, clock: ManualClock) -> None:
    """4165550150 presses nothing (a line number below 1000): three menus, then the IVR
    hangs up; the call was answered by it."""
    call, hooks, voicemails, made, did = calls_to(
        settings,
        clock,
        {"options": "enable_ivr", "client_ivr_profile_id": "{ivr}"},
        setup=_menu(),
    )
    assert call["bindings"] == f"did:{did},ivr:{made['ivr']},menu:timeout"
    assert (call["status"], call["duration"]) == ("answered", "30")
    assert sorted(h["trigger"] for h in hooks) == ["on_answer", "on_hangup"]
    assert voicemails["voicemails"]["voicemail_details"] == []


def test_the_directory_picks_by_name(settings: Settings, clock: ManualClock) -> None:
    """By name the extensions are Accounts, Billing, Sales: a line number 03xx picks the
    third."""
    call, _, _, made, did = calls_to(
        settings,
        clock,
        ROUTED,
        setup=_menu(options="enable_directory"),
        caller="4165550342",
    )
    peer = made["peers"][0]
    assert call["bindings"] == (
        f"did:{did},ivr:{made['ivr']},menu:directory,extension:{made['sales']},peer:{peer}"
    )
    assert call["client_peer_id"] == peer


def test_the_pre_ivr_extension_answers_before_the_menu(
    settings: Settings, clock: ManualClock
) -> None:
    call, hooks, _, made, did = calls_to(
        settings,
        clock,
        ROUTED,
        setup=_menu(pre_ivr_extension="{sales}", pre_ivr_delay="10"),
        caller="4165552003",
    )
    peer = made["peers"][0]
    assert call["bindings"] == f"did:{did},ivr:{made['ivr']},extension:{made['sales']},peer:{peer}"
    assert call["client_peer_id"] == peer
    (answer,) = [h for h in hooks if h["trigger"] == "on_answer"]
    assert answer["client_peer_id"] == peer


def test_the_menu_after_the_pre_ivr_extension_s_delay(
    settings: Settings, clock: ManualClock
) -> None:
    """A peer answers 6 s after the call starts: with a delay of 5 s the IVR answers first
    and the caller dials 2002."""
    call, _, _, made, did = calls_to(
        settings,
        clock,
        ROUTED,
        setup=_menu(pre_ivr_extension="{sales}", pre_ivr_delay="5"),
        caller="4165552002",
    )
    peer = made["peers"][0]
    assert call["bindings"] == (
        f"did:{did},ivr:{made['ivr']},menu:2002,extension:{made['accounts']},forward:4385550177"
    )
    assert call["client_peer_id"] == ""
    assert peer not in call["bindings"].split(",")
