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


def test_publication_probes(org):
    """The inspection's area 12 (信息公开审查): reviews past their deadline and withheld information
    not re-assessed, each ONE query, labelled by number — never the subject (SUP-1, R-PUB-3)."""
    from datetime import timedelta

    from baomi.kit import probes
    from baomi.publication import services
    from tests.publication.factories import to_office, today
    from tests.support.assertions import assert_num_queries

    late = submit(org.staff_confidential, formed_on=today() - timedelta(days=60), title="绝密的标题不可出现")
    submit(org.staff_confidential)  # on time
    withheld = services.decide_request(org.security_officer, to_office(org, submit(org.staff_confidential)),
                                       outcome="refuse", reasons="内部事务", ground="internal")  # fmt: skip
    PublicationRequest.objects.filter(pk=withheld.pk).update(next_reassess_on=today() - timedelta(days=1))
    with assert_num_queries(1):
        m = probes.measure("publication.reviews_overdue", today())
    assert m.count == 1 and m.exceptions == [{"pk": late.pk, "label": f"#{late.pk}"}]
    with assert_num_queries(1):
        m = probes.measure("publication.reassessments_overdue", today())
    assert m.count == 1 and m.exceptions[0]["pk"] == withheld.pk
