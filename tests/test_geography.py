from importlib import resources

from xmlengine.reference import geography
from xmlengine.reference.geography import CANADA, UNITED_STATES, Country, State


def _country(iso2: str) -> Country:
    found = geography.country_by_iso2(iso2)
    assert found is not None, iso2
    return found


def _state(state_id: int) -> State:
    found = geography.state(state_id)
    assert found is not None, state_id
    return found


def test_countries_are_the_oscommerce_table() -> None:
    countries = geography.countries()
    assert len(countries) == 239
    assert [c.country_id for c in countries] == list(range(1, 240))
    assert len({c.iso2 for c in countries}) == 239


def test_well_known_country_ids() -> None:
    canada = geography.country(CANADA)
    assert canada is not None
    assert (canada.iso2, canada.iso3, canada.name_en) == ("CA", "CAN", "Canada")
    us = geography.country(UNITED_STATES)
    assert us is not None
    assert (us.iso2, us.name_en) == ("US", "United States")
    albania = geography.country(2)
    assert albania is not None and albania.name_en == "Albania"
    assert geography.country(1) == geography.country_by_iso2("AF")
    assert geography.country(13) == geography.country_by_iso2("au")
    assert geography.country(0) is None
    assert geography.country(240) is None
    assert geography.country_by_iso2("XX") is None


def test_country_names_and_dialing_codes() -> None:
    us = geography.country_by_iso2("US")
    assert us is not None
    assert us.name("fr") == "États-Unis"
    assert us.name("en") == "United States"
    assert _country("CA").dialing_code == "1"
    assert us.dialing_code == "1"
    assert _country("FR").dialing_code == "33"
    # Codes gone from ISO 3166 keep their English name and have no calling code.
    yugoslavia = geography.country_by_iso2("YU")
    assert yugoslavia is not None
    assert yugoslavia.name_fr == yugoslavia.name_en and yugoslavia.dialing_code == ""


def test_state_ids() -> None:
    bc = geography.state(2)
    assert bc is not None
    assert (bc.code, bc.name_en, bc.country_id) == ("BC", "British Columbia", CANADA)
    quebec = geography.state_by_code(CANADA, "QC")
    assert quebec is not None and quebec.state_id == 11
    assert quebec.name("fr") == "Québec" and quebec.name("en") == "Quebec"
    assert _state(1).name_en == "Alberta"
    assert _state(13).name_en == "Yukon"
    assert _state(14).name_en == "Alabama"
    new_york = geography.state_by_code(UNITED_STATES, "ny")
    assert new_york is not None and new_york.name_en == "New York"
    assert geography.state(0) is None
    assert geography.state_by_code(CANADA, "NY") is None


def test_states_per_country() -> None:
    canada = geography.states(CANADA)
    assert len(canada) == 13
    assert [s.state_id for s in canada] == list(range(1, 14))
    us = geography.states(UNITED_STATES)
    assert len(us) == 56  # 50 states, DC, 5 territories
    assert [s.state_id for s in us] == list(range(14, 70))
    assert us[-5:] == tuple(
        geography.state_by_code(UNITED_STATES, c) for c in ("AS", "GU", "MP", "PR", "VI")
    )
    assert len(geography.states()) == 69
    assert geography.states(73) == ()
    for s in geography.states():
        assert geography.country(s.country_id) is not None
    assert len({(s.country_id, s.code) for s in geography.states()}) == 69


def test_french_names_have_accents() -> None:
    expected = {
        (CANADA, "NS"): "Nouvelle-Écosse",
        (CANADA, "PE"): "Île-du-Prince-Édouard",
        (CANADA, "NT"): "Territoires du Nord-Ouest",
        (UNITED_STATES, "GA"): "Géorgie",
        (UNITED_STATES, "HI"): "Hawaï",
        (UNITED_STATES, "WV"): "Virginie-Occidentale",
        (UNITED_STATES, "CA"): "Californie",
    }
    for (country_id, code), name_fr in expected.items():
        found = geography.state_by_code(country_id, code)
        assert found is not None and found.name_fr == name_fr


def test_data_files_ship_inside_the_package() -> None:
    data = resources.files("xmlengine.reference").joinpath("data")
    assert data.joinpath("countries.csv").is_file()
    assert data.joinpath("states.csv").is_file()
