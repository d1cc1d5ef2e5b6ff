"""Reference catalogs every other family refers to: countries and states/provinces."""

from __future__ import annotations

from xmlengine.params.reference_ids import CountryId
from xmlengine.params.table import Params, p
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import listing
from xmlengine.reference import geography, tts
from xmlengine.storage.account_scope import AccountScope

family = Family("reference")


@family.request_type(
    "get_countries", summary="Get a list of countries, their country code and country ID."
)
class GetCountries(Params):
    pass


@family.handler(GetCountries)
def get_countries(args: GetCountries, acct: AccountScope, show: Presentation) -> Reply:
    rows = [
        {
            "country_id": c.country_id,
            "country": c.name(show.language),
            "country_code": c.iso2,
            "country_code_iso3": c.iso3,
            "dialing_code": c.dialing_code,
        }
        for c in geography.countries()
    ]
    return Reply([listing("countries", "country_details", rows, result_count=len(rows))])


@family.request_type(
    "get_states", summary="Get a list of states/provinces, their state code and state ID."
)
class GetStates(Params):
    country_id: int = p(CountryId(), required=True)


@family.handler(GetStates)
def get_states(args: GetStates, acct: AccountScope, show: Presentation) -> Reply:
    rows = [
        {
            "state_id": s.state_id,
            "state": s.name(show.language),
            "state_code": s.code,
            "country_id": s.country_id,
        }
        for s in geography.states(args.country_id)
    ]
    return Reply([listing("states", "state_details", rows, result_count=len(rows))])


@family.request_type(
    "get_tts_voice_name", summary="Get all available text-to-speech (TTS) voice names."
)
class GetTtsVoiceName(Params):
    pass


@family.handler(GetTtsVoiceName)
def get_tts_voice_name(args: GetTtsVoiceName, acct: AccountScope, show: Presentation) -> Reply:
    rows = [
        {
            "voice_name": v.voice_name,
            "language": v.language,
            "language_code": v.language_code,
            "gender": v.gender,
        }
        for v in tts.voices()
    ]
    return Reply([listing("voice_names", "voice_name_details", rows, result_count=len(rows))])
