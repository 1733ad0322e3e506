"""The OpenAPI 3 schema and the offline API docs (STYLE 2.9, like NetBox's test_openapi_schema).

The schema is fetched over HTTP as a signed-in user and validated against the OpenAPI 3
specification; the interactive docs are served from drf-spectacular-sidecar and reference no
external host (the offices run on isolated networks).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


@pytest.fixture
def signed_in(client, org):
    client.force_login(org.security_officer)
    return client


def fetch_schema(client) -> dict:
    r = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200, r.content[:500]
    return r.json()


def test_the_schema_is_valid_openapi_3(signed_in):
    """The served schema passes the OpenAPI 3 validator."""
    schema = fetch_schema(signed_in)
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_is_well_formed(signed_in):
    """Every API path lives under /api/v1/, every operation has a unique id (client generators
    need it) and the title says what the API is."""
    schema = fetch_schema(signed_in)
    assert schema["info"]["title"] == "baomi API"
    ids = []
    for path, item in schema["paths"].items():
        assert path.startswith("/api/v1/"), path
        for method, op in item.items():
            if method in METHODS:
                assert op.get("operationId"), f"{method} {path} has no operationId"
                ids.append(op["operationId"])
                assert op.get("responses"), f"{method} {path} has no responses"
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, duplicates


def test_the_schema_builds_without_warnings(capsys):
    """The schema generator reports no warnings — in particular every choice set has one
    stable enum name (no hashed ``Kind5daEnum`` that changes when another app adds a "kind")."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, capsys.readouterr().err
    names = [n for n, c in schema["components"]["schemas"].items() if "enum" in c]
    assert not [n for n in names if re.search(r"[0-9a-f]{3}Enum$", n)], names
    assert {"LevelEnum", "CarrierKindEnum", "DurationKindEnum"} <= set(names)


def test_the_schema_needs_a_signed_in_user(client):
    """The API's shape is not published to anonymous callers."""
    r = client.get("/api/schema/", {"format": "json"})
    assert r.status_code in {401, 404}


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_are_served_offline(signed_in, url):
    """The docs page loads its scripts and styles from our own static files, no CDN."""
    r = signed_in.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert refs, "the page references its assets"
    for ref in refs:
        assert not re.match(r"^(https?:)?//", ref), f"external reference {ref}"
    assert not re.search(r"https?://(?!localhost|127\.0\.0\.1|testserver)", html), "external URL in the page"
    for ref in refs:
        if ref.startswith("/static/"):
            assert finders.find(ref.removeprefix("/static/")), f"missing static file {ref}"


def test_swagger_ui_never_calls_the_online_validator(signed_in):
    # The page loads its settings as a script file (no inline script: the CSP, issue 11 §6).
    html = signed_in.get("/api/docs/").content.decode()
    html += signed_in.get("/api/docs/", {"script": ""}).content.decode()
    assert "validator.swagger.io" not in html
    assert '"validatorUrl": null' in html


def test_every_operation_documents_the_error_envelope(signed_in):
    """Clients learn the error envelope from the schema (SEC-7): an ``Error`` component and
    400/401/404/500 on every operation, 409 on writes."""
    schema = fetch_schema(signed_in)
    assert set(schema["components"]["schemas"]["Error"]["properties"]["error"]["required"]) == {
        "code", "message", "fields",
    }  # fmt: skip
    operations = 0
    for item in schema["paths"].values():
        for method, op in item.items():
            if method not in METHODS:
                continue
            operations += 1
            assert {"400", "401", "404", "500"} <= set(op["responses"]), (method, op["operationId"])
            if method in {"post", "put", "patch", "delete"}:
                assert "409" in op["responses"]
    assert operations >= 2, "the schema describes operations (at least /api/v1/marks/)"


def test_the_error_hook_on_a_minimal_schema():
    from baomi.kit.drf import postprocess_schema

    result = postprocess_schema(
        {"paths": {"/api/v1/x/": {"post": {"responses": {"201": {}}}, "parameters": []}}}, None, None, True
    )
    responses = result["paths"]["/api/v1/x/"]["post"]["responses"]
    assert {"201", "400", "401", "404", "409", "500"} == set(responses)
    assert "Error" in result["components"]["schemas"]
