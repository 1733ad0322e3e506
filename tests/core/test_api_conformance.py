"""The API does what its OpenAPI schema says, for every operation and five personas (issue 11
§6, SEC-7, STYLE 2.9): every answer's status is one the operation documents (no undocumented
201, no 403 — forbidden is 404) and its body validates against the documented schema (enum
values, nullable fields, the error envelope); nothing answers 5xx.

Over the demo data (loaded once for the module, rolled back at the end), per persona:

- every GET operation — lists, and details and sub-resources with ids taken from the lists;
- every write operation with an empty body, then with bodies generated from its request schema
  by Hypothesis (``FUZZ_EXAMPLES`` per operation: a small sample in CI; ``make fuzz`` runs
  ``BAOMI_FUZZ_EXAMPLES=25`` and more personas' worth of garbage — figures in docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator

PERSONAS = ["sysadmin", "secofficer", "auditor", "zhangwei", "wangfang"]  # 三员, unit head, staff
FUZZ_EXAMPLES = int(os.environ.get("BAOMI_FUZZ_EXAMPLES", "2"))
WRITES = {"post", "put", "patch", "delete"}
# Operations whose success ends the persona's session or changes who they are for the rest of
# the sweep: tried with an empty body only.
STATEFUL = re.compile(r"/accounts/(tokens|users)/")
_SCHEMA: dict[str, Any] = {}


@pytest.fixture(scope="module")
def demo_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from django.conf import settings as dj

    hashers = dj.PASSWORD_HASHERS
    dj.PASSWORD_HASHERS = ["tests.support.hashers.FastArgon2PasswordHasher"]
    with django_db_blocker.unblock(), transaction.atomic():
        from baomi.kit import demo

        demo.load()
        yield
        transaction.set_rollback(True)
    dj.PASSWORD_HASHERS = hashers


def _client(username: str) -> Client:
    from baomi.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def _schema(client: Client) -> dict[str, Any]:
    if not _SCHEMA:
        response = client.get("/api/schema/", {"format": "json"})
        assert response.status_code == 200
        _SCHEMA.update(json.loads(response.content))
    return _SCHEMA


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


_SENT: dict[str, int] = {}


def check(schema: dict[str, Any], method: str, template: str, response: Any) -> list[str]:
    """The answer's status is documented for the operation and its JSON body validates."""
    _SENT[str(response.status_code)] = _SENT.get(str(response.status_code), 0) + 1
    where = f"{method.upper()} {template} -> {response.status_code}"
    if response.status_code >= 500:
        return [where]
    documented = schema["paths"][template][method]["responses"]
    if str(response.status_code) not in documented:
        return [f"{where}: status not documented ({sorted(documented)})"]
    content = documented[str(response.status_code)].get("content", {})
    body_schema = (content.get("application/json") or {}).get("schema")
    if body_schema is None or response.status_code == 204:
        return []
    if not response.get("Content-Type", "").startswith("application/json"):
        return []  # files (CSV, PDF ...) are documented as binary
    try:
        body = json.loads(response.content)
    except ValueError:
        return [f"{where}: not JSON"]
    validator = OAS30Validator({**_nullable(body_schema), "components": _components(schema)})
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    return [f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message[:160]}" for e in errors[:3]]


_COMPONENTS: dict[str, Any] = {}


def _nullable(node: Any) -> Any:
    """``nullable: true`` beside ``allOf``/``oneOf`` (how drf-spectacular marks a nullable
    reference) admits null, as OpenAPI 3.0 tools read it; the validator needs it spelt out."""
    if isinstance(node, list):
        return [_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"enum": [None]}]}
    return node


def _components(schema: dict[str, Any]) -> dict[str, Any]:
    if not _COMPONENTS:
        _COMPONENTS.update(_nullable(schema["components"]))
    return _COMPONENTS


def _ids(body: Any) -> list[Any]:
    rows = body.get("results", body) if isinstance(body, dict) else body
    if isinstance(rows, list):
        return [r["id"] for r in rows if isinstance(r, dict) and "id" in r][:2]
    return []


def _fill(template: str, ids: dict[str, list[Any]]) -> list[str]:
    """Concrete paths for a template: ids seen in its collection's list, and one that is absent."""
    if "{" not in template:
        return [template]
    collection = template.split("{", 1)[0]
    known = ids.get(collection, [])
    return [re.sub(r"\{[^}]+\}", str(i), template, count=1) for i in [*known, 999999]]


def _sweep_gets(client: Client, schema: dict[str, Any]) -> tuple[list[str], dict[str, list[Any]]]:
    problems: list[str] = []
    ids: dict[str, list[Any]] = {}
    paths = schema["paths"]
    for template in sorted(paths, key=lambda p: p.count("{")):
        if "get" not in paths[template] or "{" in template:
            continue
        response = client.get(template)
        problems += check(schema, "get", template, response)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
            ids[template] = _ids(json.loads(response.content))
    for template in sorted(paths):
        if "get" not in paths[template] or "{" not in template:
            continue
        for path in _fill(template, ids):
            problems += check(schema, "get", template, client.get(path))
    return problems, ids


# -- bodies from the request schema (a small generator for what DRF serializers describe) --------


def _strategy(schema: dict[str, Any], node: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    node = _resolve(schema, node) or {}
    for combo in ("allOf", "oneOf", "anyOf"):
        if combo in node:
            return st.one_of(*[_strategy(schema, n, depth + 1) for n in node[combo]])
    if "enum" in node:
        return st.sampled_from([v for v in node["enum"] if v is not None] or [""])
    kind = node.get("type")
    garbage = st.one_of(
        st.none(), st.integers(-(2**70), 2**70), st.text(max_size=20), st.just([]), st.just({})
    )
    if kind == "integer":
        base = st.integers(node.get("minimum", -(2**40)), node.get("maximum", 2**40))
    elif kind == "number":
        base = st.floats(allow_nan=False, allow_infinity=False, width=32)
    elif kind == "boolean":
        base = st.booleans()
    elif kind == "array":
        base = (
            st.lists(_strategy(schema, node.get("items", {}), depth + 1), max_size=3)
            if depth < 3
            else st.just([])
        )
    elif kind == "object" or "properties" in node:
        props = {
            k: v for k, v in node.get("properties", {}).items() if not _resolve(schema, v).get("readOnly")
        }
        required = [k for k in node.get("required", []) if k in props]
        optional = [k for k in props if k not in required]
        if depth >= 3:
            return st.just({})
        base = st.fixed_dictionaries(
            {k: _strategy(schema, props[k], depth + 1) for k in required},
            optional={k: _strategy(schema, props[k], depth + 1) for k in optional},
        )
    else:
        fmt = node.get("format")
        if fmt == "date":
            base = st.dates().map(str)
        elif fmt == "date-time":
            base = st.datetimes().map(lambda d: d.isoformat())
        elif fmt == "binary":
            return st.just("")
        else:
            base = st.text(max_size=node.get("maxLength", 40) or 40)
    return st.one_of(base, garbage) if depth else base


def _request_schema(schema: dict[str, Any], operation: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    return (content.get("application/json") or {}).get("schema")


def _sweep_writes(client: Client, schema: dict[str, Any], ids: dict[str, list[Any]]) -> list[str]:
    problems: list[str] = []
    for template, item in sorted(schema["paths"].items()):
        for method in sorted(WRITES & set(item)):
            operation = item[method]
            paths = _fill(template, ids)
            send = getattr(client, method)
            for path in paths:
                problems += check(schema, method, template, send(path, "{}", content_type="application/json"))
            body_schema = _request_schema(schema, operation)
            if body_schema is None or STATEFUL.search(template) or FUZZ_EXAMPLES <= 0:
                continue

            @seed(len(template) + len(method))
            @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=False,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(body=_strategy(schema, body_schema), path=st.sampled_from(paths))
            def fuzz(body: Any, path: str) -> None:
                with transaction.atomic():
                    # called at once, inside this iteration: the loop variables are the current ones
                    response = send(path, json.dumps(body, default=str), content_type="application/json")  # noqa: B023
                    problems.extend(check(schema, method, template, response))  # noqa: B023
                    transaction.set_rollback(True)

            fuzz()
    return problems


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("username", PERSONAS)
def test_every_operation_answers_as_documented(demo_db: None, username: str) -> None:
    """SEC-7, issue 11 §6: for this persona, every GET and write operation of the schema
    answers a documented status with a body that validates against its schema; never 5xx."""
    client = _client(username)
    schema = _schema(client)
    _SENT.clear()
    problems, ids = _sweep_gets(client, schema)
    problems += _sweep_writes(client, schema, ids)
    print(f"conformance {username}: {sum(_SENT.values())} requests, by status {dict(sorted(_SENT.items()))}")
    assert not problems, "\n".join(dict.fromkeys(problems))
