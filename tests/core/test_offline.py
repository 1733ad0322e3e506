"""Nothing served refers to a server outside baomi (issue 19; README: "no CDN, nothing fetched
at run time"). Offices run on isolated networks: a page or static file that loads a font, a
script or a logo from the internet breaks there, and tells the outside who reads what.

Every static file the finders serve is grepped for external resource references, and so is
every page reached by crawling the demo as the widest roles, the anonymous pages and the API
documentation (``/api/docs/``, ``/api/redoc/``)."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.db import transaction
from django.test import Client

# A URL of another host that a browser would load: a script, a style sheet, a font, an image.
RESOURCE = re.compile(
    r"(?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?/[^\s\"'`()<>]*?"
    r"\.(?:m?js|css|svg|png|jpe?g|gif|webp|ico|woff2?|ttf|otf|eot)(?=[?#\s\"'`()<>]|$)",
    re.IGNORECASE,
)
# A host that exists to serve such files, whatever the path.
CDN_HOST = re.compile(
    r"https?://[^\s\"'`/]*(?:cdn|fonts\.googleapis|fonts\.gstatic|unpkg|jsdelivr|cdnjs|bootstrapcdn|"
    r"ajax\.googleapis|gstatic)[^\s\"'`/]*",
    re.IGNORECASE,
)
# In a served page, any attribute or style that loads from another origin.
PAGE_LOAD = re.compile(
    r"(?:\b(?:src|href|srcset|action|poster|data|content)\s*=\s*[\"']?\s*|url\(\s*[\"']?|@import\s+[\"']?)"
    r"(?:https?:)?//",
    re.IGNORECASE,
)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
TEXT_SUFFIXES = (".js", ".mjs", ".css", ".html", ".htm", ".svg", ".json", ".txt", ".xml")


def external_references(text: str) -> list[str]:
    return sorted(
        {m.group(0) for m in RESOURCE.finditer(text)} | {m.group(0) for m in CDN_HOST.finditer(text)}
    )


def served_static_files() -> Iterator[tuple[str, str]]:
    """(URL path, file path) of every static file, as whitenoise and collectstatic see them."""
    seen: set[str] = set()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if path not in seen:
                seen.add(path)
                yield path, storage.path(path)


def test_the_reference_pattern_finds_what_it_must():
    """The grep itself: a CDN script, a font, a logo; not a namespace or a documentation link."""
    assert external_references('<script src="https://cdn.jsdelivr.net/npm/x/dist/x.min.js">')
    assert external_references("@font-face{src:url(//fonts.gstatic.com/s/roboto.woff2)}")
    assert external_references('src:"https://cdn.redoc.ly/redoc/logo-mini.svg"')
    assert not external_references('xmlns="http://www.w3.org/2000/svg" see https://redocly.com/docs/cli/')
    assert PAGE_LOAD.search('<link rel="stylesheet" href="https://fonts.googleapis.com/css2">')
    assert not PAGE_LOAD.search('<a href="/carriers/">https text</a>')


def test_no_static_file_refers_to_another_server():
    """Every static file served (ours and the libraries': DRF, Swagger UI, ReDoc)."""
    offenders = {}
    count = 0
    for url, path in served_static_files():
        assert not url.endswith(".map"), "source maps are not served"
        count += 1
        if not url.endswith(TEXT_SUFFIXES):
            continue
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        if url.endswith(".css"):  # a comment loads nothing (bootstrap credits its sources)
            text = CSS_COMMENT.sub("", text)
        found = external_references(text)
        if found:
            offenders[url] = found[:5]
    assert count > 20
    assert not offenders, offenders


def test_redoc_draws_its_logo_locally(client):
    """The ReDoc bundle served is the patched one; the package's own file is left as installed."""
    from baomi.kit.staticfiles import BLANK_IMAGE

    path = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    text = Path(path).read_text(encoding="utf-8")
    assert BLANK_IMAGE in text and "cdn.redoc.ly" not in text
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js.map") is None
    response = client.get("/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    assert response.status_code == 200
    assert b"cdn.redoc.ly" not in b"".join(response.streaming_content)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.links.append(value)


@pytest.fixture(scope="module")
def demo_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        from baomi.kit import demo

        demo.load()
        yield
        transaction.set_rollback(True)


def _crawl(client: Client, start: list[str], limit: int = 120) -> tuple[dict[str, list[str]], int]:
    """GET same-site pages breadth first (one per URL shape); return the external loads per page
    and the number of pages."""
    problems: dict[str, list[str]] = {}
    queue: deque[str] = deque(start)
    seen = set(start)
    shapes: set[str] = set()
    pages = 0
    while queue and pages < limit:
        url = queue.popleft()
        response = client.get(url)
        pages += 1
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code != 200:
            continue
        body = response.content.decode()
        found = [body[m.start() : m.end() + 40] for m in PAGE_LOAD.finditer(body)] + external_references(body)
        if found:
            problems[url] = found
        parser = _Links()
        parser.feed(body)
        for href in parser.links:
            link = urljoin(url, href)
            parts = urlsplit(link)
            if parts.scheme not in {"", "http", "https"}:  # data:, mailto:
                continue
            if parts.netloc or parts.path.startswith(("/static/", "/accounts/logout", "/api/v1/")):
                if parts.path.startswith("/static/") and not parts.netloc and link not in seen:
                    seen.add(link)
                    static = client.get(link)
                    assert static.status_code == 200, f"{url} refers to a missing static file {link}"
                continue
            shape = re.sub(r"/[0-9a-f-]{6,}|/\d+", "/N", parts.path)
            if link not in seen and shape not in shapes:
                seen.add(link)
                shapes.add(shape)
                queue.append(parts.path)
    return problems, pages


@pytest.mark.django_db
def test_no_page_loads_anything_from_another_server(demo_db):
    """The login page, the API documentation, and the pages the security officer and the unit's
    head reach from the home page."""
    from baomi.accounts.models import User

    anonymous = Client()
    problems, total = _crawl(anonymous, ["/accounts/login/", "/nowhere/"])
    for username in ("secofficer", "zhangwei"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        found, pages = _crawl(client, ["/", "/api/docs/", "/api/redoc/"])
        problems |= found
        total += pages
    assert total > 100
    assert not problems, problems
