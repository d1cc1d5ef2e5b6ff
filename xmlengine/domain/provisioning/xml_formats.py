"""Makes provisioned with XML files: Poly, Grandstream, Cisco, Snom, Obihai, Gigaset.

Every value is written through ElementTree, so a label or a password holding `<` or `"`
stays a value.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element, SubElement, tostring

from xmlengine.domain.provisioning import Format, Phone, on_off

Settings = Iterable[tuple[str, str | int | None]]
XML = "application/xml"


def _document(root: Element) -> bytes:
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _children(parent: Element, settings: Settings, **attributes: str) -> Element:
    for tag, value in settings:
        if value is not None:
            SubElement(parent, tag, attributes).text = str(value)
    return parent


def _poly(phone: Phone) -> bytes:
    registrations: dict[str, str] = {}
    for n, line in enumerate(phone.lines, 1):
        registrations |= {
            f"reg.{n}.displayName": line.display_name,
            f"reg.{n}.label": line.display_name,
            f"reg.{n}.address": line.username,
            f"reg.{n}.auth.userId": line.username,
            f"reg.{n}.auth.password": line.password,
            f"reg.{n}.server.1.address": phone.proxy_host,
            f"reg.{n}.server.1.port": str(phone.proxy_port),
        }
    device = {
        "device.auth.localAdminPassword": phone.admin_password,
        "device.auth.localUserPassword": phone.phone_password,
        "device.net.vlanId": "" if phone.vlan is None else str(phone.vlan),
        "lcl.ml.lang": {"en": "English_United_States", "fr": "French_France"}.get(
            phone.language, ""
        ),
        "lcl.datetime.time.24HourClock": on_off(phone.time_24h) or "",
        "call.callWaiting.enable": on_off(phone.call_waiting) or "",
        "feature.forward.enable": on_off(phone.call_forwarding) or "",
    }
    root = Element("polycomConfig")
    SubElement(root, "reg", registrations)
    SubElement(root, "device", {key: value for key, value in device.items() if value})
    return _document(root)


# Grandstream P-values of accounts 1 to 6: active, SIP server, user id, auth id, password,
# display name, account name.
GRANDSTREAM_ACCOUNTS = (
    (271, 47, 35, 36, 34, 3, 270),
    *((b, b + 1, b + 3, b + 4, b + 5, b + 7, b + 17) for b in (401, 501, 601, 1701, 1801)),
)


def _grandstream_settings(phone: Phone) -> Settings:
    for line, pvalues in zip(phone.lines, GRANDSTREAM_ACCOUNTS, strict=False):
        active, server, user, auth, password, display, name = pvalues
        yield f"P{active}", 1
        yield f"P{server}", phone.proxy
        yield f"P{user}", line.username
        yield f"P{auth}", line.username
        yield f"P{password}", line.password
        yield f"P{display}", line.display_name
        yield f"P{name}", line.display_name
    yield "P2", phone.admin_password or None
    yield "P196", phone.phone_password or None
    yield "P1362", {"en": "en", "fr": "fr"}.get(phone.language)
    yield "P122", on_off(phone.time_24h)
    if phone.vlan is not None:
        yield "P51", phone.vlan
    yield "P91", on_off(phone.call_waiting, "0", "1")  # P91 disables call waiting


def _grandstream(phone: Phone) -> bytes:
    root = Element("gs_provision", version="1")
    SubElement(root, "mac").text = phone.mac
    _children(SubElement(root, "config", version="1"), _grandstream_settings(phone))
    return _document(root)


def _cisco_settings(phone: Phone) -> Settings:
    for n, line in enumerate(phone.lines, 1):
        yield f"Line_Enable_{n}_", "Yes"
        yield f"Display_Name_{n}_", line.display_name
        yield f"Short_Name_{n}_", line.display_name
        yield f"User_ID_{n}_", line.username
        yield f"Password_{n}_", line.password
        yield f"Use_Auth_ID_{n}_", "Yes"
        yield f"Auth_ID_{n}_", line.username
        yield f"Proxy_{n}_", phone.proxy
    yield "Admin_Passwd", phone.admin_password or None
    yield "User_Password", phone.phone_password or None
    yield "Language_Selection", {"en": "English", "fr": "French"}.get(phone.language)
    yield "Time_Format", on_off(phone.time_24h, "24hr", "12hr")
    if phone.vlan is not None:
        yield "Enable_VLAN", "Yes"
        yield "VLAN_ID", phone.vlan
    yield "Call_Waiting_Serv", on_off(phone.call_waiting, "Yes", "No")
    yield "Cfwd_Setting", on_off(phone.call_forwarding, "Yes", "No")


def _cisco(phone: Phone) -> bytes:
    return _document(_children(Element("flat-profile"), _cisco_settings(phone)))


def _snom(phone: Phone) -> bytes:
    root = Element("settings")
    settings = SubElement(root, "phone-settings")
    for n, line in enumerate(phone.lines, 1):
        account = (
            ("user_active", "on"),
            ("user_realname", line.display_name),
            ("user_name", line.username),
            ("user_pname", line.username),
            ("user_pass", line.password),
            ("user_host", phone.proxy),
        )
        _children(settings, account, idx=str(n), perm="")
    phone_wide = (
        ("admin_mode_password", phone.admin_password or None),
        ("language", {"en": "English", "fr": "Francais"}.get(phone.language)),
        ("show_clock_24h", on_off(phone.time_24h, "on", "off")),
        ("vlan_id", phone.vlan),
        ("call_waiting", on_off(phone.call_waiting, "on", "off")),
    )
    _children(settings, phone_wide, perm="")
    return _document(root)


def _obihai(phone: Phone) -> bytes:
    root = Element("ParameterList")
    for n, line in enumerate(phone.lines, 1):
        profile = SubElement(root, "O", N=f"VoiceService.1.VoiceProfile.{n}.")
        line_object = SubElement(root, "O", N=f"VoiceService.1.VoiceProfile.{n}.Line.1.")
        for parent, name, value in (
            (profile, "SIP.ProxyServer", phone.proxy_host),
            (profile, "SIP.ProxyServerPort", str(phone.proxy_port)),
            (line_object, "SIP.AuthUserName", line.username),
            (line_object, "SIP.AuthPassword", line.password),
            (line_object, "CallerIDName", line.display_name),
        ):
            SubElement(SubElement(parent, "P", N=name), "V").text = value
    return _document(root)


def _gigaset(phone: Phone) -> bytes:
    root = Element("ProviderFrame")
    provider = SubElement(root, "Provider")
    SubElement(provider, "MAC_ADDRESS", value=phone.mac)
    SubElement(provider, "PROFILE_NAME", {"class": "string", "value": phone.model})
    for n, line in enumerate(phone.lines, 1):
        for name, value in (
            ("aucS_SIP_DISPLAYNAME", line.display_name),
            ("aucS_SIP_USER_ID", line.username),
            ("aucS_SIP_LOGIN_ID", line.username),
            ("aucS_SIP_PASSWORD", line.password),
            ("aucS_SIP_DOMAIN", phone.proxy_host),
            ("uiS_SIP_PORT", str(phone.proxy_port)),
        ):
            item = {"ID": f"BS_IP_Data{n}.{name}", "class": "symb_item", "value": value}
            SubElement(provider, "SYMB_ITEM", item)
    return _document(root)


POLY = Format(lambda mac: f"{mac}.cfg", XML, _poly, 34)
GRANDSTREAM = Format(lambda mac: f"cfg{mac}.xml", XML, _grandstream, len(GRANDSTREAM_ACCOUNTS))
CISCO = Format(lambda mac: f"{mac}.xml", XML, _cisco, 12)
SNOM = Format(lambda mac: f"{mac}.xml", XML, _snom, 12)
OBIHAI = Format(lambda mac: f"{mac}.xml", XML, _obihai, 2)
GIGASET = Format(lambda mac: f"{mac}.xml", XML, _gigaset, 20)
