"""Port requests over HTTP: drafts, sending to staff, and the sandbox taking a port through
its statuses in network time until its numbers are DIDs of the account."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import subaccount
from tests.porting_support import (
    NUMBERS,
    READY,
    ZONE,
    account_dids,
    business_days,
    create,
    local_today,
    mails,
    play,
    port,
    ready,
    user_id,
)
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.domain.subaccounts import ASSOCIATIONS
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_tables import subaccount_associations
from xmlengine.storage.tables import users


def test_a_draft_is_shown_as_it_was_written_in_both_formats(api: Api) -> None:
    made = create(api, friendly_name="Office lines", phone_numbers=NUMBERS, features="sms,t38")
    assert made["status"] == "not_ready"
    assert made["pon"] == f"PON{int(made['port_request_id']):08d}"
    assert made["phone_numbers"] == NUMBERS and made["features"] == "sms,t38"
    assert made["client_subaccount_id"] == "0" and made["loa_download_url"] == ""
    xml = api.xml("get_port_requests", port_request_id=made["pon"])
    details = xml.find("port_requests/port_request_details")
    assert details.findtext("friendly_name") == "Office lines"
    assert details.findtext("status") == "not_ready"


def test_an_update_resets_what_it_omits_and_keeps_metadata(api: Api) -> None:
    made = create(api, friendly_name="Office", organization="Shop", raw_metadata="kept")
    answer = api.json("update_port_request", port_request_id=made["port_request_id"], city="Laval")
    details = answer["port_requests"]["port_request_details"][0]
    assert (details["friendly_name"], details["organization"], details["city"]) == ("", "", "Laval")
    assert details["metadata"] == {"raw_metadata": "kept"}


def test_sending_to_staff_requires_the_fields_and_the_address_rules_of_its_country(
    api: Api,
) -> None:
    refused = api.json("update_port_request", mode="create", send_to_staff="1", country_id="1")
    assert "state_other_required" in codes(refused) and "street_required" in codes(refused)
    assert "state_id_required" not in codes(refused)
    canada = api.json("update_port_request", mode="create", send_to_staff="1", country_id="38")
    assert "state_id_required" in codes(canada) and "state_other_required" not in codes(canada)


def test_a_refused_address_writes_nothing(api: Api) -> None:
    answer = api.json(
        "update_port_request",
        mode="create",
        **{**READY, "postal_code": "12345", "phone_numbers": NUMBERS},
        notification_client_user_id=user_id(api),
        send_to_staff="1",
    )
    assert codes(answer) == ["postal_code_invalid"]
    assert api.json("get_port_requests")["port_requests"]["port_request_details"] == []
    abroad = create(api, country_id="1", state_other="Kabul", postal_code="1001", state_id="11")
    assert (abroad["state_id"], abroad["state"], abroad["country"]) == ("", "Kabul", "Afghanistan")
    quebec = create(api, country_id="38", state_id="11", state_other="x", postal_code="h2x1y4")
    assert (quebec["state_other"], quebec["postal_code"]) == ("", "H2X1Y4")


def test_the_firm_date_is_between_3_and_15_business_days(api: Api, clock: ManualClock) -> None:
    today = local_today(clock)
    for day, expected in (
        (business_days(today, 2), ["requested_firm_date_invalid"]),
        (business_days(today, 16), ["requested_firm_date_invalid"]),
        (business_days(today, 3), []),
        (business_days(today, 15), []),
    ):
        answer = api.json("update_port_request", mode="create", requested_firm_date=str(day))
        assert codes(answer) == expected or (expected == [] and status(answer) == "success")
    saturday = business_days(today, 5)
    while saturday.isoweekday() != 6:  # a weekend day inside the window
        saturday += dt.timedelta(days=1)
    refused = api.json("update_port_request", mode="create", requested_firm_date=str(saturday))
    assert codes(refused) == ["requested_firm_date_invalid"]


def test_the_notification_user_is_one_of_the_account(app: XmlEngineApp, api: Api) -> None:
    other = new_account(app)
    answer = api.json(
        "update_port_request",
        mode="create",
        notification_client_user_id=str(other.client_user_id),
    )
    assert codes(answer) == ["notification_client_user_id_invalid"]


def test_a_sent_port_reaches_completed_and_its_numbers_become_dids(
    app: XmlEngineApp, client: TestClient, api: Api, clock: ManualClock
) -> None:
    sid = subaccount(api)
    sent = ready(api, client_subaccount_id=str(sid), extra_recipients="it@example.com")
    port_id = sent["port_request_id"]
    assert (sent["status"], sent["client_subaccount_id"]) == ("sent_to_staff", str(sid))
    assert sent["date_sent"] != ""
    seen = []
    for _ in range(4):
        play(app, client, clock, steps=1)
        seen.append((port(api, port_id)["status"], local_today(clock)))
    assert [step for step, _ in seen] == [
        "approved_by_staff",
        "sent_to_provider",
        "firm_confirm",
        "completed",
    ]
    done = port(api, port_id)
    firm = dt.date.fromisoformat(done["firm_date"])
    assert firm == business_days(seen[2][1], 3)  # as soon as possible
    assert local_today(clock) == firm
    assert dt.datetime.fromtimestamp(clock.now(), ZONE).hour == 10
    xml = api.xml("get_port_requests", port_request_id=done["pon"])
    assert xml.findtext("port_requests/port_request_details/status") == "completed"
    made = account_dids(app, api)
    assert set(NUMBERS.split(",")) <= set(made)
    linked = app.deps.db.run_sync(
        lambda conn: (
            conn.execute(
                select(subaccount_associations.c.entity_id).where(
                    subaccount_associations.c.kind == ASSOCIATIONS["associated_dids"],
                    subaccount_associations.c.client_subaccount_id == sid,
                )
            )
            .scalars()
            .all()
        )
    )
    assert sorted(linked) == sorted(made[n] for n in NUMBERS.split(","))
    subjects = [m["subject"] for m in mails(app) if m["to"] == "it@example.com"]
    pon = done["pon"]
    assert [s.removeprefix(f"Port request {pon} ") for s in subjects] == [
        "sent to our staff",
        "approved by our staff",
        "sent to the current provider",
        f"confirmed for {firm.isoformat()}",
        "completed: the numbers are yours",
    ]
    user_email = app.deps.db.run_sync(
        lambda conn: conn.execute(
            select(users.c.email).where(users.c.client_user_id == api.credentials.client_user_id)
        ).scalar_one()
    )
    assert user_email and len([m for m in mails(app) if m["to"] == user_email]) == 5


def test_the_firm_date_is_the_requested_one(
    app: XmlEngineApp, client: TestClient, api: Api, clock: ManualClock
) -> None:
    wanted = business_days(local_today(clock), 10)
    port_id = ready(api, requested_firm_date=str(wanted))["port_request_id"]
    play(app, client, clock)
    done = port(api, port_id)
    assert (done["status"], done["firm_date"], done["requested_firm_date"]) == (
        "completed",
        str(wanted),
        str(wanted),
    )
    assert local_today(clock) == wanted


def test_magic_numbers_are_rejected_and_a_fixed_port_goes_through(
    app: XmlEngineApp, client: TestClient, api: Api, clock: ManualClock
) -> None:
    by_staff = ready(api, numbers="5145550005")["port_request_id"]
    by_provider = ready(api, numbers="5145550006,5145550107")["port_request_id"]
    play(app, client, clock)
    assert port(api, by_staff)["status"] == "rejected_by_staff"
    assert port(api, by_provider)["status"] == "rejected_by_provider"
    assert "5145550006" not in account_dids(app, api)
    fixed = api.json(
        "update_port_request",
        port_request_id=by_provider,
        send_to_staff="1",
        **{**READY, "phone_numbers": "5145550107"},
        notification_client_user_id=user_id(api),
    )
    assert status(fixed) == "success", codes(fixed)
    play(app, client, clock)
    assert port(api, by_provider)["status"] == "completed"
    assert "5145550107" in account_dids(app, api)


def test_a_port_in_progress_cannot_be_changed(api: Api) -> None:
    port_id = ready(api)["port_request_id"]
    answer = api.json("update_port_request", port_request_id=port_id, friendly_name="Later")
    assert codes(answer) == ["port_request_id_invalid"]


def test_a_restart_loses_no_step(
    app: XmlEngineApp, client: TestClient, api: Api, clock: ManualClock
) -> None:
    port_id = ready(api)["port_request_id"]
    play(app, client, clock, steps=1)
    restarted = create_app(app.deps.settings, clock)
    with TestClient(restarted) as again:
        play(restarted, again, clock)
    assert port(api, port_id)["status"] == "completed"


def test_listing_filters(
    app: XmlEngineApp, client: TestClient, api: Api, clock: ManualClock
) -> None:
    sid = subaccount(api)
    first = create(api, organization="Café Émile", phone_numbers="5145550100")
    second = ready(
        api, numbers="4385550199", organization="Other Co", client_subaccount_id=str(sid)
    )
    play(app, client, clock)

    def ids(**filters: str) -> list[str]:
        answer = api.json("get_port_requests", **filters)
        assert status(answer) == "success", codes(answer)
        return [p["port_request_id"] for p in answer["port_requests"]["port_request_details"]]

    both = [first["port_request_id"], second["port_request_id"]]
    assert ids() == both
    assert ids(current_owner="cafe emile") == both[:1]
    assert ids(phone_number="4385550199") == both[1:]
    assert ids(phone_number="14385550199") == both[1:]
    assert ids(status="not_ready,expired") == both[:1]
    assert ids(client_subaccount_id=str(sid)) == both[1:]
    firm = port(api, second["port_request_id"])["firm_date"]
    assert ids(date_from=firm, date_to=firm) == both[1:]
    assert ids(date_to=str(dt.date.fromisoformat(firm) - dt.timedelta(days=1))) == []
