"""Domain errors escaping a view become pages, never a 500 (SEC-7); refusals look like 404 (CAR-3)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from baomi.access.errors import AccessDenied
from baomi.core.errors import InvalidTransition
from baomi.kit.middleware import DomainErrorMiddleware


def _run(exc):
    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    mw = DomainErrorMiddleware(lambda r: HttpResponse("ok"))
    return mw.process_exception(request, exc)


@pytest.mark.django_db
def test_refusal_is_the_not_found_page():
    response = _run(AccessDenied(action="view"))
    assert response.status_code == 404
    assert "不存在" in response.content.decode()


@pytest.mark.django_db
def test_other_domain_errors_show_their_message():
    response = _run(InvalidTransition("当前状态下不允许此操作。"))
    assert response.status_code == 409
    assert "当前状态下不允许此操作" in response.content.decode()


def test_other_exceptions_pass_through():
    assert _run(ValueError("x")) is None


@pytest.mark.django_db
def test_a_views_own_refusal_is_audited_once(org, client):
    """A screen refused by a view's own ``require`` is a 404 and one ACCESS_DENIED entry (SEC-3, CAR-3)."""
    from django.urls import reverse

    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry
    from tests.support.assertions import last_audit_id

    client.force_login(org.staff_confidential)
    since = last_audit_id()
    response = client.get(reverse("classification:matters"))
    assert response.status_code == 404
    denials = AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.ACCESS_DENIED))
    assert denials.count() == 1
    assert denials.get().actor_id == org.staff_confidential.pk
    assert denials.get().details["action"] == "view_matters"
