from tests.conftest import Api, codes, status


def test_get_states_of_canada(api: Api) -> None:
    answer = api.json("get_states", country_id="38")
    assert status(answer) == "success"
    states = answer["states"]["state_details"]
    bc = {"state_id": "2", "state": "British Columbia", "state_code": "BC", "country_id": "38"}
    assert bc in states


def test_get_states_requires_a_known_country(api: Api) -> None:
    assert codes(api.json("get_states")) == ["country_id_required"]
    assert codes(api.json("get_states", country_id="999")) == ["country_id_invalid"]
    assert codes(api.xml("get_states", country_id="abc")) == ["country_id_invalid"]
