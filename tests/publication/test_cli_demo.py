"""``baomi publication`` commands and the demo data (SUP-3)."""

from __future__ import annotations

import json

import pytest

from baomi.cli import main
from baomi.publication.choices import RequestStatus
from baomi.publication.models import Hit, PublicationRequest
from tests.publication.factories import make_item, submit

pytestmark = pytest.mark.django_db


def test_matcher_command_builds_and_reports_sizes(org, capsys):
    make_item(org)
    assert main(["publication", "matcher", "--as", "security_officer", "--rebuild"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["built"] and stats["main"]["terms"] == 3  # title, secret point, document number
    assert main(["publication", "matcher", "--as", "dept_head"]) == 1  # not the security office


def test_register_command_writes_the_xlsx(org, tmp_path, capsys):
    submit(org.staff_confidential)
    out = tmp_path / "register.xlsx"
    assert main(["publication", "register", "--as", "security_officer", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"PK")


@pytest.mark.django_db(transaction=True)
def test_demo_has_requests_in_every_state_and_a_hidden_hit():
    from baomi.kit import demo

    demo.load()
    states = set(PublicationRequest.objects.values_list("status", flat=True))
    assert states == set(RequestStatus.values)
    top = Hit.objects.filter(kind="title", match_level="top_secret").select_related("run__request").first()
    assert top is not None and top.run.request.status == RequestStatus.DEPT_REVIEW
    lina = top.run.request.department.head
    from baomi.publication import selectors

    views = selectors.hits_for(lina, top.run.request)
    assert any(not v.visible for v in views)
