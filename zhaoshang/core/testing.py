"""Test personas and helpers, defined once.

Who sees what (the demo accounts of the README, same password):
- province_admin   — 云南省 530000: every prefecture, county and all 78 parks; may add, edit and retire parks.
- chuxiong_officer — 楚雄州 532300: its 10 counties and its 4 parks (禄丰's included); never 昆明's.
- lufeng_officer   — 禄丰市 532302: itself and 云南禄丰工业园区 only.
- kunming_officer  — 昆明市 530100: its 14 counties and 14 parks; never 楚雄's.
- enterprise_user  — enterprise_demo, no jurisdiction: sees no bureau data.
- audit_admin      — reads and exports the audit trail, nothing else.
- anonymous        — redirected to the login page.
"""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from zhaoshang.core.demo import DEMO_PASSWORD

PERSONA_USERNAMES = {
    "province_admin": "province_admin",
    "chuxiong_officer": "chuxiong_officer",
    "lufeng_officer": "lufeng_officer",
    "kunming_officer": "kunming_officer",
    "enterprise_user": "enterprise_demo",
    "audit_admin": "audit_admin",
    "leader_province": "leader_province",
    "system_admin": "system_admin",
    "security_admin": "security_admin",
}
PASSWORD = DEMO_PASSWORD
LUFENG_PARK = "S539053"  # 云南禄丰工业园区, in 禄丰市
CHUXIONG_PARK = "S537004"  # 云南楚雄经济开发区, attached to 楚雄州 itself
KUNMING_PARK = "G531042"  # 昆明经济技术开发区


def load_platform_data() -> None:
    """Reference data and demo accounts, exactly as `make run` loads them (idempotent)."""
    call_command("load_reference_data", verbosity=0, stdout=_Null())
    call_command("create_demo_accounts", verbosity=0, stdout=_Null())


def persona(name: str):
    return get_user_model().objects.select_related("org_unit").get(username=PERSONA_USERNAMES[name])


def client_for(client, name: str | None):
    """The Django test client, signed in as the persona (or anonymous for None). ``force_login`` is a completed
    sign-in: with MFA_REQUIRED on, the second factor counts as given (the session is signed in only after it)."""
    if name is not None:
        client.force_login(persona(name))
    return client


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def scope_matrix(*, list_url: str, api_url: str, detail_urls: dict[str, str]) -> list[tuple]:
    """Cases for one jurisdiction-owned model: (persona, url, expected status).

    ``detail_urls`` maps "lufeng" / "kunming" to URLs of an object in 禄丰 and one in 昆明 (the caller fills in
    the ids): own objects answer 200, a sibling's 404; anonymous users are sent to the login page (302) or get
    401 from the API.
    """
    lufeng, kunming = detail_urls["lufeng"], detail_urls["kunming"]
    return [
        ("lufeng_officer", list_url, 200),
        ("lufeng_officer", lufeng, 200),
        ("lufeng_officer", kunming, 404),
        ("chuxiong_officer", lufeng, 200),
        ("chuxiong_officer", kunming, 404),
        ("kunming_officer", kunming, 200),
        ("kunming_officer", lufeng, 404),
        ("province_admin", lufeng, 200),
        ("province_admin", kunming, 200),
        (None, list_url, 401 if list_url.startswith("/api/") else 302),
        (None, lufeng, 401 if lufeng.startswith("/api/") else 302),
        (None, api_url, 401),
    ]


def browser_form_values(html: str, url: str = "") -> dict[str, list[str]]:
    """What a browser submits from the page's form (the POST form whose action is ``url`` or empty), untouched:
    checked boxes only, the selected option (else the first), and the browser's own rules — an ``<input
    type=date>`` whose value is not ``YYYY-MM-DD`` is shown blank and sent empty (likewise ``month`` and
    ``number``), and a textarea's lines end in CRLF."""
    import re

    import lxml.html

    patterns = {
        "date": r"\d{4}-\d{2}-\d{2}",
        "month": r"\d{4}-\d{2}",
        "number": r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?",
    }
    document = lxml.html.fromstring(html)
    forms = [
        form
        for form in document.forms
        if (form.get("method") or "get").lower() == "post" and form.get("action", "") in ("", url)
    ]
    assert len(forms) == 1, f"expected one form posting to {url!r}, found {len(forms)}"
    values = []
    for element in forms[0].inputs:
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "select":
            if element.multiple:
                chosen = [o.get("value", o.text or "") for o in element.xpath(".//option[@selected]")]
            else:
                chosen = [element.value]
            values += [(name, value) for value in chosen if value is not None]
        elif element.tag == "textarea":
            values.append((name, (element.value or "").replace("\r\n", "\n").replace("\n", "\r\n")))
        else:
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if element.checked:
                    values.append((name, element.get("value", "on")))
                continue
            value = element.get("value", "")
            if kind in patterns and not re.fullmatch(patterns[kind], value):
                value = ""
            values.append((name, value))
    data: dict[str, list[str]] = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return data
