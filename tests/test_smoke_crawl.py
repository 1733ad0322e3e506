"""Smoke crawl of the integrated product, as every demo role (SEC-7).

SEC-7: bad input gets a clear Chinese message in the UI and a structured error in the API, never a
500. For each demo account this test follows every same-site link from ``/`` (bounded), checks that
no page answers 5xx, that every HTML page is Chinese and carries the Content-Security-Policy
header with no inline script — no ``on*=`` handler, no ``<script>`` without ``src``, no
``javascript:`` URL (issue 11 §6) — posts empty and garbage data to every form
it found, and reads every list endpoint of the API (plus garbage writes) expecting the
``{"error": {"code", "message", "fields"}}`` envelope on every error.

The demo data is loaded once for the module inside an outer transaction that is rolled back at the
end; each test runs in its own savepoint, so one role's form posts do not leak into the next.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

USERS = [
    "sysadmin",
    "secofficer",
    "auditor",
    "zhangwei",
    "lina",
    "wangfang",
    "liuyang",
    "chenjing",
    "zhaolei",
]
MAX_PAGES = 150  # per user
MAX_DEPTH = 4
MAX_PER_PATTERN = 2  # /carriers/7/ and /carriers/9/ are the same page shape
MAX_FORMS = 60  # per user
# Roles whose API sweep also tries bogus ids, garbage filters and bodies (the rest only list):
# the widest reader, a classification authority, a case handler and someone with no clearance.
API_THOROUGH = {"secofficer", "zhangwei", "wangfang", "zhaolei"}

# Paths never followed: leaving the session, static files, the API browser (checked separately).
SKIP_PREFIXES = (
    "/accounts/logout",
    "/static/",
    "/api/docs",
    "/api/redoc",
    "/api/schema",
    "/api/v1/",
)

# English UI words that must never reach a Chinese page (visible text only).
ENGLISH_UI_WORDS = {
    "Save", "Cancel", "Submit", "Search", "Export", "Next", "Previous", "Delete", "Edit", "Back",
    "Status", "Actions", "Filter", "Create", "Details", "Approve", "Reject", "None", "True", "False",
    "Home", "Dashboard", "Settings", "Sign", "Login", "Logout", "Apply", "Reset", "Download",
    "Upload", "Close", "Confirm", "Add", "Remove", "Required", "Optional", "Page", "Total",
    "Nothing", "Open", "Closed", "Pending", "Approved", "Rejected", "Draft", "Active",
    # stored values shown instead of their labels (e.g. an audit entry's channel "system")
    "system", "pending", "approved", "rejected", "active", "secret",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]{3,}")
_PATTERN_ID = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9A-Za-z_-]{20,})(?=/|$)")


# Script types a browser runs (a data block such as ``text/dal-forward-conf`` is not script).
_EXECUTABLE = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


class _PageParser(HTMLParser):
    """Collects links, forms (with their fields) and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self.text: list[str] = []
        self.inline: list[str] = []  # inline script: handlers, <script> without src, javascript: URLs
        self._skip = 0
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.inline += [f"<{tag} {k}>" for k in a if k.startswith("on")]
        self.inline += [
            f"<{tag} {k}=javascript:>" for k, v in a.items() if v.strip().lower().startswith("javascript:")
        ]
        if tag == "script" and not a.get("src") and a.get("type", "").lower() in _EXECUTABLE:
            self.inline.append("<script> without src")
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "fields": {},
            }
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None and a.get("name"):
            self._form["fields"][a["name"]] = a.get("type", tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _pattern(path: str) -> str:
    return _PATTERN_ID.sub("/N", path)


def _same_site(base: str, href: str) -> str | None:
    if href.startswith(("#", "mailto:", "javascript:", "data:")):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIP_PREFIXES):
        return None
    return path


def _garbage(kind: str) -> str:
    return {
        "number": "-99999999999999999999",
        "date": "2026-13-45",
        "datetime-local": "not-a-time",
        "email": "@@",
        "checkbox": "on",
        "file": "",
    }.get(kind, "<b>垃圾</b>' OR 1=1 -- \x00" if kind in ("text", "textarea", "search") else "999999999")


@pytest.fixture(scope="module")
def demo_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The whole demo, loaded once for this module and rolled back afterwards."""
    from django.conf import settings

    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["tests.support.hashers.FastArgon2PasswordHasher"]
    with django_db_blocker.unblock(), transaction.atomic():
        from baomi.kit import demo

        demo.load()
        yield
        transaction.set_rollback(True)
    settings.PASSWORD_HASHERS = hashers


def _client(username: str) -> Client:
    from baomi.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def _crawl(client: Client) -> tuple[list[str], list[tuple[str, dict[str, Any]]], int]:
    """Breadth-first GET crawl; returns problems, the forms found and the number of pages."""
    problems: list[str] = []
    forms: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = {"/"}
    per_pattern: dict[str, int] = {}
    form_patterns: set[tuple[str, str]] = set()
    queue: deque[tuple[str, int]] = deque([("/", 0)])
    pages = 0
    while queue and pages < MAX_PAGES:
        url, depth = queue.popleft()
        response = client.get(url)
        pages += 1
        if response.status_code >= 500:
            problems.append(f"GET {url} -> {response.status_code}")
            continue
        if "script-src 'self'" not in response.get("Content-Security-Policy", ""):
            problems.append(f"GET {url}: no Content-Security-Policy limiting scripts to 'self' (issue 11 §6)")
        ctype = response.get("Content-Type", "")
        if response.status_code != 200 or not ctype.startswith("text/html"):
            continue
        body = response.content.decode()
        if 'lang="zh-Hans"' not in body:
            problems.append(f"GET {url}: not a Chinese page")
        parser = _PageParser()
        parser.feed(body)
        if parser.inline:
            problems.append(f"GET {url}: inline script {sorted(set(parser.inline))} (CSP, issue 11 §6)")
        english = {w for w in _WORD.findall(" ".join(parser.text)) if w in ENGLISH_UI_WORDS}
        if english:
            problems.append(f"GET {url}: English UI words {sorted(english)}")
        for form in parser.forms:
            if form["method"] != "post":
                # A filter form: submit garbage in every field, and ask for impossible pages.
                target = _same_site(url, form["action"]) if form["action"] else urlsplit(url).path
                if target is not None and (_pattern(target), "GET") not in form_patterns:
                    form_patterns.add((_pattern(target), "GET"))
                    for query in (
                        {name: _garbage(kind) for name, kind in form["fields"].items()},
                        dict.fromkeys(form["fields"], "x'%_"),
                        {"page": "abc", "sort": "-nonexistent", "order": "x"},
                        {"page": "999999"},
                    ):
                        response = client.get(target, query)
                        if response.status_code >= 500:
                            problems.append(f"GET {target} {query} -> {response.status_code}")
                continue
            action = _same_site(url, form["action"]) if form["action"] else url
            if action is None:
                continue
            key = (_pattern(urlsplit(action).path), ",".join(sorted(form["fields"])))
            if key not in form_patterns:
                form_patterns.add(key)
                forms.append((action, form["fields"]))
        if depth >= MAX_DEPTH:
            continue
        for href in parser.links:
            link = _same_site(url, href)
            if link is None or link in seen:
                continue
            pattern = _pattern(urlsplit(link).path) + ("?" if "?" in link else "")
            if per_pattern.get(pattern, 0) >= MAX_PER_PATTERN:
                continue
            per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
            seen.add(link)
            queue.append((link, depth + 1))
    return problems, forms, pages


def _post_forms(client: Client, forms: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Posts garbage, then nothing, to each form; a 5xx is a problem, anything else is fine."""
    problems: list[str] = []
    for action, fields in forms[:MAX_FORMS]:
        garbage = {name: _garbage(kind) for name, kind in fields.items() if name != "csrfmiddlewaretoken"}
        for data in (garbage, {}):
            response = client.post(action, data)
            if response.status_code >= 500:
                problems.append(f"POST {action} {sorted(data)} -> {response.status_code}")
    return problems


_SCHEMA: dict[str, Any] = {}


def _api_paths(client: Client) -> dict[str, Any]:
    """Every path of the OpenAPI schema (read once) with its operations."""
    if not _SCHEMA:
        response = client.get("/api/schema/", {"format": "json"})
        assert response.status_code == 200, response.status_code
        _SCHEMA.update(json.loads(response.content)["paths"])
    return _SCHEMA


def _check_api_error(method: str, path: str, response: Any) -> list[str]:
    if response.status_code >= 500:
        return [f"{method} {path} -> {response.status_code}"]
    if response.status_code >= 400:
        try:
            error = json.loads(response.content)["error"]
            assert {"code", "message", "fields"} <= set(error)
        except (ValueError, KeyError, TypeError, AssertionError):
            return [f"{method} {path} -> {response.status_code} without the error envelope"]
    return []


def _api(client: Client, paths: dict[str, Any], *, thorough: bool) -> list[str]:
    """GETs every list endpoint; ``thorough`` adds bogus ids, garbage filters and garbage bodies."""
    problems: list[str] = []
    for template, operations in sorted(paths.items()):
        if "{" in template and not thorough:
            continue
        if "{" in template:
            # Detail and action endpoints: with an id that does not exist and one that is not a number.
            for bogus in ("999999", "x-1"):
                path = re.sub(r"\{[^}]+\}", bogus, template)
                problems += _check_api_error("GET", path, client.get(path))
            continue
        path = template
        if "get" in operations:
            problems += _check_api_error("GET", path, client.get(path))
            if not thorough:
                continue
            # Every documented filter with garbage: text where numbers go, numbers no date can hold.
            names = [p["name"] for p in operations["get"].get("parameters", []) if p.get("in") == "query"]
            for value in ("x'%_", "999999999999"):
                query = dict.fromkeys({*names, "page", "page_size", "ordering", "year", "department"}, value)
                problems += _check_api_error("GET", f"{path} {query}", client.get(path, query))
        if "post" in operations and thorough:
            for body in ("{not json", json.dumps({"garbage": "<b>x</b>", "id": -1})):
                response = client.post(path, body, content_type="application/json")
                problems += _check_api_error("POST", path, response)
    return problems


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("username", USERS)
def test_every_reachable_page_and_form_works(demo_db: None, username: str) -> None:
    """SEC-7: no page, form post or API list answers 5xx, and every page is Chinese, for each role."""
    client = _client(username)
    problems, forms, pages = _crawl(client)
    assert pages > 3, f"{username} reached only {pages} pages"
    problems += _post_forms(client, forms)
    problems += _api(_client(username), _api_paths(client), thorough=username in API_THOROUGH)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_anonymous_pages_and_api_answer_cleanly(demo_db: None) -> None:
    """SEC-7: signed out, pages send to sign-in and the API answers a structured 401, never 5xx."""
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 200
    assert 'lang="zh-Hans"' in login.content.decode()
    assert client.post(response["Location"], {"username": "x' --", "password": ""}).status_code < 500
    paths = [p for p in _api_paths(_client("sysadmin")) if "{" not in p]
    problems: list[str] = []
    for path in paths:
        answer = client.get(path)
        problems += _check_api_error("GET", path, answer)
        if answer.status_code < 400:
            problems.append(f"GET {path} -> {answer.status_code} while signed out")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_nul_byte_in_a_query_is_a_bad_request(demo_db: None) -> None:
    """SEC-7: ?q=%00 (which PostgreSQL cannot compare) is a Chinese 400 page, or the API's envelope."""
    client = _client("secofficer")
    page = client.get("/classification/", {"q": "a\x00b"})
    assert page.status_code == 400
    assert 'lang="zh-Hans"' in page.content.decode()
    api = client.get("/api/v1/classification/items/", {"q": "a\x00b"})
    assert api.status_code == 400
    assert json.loads(api.content)["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_a_bad_decision_note_is_refused_and_next_stays_on_site(demo_db: None) -> None:
    """SEC-7: a decision note with a NUL byte or over 300 characters is refused with a Chinese
    message and nothing is decided; ``next`` pointing off-site is ignored (no open redirect)."""
    from baomi.carriers.models import LoanRequest

    loan = LoanRequest.objects.filter(status="pending").first()
    assert loan is not None
    client = _client("zhangwei")
    for note in ("a\x00b", "长" * 301):
        response = client.post(
            f"/carriers/approvals/loan/{loan.pk}/approve/", {"note": note, "next": "https://evil.example/"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/carriers/approvals/"
        loan.refresh_from_db()
        assert loan.status == "pending"
