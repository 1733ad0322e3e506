"""A case handler proposes only levels within their own clearance (CLS-4, CAR-3): otherwise they
could not see the item they proposed. Refused with a field error on ``level``."""

from __future__ import annotations

import pytest

from baomi.classification import services
from baomi.classification.models import Item
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from tests.classification.conftest import determine, propose

pytestmark = pytest.mark.django_db
MESSAGE = "承办人的涉密资格低于拟定密级"


def test_service_refuses_a_level_above_the_handlers_clearance(org):
    """CLS-4, CAR-3: a 机密-cleared handler cannot propose 绝密; nothing is created."""
    with pytest.raises(ValidationFailed) as exc:
        propose(org, level=Level.TOP_SECRET, years=10)
    assert list(exc.value.fields) == ["level"]
    assert MESSAGE in str(exc.value.fields["level"][0]) and "绝密" in str(exc.value.fields["level"][0])
    assert not Item.objects.exists()
    # At the own clearance it works.
    assert propose(org, level=Level.SECRET).level == Level.SECRET


def test_change_to_a_level_above_the_handlers_clearance_is_refused(org):
    """CLS-4, CAR-3: the same holds for a change raising the level."""
    item = determine(org, level=Level.SECRET)
    with pytest.raises(ValidationFailed) as exc:
        services.propose_change(org.case_handler, item, kind="change", level=Level.TOP_SECRET, reason="升级")
    assert MESSAGE in str(exc.value.fields["level"][0])


def test_api_answers_400_with_a_field_error(org, api_client):
    """SEC-7: the API returns 400 with the message on the ``level`` field."""
    api_client.force_authenticate(org.case_handler)
    r = api_client.post("/api/v1/classification/items/", {
        "title": "谈判方案", "level": Level.TOP_SECRET, "department": org.departments["OFFICE"].pk,
        "basis_text": "第2条", "duration_kind": "period", "duration_value": 10, "duration_unit": "year",
        "period_start": "2026-03-01",
    }, format="json")  # fmt: skip
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert error["code"] == "invalid" and MESSAGE in error["fields"]["level"][0]
    assert not Item.objects.exists()
