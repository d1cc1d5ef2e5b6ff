"""The message catalog: every error and notice code of the guide, in English and French."""

import re
from typing import Final

# Each entry is (English, French). The codes are the guide's, kept exactly as printed
# ("Error types" section), plus a few the server emits that the guide's tables lack.
# French typography: a no-break space (U+00A0) inside « » and before ":".
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- Global ---
    "auth_username_invalid": (
        "Auth username is invalid.",
        "Le nom d'utilisateur d'authentification est invalide.",
    ),
    "auth_username_required": (
        "Auth username is required.",
        "Le nom d'utilisateur d'authentification est requis.",
    ),
    "authentication_failed": (
        "Authentication failed. Please verify 'client_account_id' and 'auth_token'.",
        "L'authentification a échoué. Veuillez vérifier «\u00a0client_account_id\u00a0»"
        " et «\u00a0auth_token\u00a0».",
    ),
    # Not in the guide: failed authentications throttled (README, "Failed logins").
    "authentication_attempts_exceeded": (
        "Too many failed authentications from this address. Try again later.",
        "Trop d'échecs d'authentification depuis cette adresse. Réessayez plus tard.",
    ),
    "authentication_token_required": (
        "Auth token is required.",
        "Le jeton d'authentification est requis.",
    ),
    "requests_soft_limit_reached": (
        "The limit of requests has been reached. Further requests may be denied.",
        "La limite de requêtes a été atteinte. Les prochaines requêtes pourraient être refusées.",
    ),
    "requests_hard_limit_exceeded": (
        "The limit of requests allowed has been exceeded. Request is denied.",
        "La limite de requêtes permises a été dépassée. La requête est refusée.",
    ),
    "callerid_name_invalid": (
        "Caller ID name is invalid.",
        "Le nom de l'afficheur est invalide.",
    ),
    "callerid_name_required": (
        "Caller ID name is required.",
        "Le nom de l'afficheur est requis.",
    ),
    "callerid_number_invalid": (
        "Caller ID number is invalid.",
        "Le numéro de l'afficheur est invalide.",
    ),
    "callerid_number_required": (
        "Caller ID number is required.",
        "Le numéro de l'afficheur est requis.",
    ),
    "callerid_rejection_notice": (
        "Some providers might reject toll free Caller ID.",
        "Certains fournisseurs pourraient refuser un afficheur sans frais.",
    ),
    "client_account_id_invalid": (
        "Client account ID is invalid.",
        "L'identifiant du compte client est invalide.",
    ),
    "client_account_id_required": (
        "Client account ID is required.",
        "L'identifiant du compte client est requis.",
    ),
    "client_did_id_invalid": (
        "Client DID ID is invalid.",
        "L'identifiant du DID client est invalide.",
    ),
    # Erratum: the guide prints "Client account ID is invalid." for this code.
    "client_extension_id_invalid": (
        "Client extension ID is invalid.",
        "L'identifiant du poste client est invalide.",
    ),
    "client_mailbox_id_invalid": (
        "Client mailbox ID is invalid.",
        "L'identifiant de la boîte vocale client est invalide.",
    ),
    "client_peer_id_invalid": (
        "Client peer ID is invalid.",
        "L'identifiant du pair client est invalide.",
    ),
    "country_id_invalid": (
        "Country ID is invalid.",
        "L'identifiant du pays est invalide.",
    ),
    "country_id_required": (
        "Country ID is required.",
        "L'identifiant du pays est requis.",
    ),
    "date_from_invalid": (
        "Date from is invalid.",
        "La date de début est invalide.",
    ),
    "date_to_invalid": (
        "Date to is invalid.",
        "La date de fin est invalide.",
    ),
    "email_invalid": (
        "Email address is invalid.",
        "L'adresse courriel est invalide.",
    ),
    "email_required": (
        "Email address is required.",
        "L'adresse courriel est requise.",
    ),
    "forward_number_invalid": (
        "Forward number is invalid.",
        "Le numéro de renvoi est invalide.",
    ),
    "forward_number_required": (
        "Forward number is required.",
        "Le numéro de renvoi est requis.",
    ),
    "forward_timeout_invalid": (
        "Call forward ring timeout is invalid.",
        "Le délai de sonnerie du renvoi d'appel est invalide.",
    ),
    "forward_timeout_required": (
        "Call forward ring timeout is required.",
        "Le délai de sonnerie du renvoi d'appel est requis.",
    ),
    "friendly_name_invalid": (
        "Friendly name is invalid.",
        "Le nom convivial est invalide.",
    ),
    "friendly_name_required": (
        "Friendly name is required.",
        "Le nom convivial est requis.",
    ),
    "internal_error-database_error": (
        "There was an internal error with our database.",
        "Une erreur interne est survenue dans notre base de données.",
    ),
    "internal_error-invalid_argument": (
        "Invalid argument.",
        "Argument invalide.",
    ),
    "language_invalid": (
        "Language is invalid.",
        "La langue est invalide.",
    ),
    "mailbox_invalid": (
        "Mailbox is invalid.",
        "La boîte vocale est invalide.",
    ),
    "mode_invalid": (
        "Mode is invalid.",
        "Le mode est invalide.",
    ),
    "npa_invalid": (
        "NPA is invalid.",
        "Le NPA est invalide.",
    ),
    "nxx_invalid": (
        "NXX is invalid.",
        "Le NXX est invalide.",
    ),
    "npa_required": (
        "NPA is required.",
        "Le NPA est requis.",
    ),
    "nxx_required": (
        "NXX is required.",
        "Le NXX est requis.",
    ),
    "options_invalid": (
        "Options are invalid.",
        "Les options sont invalides.",
    ),
    "password_invalid": (
        "Password is invalid.",
        "Le mot de passe est invalide.",
    ),
    "password_mismatch": (
        "The password verification did not match.",
        "La confirmation du mot de passe ne correspond pas.",
    ),
    "password_required": (
        "Password is required.",
        "Le mot de passe est requis.",
    ),
    "peer_required": (
        "Peer is required.",
        "Le pair est requis.",
    ),
    "peer_timeout_invalid": (
        "Peer ring timeout is invalid.",
        "Le délai de sonnerie du pair est invalide.",
    ),
    "peer_timeout_required": (
        "Peer ring timeout is required.",
        "Le délai de sonnerie du pair est requis.",
    ),
    "peers_to_ring_limit_reached": (
        "Please choose a maximum of 5 peers.",
        "Veuillez choisir un maximum de 5 pairs.",
    ),
    "phone_number_invalid": (
        "Phone number is invalid.",
        "Le numéro de téléphone est invalide.",
    ),
    "request_type_invalid": (
        "Request type is invalid.",
        "Le type de requête est invalide.",
    ),
    "request_type_not_implemented": (
        "Request type is not implemented.",
        "Le type de requête n'est pas implémenté.",
    ),
    "request_type_required": (
        "Request type is required.",
        "Le type de requête est requis.",
    ),
    "required_parameter_not_found": (
        "Required parameters missing.",
        "Des paramètres requis sont manquants.",
    ),
    "result_limit_invalid": (
        "Result limit is invalid.",
        "La limite de résultats est invalide.",
    ),
    "result_offset_invalid": (
        "Result offset is invalid.",
        "Le décalage des résultats est invalide.",
    ),
    "state_id_invalid": (
        "State ID is invalid.",
        "L'identifiant de la province ou de l'État est invalide.",
    ),
    "status_invalid": (
        "Status is invalid.",
        "Le statut est invalide.",
    ),
    "status_required": (
        "Status is required.",
        "Le statut est requis.",
    ),
    "username_invalid": (
        "Username is invalid.",
        "Le nom d'utilisateur est invalide.",
    ),
    "username_required": (
        "Username is required.",
        "Le nom d'utilisateur est requis.",
    ),
    # --- Emitted by the server, missing from the guide's tables ---
    "output_format_invalid": (
        "Output format is invalid.",
        "Le format de sortie est invalide.",
    ),
    "date_range_invalid": (
        "Date range is invalid.",
        "La plage de dates est invalide.",
    ),
    "date_from_required": (
        "Date from is required.",
        "La date de début est requise.",
    ),
    "date_to_required": (
        "Date to is required.",
        "La date de fin est requise.",
    ),
    "request_body_invalid": (
        "Request body is invalid: it could not be read as a form.",
        "Le corps de la requête est invalide\u00a0: il n'a pas pu être lu comme un formulaire.",
    ),
    "request_body_too_large": (
        "Request body is too large: at most 64 MiB is accepted.",
        "Le corps de la requête est trop volumineux\u00a0: 64\u00a0Mio au plus sont acceptés.",
    ),
    # --- Dispatch Call ---
    "destination_invalid": (
        "Destination is invalid.",
        "La destination est invalide.",
    ),
    "destination_required": (
        "Destination is required.",
        "La destination est requise.",
    ),
    "destination_type_invalid": (
        "Destination type is invalid.",
        "Le type de destination est invalide.",
    ),
    "destination_type_required": (
        "Destination type is required.",
        "Le type de destination est requis.",
    ),
    "enable_recording_invalid": (
        "Enable recording value is invalid.",
        "La valeur d'activation de l'enregistrement est invalide.",
    ),
    "global_callerid_name_undefined": (
        "Global caller ID name is not defined.",
        "Le nom d'afficheur global n'est pas défini.",
    ),
    "max_retries_invalid": (
        "Maximum retries is invalid.",
        "Le nombre maximal de tentatives est invalide.",
    ),
    "retry_delay_invalid": (
        "Retry delay is invalid.",
        "Le délai entre les tentatives est invalide.",
    ),
    "socket_error": (
        "A socket error occured.",
        "Une erreur de socket est survenue.",
    ),
    "source_invalid": (
        "Source is invalid.",
        "La source est invalide.",
    ),
    "source_required": (
        "Source is required.",
        "La source est requise.",
    ),
    "source_type_invalid": (
        "Source type is invalid.",
        "Le type de source est invalide.",
    ),
    "source_type_required": (
        "Source type is required.",
        "Le type de source est requis.",
    ),
    "wait_time_invalid": (
        "Wait time is invalid.",
        "Le temps d'attente est invalide.",
    ),
    # --- Get Calls, Report Call Issue, Get Recordings ---
    "direction_invalid": (
        "Direction is invalid.",
        "Le sens de l'appel est invalide.",
    ),
    # The guide prints both "Call Hash is invalid." and "Call hash is invalid.".
    "call_hash_invalid": (
        "Call hash is invalid.",
        "Le hachage de l'appel est invalide.",
    ),
    "call_issue_id_invalid": (
        "Call Issue ID is invalid.",
        "L'identifiant du problème d'appel est invalide.",
    ),
    "call_recording_id_invalid": (
        "Call recording id is invalid.",
        "L'identifiant de l'enregistrement d'appel est invalide.",
    ),
    "recording_hash_invalid": (
        "Recording hash is invalid.",
        "Le hachage de l'enregistrement est invalide.",
    ),
    # --- Get Rates ---
    "code_invalid": (
        "Code is invalid.",
        "Le code est invalide.",
    ),
    "search_parameters_required": (
        "Search parameters are required.",
        "Des paramètres de recherche sont requis.",
    ),
    # --- Process Payment ---
    "amount_invalid": (
        "Amount is invalid.",
        "Le montant est invalide.",
    ),
    "amount_required": (
        "Amount is required.",
        "Le montant est requis.",
    ),
    "bank_account_number_invalid": (
        "Bank account number is invalid.",
        "Le numéro de compte bancaire est invalide.",
    ),
    "bank_account_number_required": (
        "Bank account number is required.",
        "Le numéro de compte bancaire est requis.",
    ),
    "bank_account_type_invalid": (
        "Bank account type is invalid.",
        "Le type de compte bancaire est invalide.",
    ),
    "bank_account_type_required": (
        "Bank account type is required.",
        "Le type de compte bancaire est requis.",
    ),
    "bank_name_invalid": (
        "Bank name is invalid.",
        "Le nom de la banque est invalide.",
    ),
    "bank_name_required": (
        "Bank name is required.",
        "Le nom de la banque est requis.",
    ),
    "bank_routing_number_invalid": (
        "Bank routing number is invalid.",
        "Le numéro d'acheminement bancaire est invalide.",
    ),
    "bank_routing_number_required": (
        "Bank routing number is required.",
        "Le numéro d'acheminement bancaire est requis.",
    ),
    "billing_contact_not_found": (
        "Account's billing contact could not be found.",
        "Le contact de facturation du compte est introuvable.",
    ),
    "credit_card_cvd_invalid": (
        "The credit card CVD number is invalid.",
        "Le numéro CVD de la carte de crédit est invalide.",
    ),
    "credit_card_cvd_required": (
        "The credit card CVD number is required.",
        "Le numéro CVD de la carte de crédit est requis.",
    ),
    "credit_card_expiration_month_invalid": (
        "The credit card expiration month is invalid.",
        "Le mois d'expiration de la carte de crédit est invalide.",
    ),
    "credit_card_expiration_month_required": (
        "The credit card expiration month is required.",
        "Le mois d'expiration de la carte de crédit est requis.",
    ),
    "credit_card_type_invalid": (
        "The credit card type is invalid.",
        "Le type de carte de crédit est invalide.",
    ),
    "credit_card_type_required": (
        "The credit card type is required.",
        "Le type de carte de crédit est requis.",
    ),
    "credit_card_expiration_year_invalid": (
        "The credit card expiration year is invalid.",
        "L'année d'expiration de la carte de crédit est invalide.",
    ),
    "credit_card_expiration_year_required": (
        "The credit card expiration year is required.",
        "L'année d'expiration de la carte de crédit est requise.",
    ),
    "credit_card_number_invalid": (
        "The credit card number is invalid.",
        "Le numéro de carte de crédit est invalide.",
    ),
    "credit_card_number_required": (
        "The credit card number is required.",
        "Le numéro de carte de crédit est requis.",
    ),
    "currency_invalid": (
        "Currency is invalid.",
        "La devise est invalide.",
    ),
    "currency_not_supported": (
        "Currency is not supported for given type of payment.",
        "La devise n'est pas prise en charge pour ce type de paiement.",
    ),
    "currency_required": (
        "Currency is required.",
        "La devise est requise.",
    ),
    "minimum_amount_required": (
        "The minimum amount is not met.",
        "Le montant minimal n'est pas atteint.",
    ),
    "payment_attempt_failed": (
        "Payment attempt has failed.",
        "La tentative de paiement a échoué.",
    ),
    "payment_denied": (
        "Payment denied.",
        "Paiement refusé.",
    ),
    "payment_method_invalid": (
        "Payment method is invalid.",
        "Le mode de paiement est invalide.",
    ),
    "payment_method_required": (
        "Payment method is required.",
        "Le mode de paiement est requis.",
    ),
    # --- Update DID ---
    "forward_number_used_by_did": (
        "Forward number already in use.",
        "Le numéro de renvoi est déjà utilisé.",
    ),
    # --- Update Extension ---
    "extension_already_in_use": (
        "Extension is already in use.",
        "Le poste est déjà utilisé.",
    ),
    "extension_invalid": (
        "Extension is invalid.",
        "Le poste est invalide.",
    ),
    "extension_required": (
        "Extension is required.",
        "Le poste est requis.",
    ),
    # --- Update Mailbox ---
    "default_mailbox_dependency": (
        "You cannot disable this mailbox because it is set as default.",
        "Vous ne pouvez pas désactiver cette boîte vocale, car elle est définie par défaut.",
    ),
    "mailbox_did_dependency": (
        "You cannot disable this mailbox because it is associated to a DID number.",
        "Vous ne pouvez pas désactiver cette boîte vocale, car elle est associée à un numéro DID.",
    ),
    "passcode_invalid": (
        "Passcode is invalid.",
        "Le code d'accès est invalide.",
    ),
    "passcode_required": (
        "Passcode is required.",
        "Le code d'accès est requis.",
    ),
    "voice_mailboxes_limit_reached": (
        "Voice mailboxes limit is reached.",
        "La limite de boîtes vocales est atteinte.",
    ),
    # --- Update Peer ---
    "callerid_mode_invalid": (
        "Caller ID mode is invalid.",
        "Le mode d'afficheur est invalide.",
    ),
    "callerid_mode_required": (
        "Caller ID mode is required.",
        "Le mode d'afficheur est requis.",
    ),
    "codecs_invalid": (
        "Codecs are invalid.",
        "Les codecs sont invalides.",
    ),
    "codecs_required": (
        "Codecs are required.",
        "Les codecs sont requis.",
    ),
    "default_ip_invalid": (
        "Default IP is invalid.",
        "L'adresse IP par défaut est invalide.",
    ),
    "dtmf_invalid": (
        "The dtmf mode is invalid.",
        "Le mode DTMF est invalide.",
    ),
    "global_callerid_infos_undefined": (
        "Global caller ID settings are not defined.",
        "Les paramètres d'afficheur globaux ne sont pas définis.",
    ),
    "host_type_invalid": (
        "Host type is invalid.",
        "Le type d'hôte est invalide.",
    ),
    "host_type_required": (
        "Host type is required.",
        "Le type d'hôte est requis.",
    ),
    "peer_did_dependency": (
        "You cannot disable this peer because it is associated to a DID number.",
        "Vous ne pouvez pas désactiver ce pair, car il est associé à un numéro DID.",
    ),
    "peer_excluded_from_sync": (
        "This peer is currently excluded from synchronization and changes will not affect"
        " live configuration.",
        "Ce pair est actuellement exclu de la synchronisation et les modifications"
        " n'affecteront pas la configuration active.",
    ),
    "peer_exist": (
        "The username is already in use.",
        "Le nom d'utilisateur est déjà utilisé.",
    ),
    "peers_limit_reached": (
        "Peers limit is reached.",
        "La limite de pairs est atteinte.",
    ),
    "qualify_invalid": (
        "Qualify milliseconds are invalid.",
        "Les millisecondes de qualification sont invalides.",
    ),
    "qualify_required": (
        "Qualify milliseconds are required.",
        "Les millisecondes de qualification sont requises.",
    ),
    # The guide gives this code two texts: "The peer protocol is invalid." (Update Peer)
    # and 'Type must be either "local" or "international".' (Order new dids). Many
    # request types take a `type`, so the catalog keeps a text that fits them all.
    "type_invalid": (
        "Type is invalid.",
        "Le type est invalide.",
    ),
    # --- e911 Errors ---
    "alternate_address_provided": (
        "Alternate Address is Provided.",
        "Une adresse de remplacement est fournie.",
    ),
    "client_endpoint_id_not_found": (
        "Client Endpoint ID Not Found.",
        "Identifiant du point de terminaison client introuvable.",
    ),
    "client_peer_id_not_found": (
        "Client Peer ID Not Found.",
        "Identifiant du pair client introuvable.",
    ),
    "client_did_id_not_found": (
        "Client DID ID Not Found.",
        "Identifiant du DID client introuvable.",
    ),
    # Erratum: the guide prints "Phone Number Not Foudn.".
    "phone_number_not_found": (
        "Phone number not found.",
        "Numéro de téléphone introuvable.",
    ),
    # Listed twice in the guide.
    "no_e911_endpoint_found": (
        "Number is not provisioned.",
        "Le numéro n'est pas provisionné.",
    ),
    "civic_number_not_found": (
        "Civic number not found.",
        "Numéro civique introuvable.",
    ),
    "street_not_found": (
        "Street not found.",
        "Rue introuvable.",
    ),
    "city_not_found": (
        "City not found.",
        "Ville introuvable.",
    ),
    "state_not_found": (
        "State not found.",
        "Province ou État introuvable.",
    ),
    "country_not_found": (
        "Country not found.",
        "Pays introuvable.",
    ),
    "first_name_not_found": (
        "First name not found.",
        "Prénom introuvable.",
    ),
    "last_name_not_found": (
        "Last name not found.",
        "Nom de famille introuvable.",
    ),
    "postal_code_not_found": (
        "Postal Code not found.",
        "Code postal introuvable.",
    ),
    "last_endpoint_was_deleted": (
        "The last endpoint was deleted. Any calls to 911 after this notice and before another"
        " DID is provisionned will be billed an E911 unprovision fee in your account.",
        "Le dernier point de terminaison a été supprimé. Tout appel au 911 fait après cet avis"
        " et avant le provisionnement d'un autre DID entraînera des frais de"
        " déprovisionnement E911 portés à votre compte.",
    ),
    "entry_is_default_endpoint": (
        "The endpoint is currently the default endpoint for the account. Set the default to"
        " another one before deleting this one.",
        "Ce point de terminaison est actuellement celui par défaut du compte. Choisissez un"
        " autre point de terminaison par défaut avant de supprimer celui-ci.",
    ),
    # --- Order new dids ---
    "prefix_required": (
        "No prefix nor ratecenter id was given.",
        "Aucun préfixe ni identifiant de centre de tarification n'a été fourni.",
    ),
    "prefix_invalid": (
        "Prefix is not valid.",
        "Le préfixe n'est pas valide.",
    ),
    "ratecenter_id_invalid": (
        "Ratecenter id is not valid.",
        "L'identifiant du centre de tarification n'est pas valide.",
    ),
    "quantity_required": (
        "Quantity is required.",
        "La quantité est requise.",
    ),
    "quantity_invalid": (
        "Quantity must be a number above 0 and under 1000.",
        "La quantité doit être un nombre supérieur à 0 et inférieur à 1000.",
    ),
    "prefix_preference_invalid": (
        'Preference must be either "in_ratecenter" or "prefix_only".',
        "La préférence doit être «\u00a0in_ratecenter\u00a0» ou «\u00a0prefix_only\u00a0».",
    ),
    "sequential_invalid": (
        'Preference must be either "random" or "sequential".',
        "La préférence doit être «\u00a0random\u00a0» ou «\u00a0sequential\u00a0».",
    ),
    "t38_support_invalid": (
        'Preference must be either "optional" or "required".',
        "La préférence doit être «\u00a0optional\u00a0» ou «\u00a0required\u00a0».",
    ),
    "capacity_invalid": (
        'Preference must be either "1-5", "5-25" or "25+".',
        "La préférence doit être «\u00a01-5\u00a0», «\u00a05-25\u00a0» ou «\u00a025+\u00a0».",
    ),
    "prefix_not_found": (
        "Could not find the prefix in our database.",
        "Le préfixe est introuvable dans notre base de données.",
    ),
    "ratecenter_id_not_found": (
        "Could not find the ratecenter id in our database.",
        "L'identifiant du centre de tarification est introuvable dans notre base de données.",
    ),
    "could_not_send": (
        "An error occurred while trying to send the request, please contact us.",
        "Une erreur est survenue lors de l'envoi de la requête, veuillez nous contacter.",
    ),
}

LANGUAGES: Final = ("en", "fr")

# Words written in capitals when a parameter name is turned into English.
_ABBREVIATIONS: Final[dict[str, str]] = {
    "id": "ID",
    "did": "DID",
    "dids": "DIDs",
    "sms": "SMS",
    "mms": "MMS",
    "ip": "IP",
    "url": "URL",
    "uri": "URI",
    "sip": "SIP",
    "npa": "NPA",
    "nxx": "NXX",
    "dtmf": "DTMF",
    "e911": "E911",
    "e411": "E411",
    "tts": "TTS",
    "ivr": "IVR",
    "moh": "MOH",
    "cdr": "CDR",
    "pbx": "PBX",
    "3cx": "3CX",
    "mac": "MAC",
    "vlan": "VLAN",
    "nip": "NIP",
    "pon": "PON",
}

# Suffix of a derived code -> (English predicate, French predicate). `_not_found` is
# tested first; no suffix is the end of another.
_DERIVED: Final[tuple[tuple[str, str, str], ...]] = (
    ("_not_found", "not found", "est introuvable"),
    ("_required", "is required", "est requis"),
    ("_invalid", "is invalid", "est invalide"),
)

_PARAMETER: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-\[\]]*")
_NBSP: Final = "\u00a0"


def _humanize(parameter: str) -> str:
    """`client_fax_profile_id` -> `Client fax profile ID`."""
    words = [_ABBREVIATIONS.get(word.lower(), word) for word in parameter.split("_") if word]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


# Texts of a code worded after what the request sent: (code, parameter) -> (English,
# French). The catalog's own text is the guide's, worded for v1.0's `client_account_id`.
NAMING: Final[dict[tuple[str, str], tuple[str, str]]] = {
    ("authentication_failed", "username"): (
        "Authentication failed. Please verify 'username' and 'auth_token'.",
        "L'authentification a échoué. Veuillez vérifier «\u00a0username\u00a0»"
        " et «\u00a0auth_token\u00a0».",
    ),
    ("authentication_failed", "client_user_id"): (
        "Authentication failed. Please verify 'client_user_id' and 'auth_token'.",
        "L'authentification a échoué. Veuillez vérifier «\u00a0client_user_id\u00a0»"
        " et «\u00a0auth_token\u00a0».",
    ),
}


def describe(code: str, language: str = "en", about: str = "") -> str:
    """Text of `code` in `language`, worded after `about` when the catalog has that wording;
    a code not in the catalog is described from its shape."""
    french = language.strip().lower() == "fr"
    entry = NAMING.get((code, about)) if about else None
    if entry is None:
        entry = MESSAGES.get(code)
    if entry is not None:
        return entry[1] if french else entry[0]
    for suffix, english_predicate, french_predicate in _DERIVED:
        if not code.endswith(suffix):
            continue
        parameter = code[: -len(suffix)]
        if not _PARAMETER.fullmatch(parameter):
            break
        if french:
            return f"Le paramètre «{_NBSP}{parameter}{_NBSP}» {french_predicate}."
        return f"{_humanize(parameter)} {english_predicate}."
    if french:
        return f"Erreur{_NBSP}: {code}."
    return f"Error: {code}."
