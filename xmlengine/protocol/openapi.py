"""The OpenAPI 3.1 description of both URL generations, built from the registry.

v1.1 has one path per request type and format (`/api/v1.1/json/get_sms`), each with GET
(parameters in the query string) and POST (a form or multipart body, the credentials in
the query string): so every operation has its own id, parameters and response type,
which is what client generators handle best. v1.0 is one URL whose `request_type`
chooses the parameters: one operation, the request's own parameters as free-form ones.
Every answer is an HTTP 200 envelope. An operation's rules (the declared ones, a group's
included) are in its description and, with their codes, in `x-rules`; every error code
it answers besides those of every request (its parameters', rules' and handler's), in
`x-error-codes`.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from xmlengine.params.rules import declared_rules
from xmlengine.params.table import Param
from xmlengine.protocol.envelope import CONTENT_TYPES
from xmlengine.protocol.rate_limits import BUDGETS
from xmlengine.protocol.registry import Registry, RequestType

Doc = dict[str, Any]

FORMATS = ("json", "xml")
V10_PATH = "/xml_engine/xml_engine.php"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

# v1.1 authenticates with a username (or the user's numeric id) and the user's token;
# v1.0 with the 8-digit account id and a token.
SECURITY_SCHEMES: Doc = {
    "username": {"type": "apiKey", "in": "query", "name": "username"},
    "client_user_id": {"type": "apiKey", "in": "query", "name": "client_user_id"},
    "client_account_id": {"type": "apiKey", "in": "query", "name": "client_account_id"},
    "auth_token": {"type": "apiKey", "in": "query", "name": "auth_token"},
}
V11_SECURITY: list[Doc] = [
    {"username": [], "auth_token": []},
    {"client_user_id": [], "auth_token": []},
]
V10_SECURITY: list[Doc] = [{"client_account_id": [], "auth_token": []}]

GLOBAL_PARAMETERS: Doc = {
    "language": {
        "name": "language",
        "in": "query",
        "description": "The language of the messages' text.",
        "schema": {"type": "string", "enum": ["en", "fr"], "default": "en"},
    },
    "currency": {
        "name": "currency",
        "in": "query",
        "description": "The currency amounts are shown in.",
        "schema": {"type": "string", "enum": ["CAD", "USD", "EUR"], "default": "CAD"},
    },
}

MESSAGE: Doc = {
    "type": "object",
    "required": ["code"],
    "properties": {
        "code": {"type": "string", "description": "The message code (error or notice)."},
        "_content": {"type": "string", "description": "Its text, in the request's language."},
    },
}
ENVELOPE: Doc = {
    "type": "object",
    "required": ["response_details"],
    "properties": {
        "response_details": {
            "type": "object",
            "required": ["request_type", "response_status", "response_messages"],
            "properties": {
                "request_type": {"type": "string"},
                "response_status": {"type": "string", "enum": ["success", "error"]},
                "response_messages": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {
                        "message": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Message"},
                        }
                    },
                },
            },
        }
    },
    "additionalProperties": True,  # the request type's payload
}
RATE_HEADERS: Doc = {
    name: {"description": text, "schema": {"type": "integer"}}
    for name, text in (
        ("RateLimit-Limit", "The hourly budget of the request type's pool."),
        ("RateLimit-Remaining", "What is left of it this hour."),
        ("RateLimit-Reset", "Seconds until the counters start again (or the refusal ends)."),
    )
}


def _content(fmt: str) -> Doc:
    schema = {"$ref": "#/components/schemas/Envelope"} if fmt == "json" else {"type": "string"}
    return {CONTENT_TYPES[fmt].split(";")[0]: {"schema": schema}}


def _response(fmt: str) -> Doc:
    return {
        "description": "The envelope: HTTP 200 whether the request succeeded or not; the "
        "outcome is `response_status` and the messages' codes.",
        "headers": RATE_HEADERS,
        "content": _content(fmt),
    }


def describe_api(registry: Registry) -> Doc:
    """The whole description; deterministic (request types sorted, no timestamps)."""
    paths: Doc = {}
    parameters: Doc = dict(GLOBAL_PARAMETERS)
    schemas: Doc = {"Envelope": ENVELOPE, "Message": MESSAGE}
    for rt in registry:
        for name, param in rt.params.table.items():
            if not param.type.file:
                parameters[f"{rt.name}.{name}"] = _parameter(param)
        schemas[f"{rt.name}.form"] = _body(rt, files=False)
        schemas[f"{rt.name}.multipart"] = _body(rt, files=True)
        for fmt in FORMATS:
            paths[f"/api/v1.1/{fmt}/{rt.name}"] = _operations(rt, fmt)
    paths[V10_PATH] = _v10(registry)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "XML Engine API (xmlengine)",
            "version": version("xmlengine"),
            "description": "Both URL generations of the XML Engine API. Every answer is an "
            "HTTP 200 envelope; the reference pages (docs/reference/) say the same in words.",
        },
        "tags": [{"name": family} for family in sorted({rt.family for rt in registry})],
        "security": V11_SECURITY,
        "paths": paths,
        "components": {
            "securitySchemes": SECURITY_SCHEMES,
            "parameters": parameters,
            "schemas": schemas,
            "responses": {f"envelope.{fmt}": _response(fmt) for fmt in FORMATS},
        },
    }


def _summary(rt: RequestType) -> str:
    status = (
        "implemented" if rt.handler else "not implemented: answers `request_type_not_implemented`"
    )
    origin = "an extension of this server" if rt.extension else "from the API guide"
    pool = f"rate-limit pool `{rt.pool}` ({BUDGETS[rt.pool]} an hour)"
    text = f"{rt.summary}\n\n{status.capitalize()}; {origin}; {pool}."
    rules = [
        f"- {_record(rule)}{rule['rule']} ({', '.join(f'`{c}`' for c in rule['codes'])})"
        for rule in _rules(rt)
    ]
    parts = [text, "Rules:", "\n".join(rules)] if rules else [text]
    codes = rt.error_codes()
    if codes:
        listed = ", ".join(f"`{code}`" for code in codes)
        parts.append(f"Error codes, besides those of every request: {listed}.")
    return "\n\n".join(parts)


def _rules(rt: RequestType) -> list[Doc]:
    """The request type's rules, then those of each array of records, with their codes."""
    tables = [(None, rt.params)] + [
        (name, record)
        for name, param in rt.params.table.items()
        if (record := getattr(param.type, "record", None)) is not None  # RecordsOf
    ]
    return [
        {"rule": rule.text, "codes": list(rule.codes), **({"record": name} if name else {})}
        for name, table in tables
        for rule in declared_rules(table)
    ]


def _record(rule: Doc) -> str:
    return f"each record of `{rule['record']}`: " if "record" in rule else ""


def _operations(rt: RequestType, fmt: str) -> Doc:
    suffix = "" if fmt == "json" else "_xml"
    common = {
        "tags": [rt.family],
        "summary": rt.summary,
        "description": _summary(rt),
        "responses": {"200": {"$ref": f"#/components/responses/envelope.{fmt}"}},
        "x-implemented": rt.handler is not None,
        "x-extension": rt.extension,
        "x-rate-limit-pool": rt.pool,
        "x-rules": _rules(rt),
        "x-error-codes": rt.error_codes(),
    }
    # A request type's own `language` (a profile's, ...) is the same parameter on the wire.
    globals_ = [
        {"$ref": f"#/components/parameters/{name}"}
        for name in GLOBAL_PARAMETERS
        if name not in rt.params.table
    ]
    own = [
        {"$ref": f"#/components/parameters/{rt.name}.{name}"}
        for name, param in rt.params.table.items()
        if not param.type.file
    ]
    required = any(param.need == "required" for param in rt.params.table.values())
    body = {
        "required": required,
        "content": {
            media: {"schema": {"$ref": f"#/components/schemas/{rt.name}.{kind}"}}
            for media, kind in ((FORM, "form"), (MULTIPART, "multipart"))
        },
    }
    return {
        "get": {**common, "operationId": f"{rt.name}{suffix}", "parameters": globals_ + own},
        "post": {
            **common,
            "operationId": f"{rt.name}{suffix}_post",
            "parameters": globals_,
            "requestBody": body,
        },
    }


def _parameter(param: Param) -> Doc:
    doc: Doc = {
        "name": param.name,
        "in": "query",
        "description": _words(param),
        "schema": param.schema(),
    }
    if param.need == "required":
        doc["required"] = True
    if param.need == "deprecated":
        doc["deprecated"] = True
    if param.type.many:  # `a=x,y`: the comma-separated form every client can send
        doc["style"], doc["explode"] = "form", False
    return doc


def _words(param: Param) -> str:
    codes = ", ".join(f"`{code}`" for code in param.error_codes())
    return f"{param.describe()}. Error codes: {codes}."


def _body(rt: RequestType, *, files: bool) -> Doc:
    table = {n: p for n, p in rt.params.table.items() if files or not p.type.file}
    properties = {n: {**p.schema(), "description": _words(p)} for n, p in table.items()}
    schema: Doc = {"type": "object", "properties": properties}
    required = [n for n, p in table.items() if p.need == "required"]
    if required:
        schema["required"] = required
    return schema


def _v10(registry: Registry) -> Doc:
    names = [rt.name for rt in registry]
    parameters = [
        {
            "name": "request_type",
            "in": "query",
            "required": True,
            "description": "The request type; its parameters are those of its v1.1 operation.",
            "schema": {"type": "string", "enum": names},
        },
        {
            "name": "output_format",
            "in": "query",
            "description": "The answer's format.",
            "schema": {"type": "string", "enum": list(FORMATS), "default": "xml"},
        },
        *({"$ref": f"#/components/parameters/{name}"} for name in GLOBAL_PARAMETERS),
        {
            "name": "parameters",
            "in": "query",
            "description": "The request type's own parameters, as in v1.1.",
            "style": "form",
            "explode": True,
            "schema": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    ]
    responses = {
        "200": {
            "description": "The envelope, in `output_format` (XML unless it is `json`).",
            "headers": RATE_HEADERS,
            "content": {**_content("xml"), **_content("json")},
        }
    }
    form = {"type": "object", "additionalProperties": {"type": "string"}}
    common = {
        "tags": ["v1.0"],
        "security": V10_SECURITY,
        "parameters": parameters,
        "responses": responses,
    }
    return {
        "get": {**common, "operationId": "xml_engine_php", "summary": "Any request type (v1.0)."},
        "post": {
            **common,
            "operationId": "xml_engine_php_post",
            "summary": "Any request type (v1.0), its parameters in a form body.",
            "requestBody": {"content": {FORM: {"schema": form}, MULTIPART: {"schema": form}}},
        },
    }
