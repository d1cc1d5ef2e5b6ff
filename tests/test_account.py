from tests.conftest import Api, status


def test_get_account_details_shows_the_caller(api: Api) -> None:
    answer = api.json("get_account_details")
    assert status(answer) == "success"
    details = answer["account_details"]
    assert details["client_account_id"] == str(api.credentials.client_account_id)
    assert details["client_user_id"] == str(api.credentials.client_user_id)
    assert details["username"] == api.credentials.username
    assert details["email"] == f"{api.credentials.username}@example.com"
    assert len(details["date_created"]) == 19


def test_get_account_preferences_in_xml(api: Api) -> None:
    answer = api.xml("get_account_preferences")
    assert answer.findtext("account_preferences/language") == "en"
    assert answer.findtext("account_preferences/currency") == "CAD"
