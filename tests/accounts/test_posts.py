"""A person's department posts (ORG-1): the departments they head and whose secrecy officer
they are. Nearly every rule reads them (CAR-12, SUP-3, the registers), so a user instance reads
them once; the services that change them make the instances they hold read again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baomi.accounts import services
from baomi.accounts.models import Department, OrgChangeKind, User
from baomi.publication.rules import reviewed_departments

pytestmark = pytest.mark.django_db


def test_an_appointment_is_seen_at_once_by_the_instances_it_names(org):
    fin = org.departments["FIN"]
    head, officer = org.staff_secret, org.staff_confidential
    assert head.headed_department_ids() == [] and officer.secrecy_department_ids() == []
    services.set_department_officers(None, fin, head=head, secrecy_officer=officer, bootstrap=True)
    assert head.headed_department_ids() == [fin.pk]
    assert officer.secrecy_department_ids() == [fin.pk]
    assert reviewed_departments(officer) == [fin.pk]  # SUP-3: the department's first review
    # Replaced: the previous head's instance (the one the department held) reads again.
    services.set_department_officers(
        None, fin, head=org.staff_other_dept, secrecy_officer=None, bootstrap=True
    )
    assert head.headed_department_ids() == [] and officer.secrecy_department_ids() == []
    assert org.staff_other_dept.headed_department_ids() == [fin.pk]


def test_a_confirmed_appointment_is_seen_by_the_instance_it_names(org):
    fin = org.departments["FIN"]
    person = org.staff_other_dept
    assert person.headed_department_ids() == []
    change = services.propose_org_change(org.sysadmin, kind=OrgChangeKind.HEAD, person=person, department=fin,
                                         reason="任命")  # fmt: skip
    services.decide_org_change(org.security_officer, change, approve=True)
    assert person.headed_department_ids() == [fin.pk]
    assert User.objects.get(pk=person.pk).headed_department_ids() == [fin.pk]


def test_posts_are_listed_in_the_departments_order(org):
    office, fin = org.departments["OFFICE"], org.departments["FIN"]
    Department.objects.filter(pk=fin.pk).update(sort_order=0)  # lint: allow (set-up)
    Department.objects.filter(pk=office.pk).update(sort_order=5)  # lint: allow (set-up)
    services.set_department_officers(
        None, fin, head=org.dept_head, secrecy_officer=org.dept_head, bootstrap=True
    )
    fresh = User.objects.get(pk=org.dept_head.pk)
    assert fresh.headed_department_ids() == [fin.pk, office.pk]
    assert fresh.secrecy_department_ids() == [fin.pk]


def test_the_start_page_reads_a_heads_posts_once(org):
    """OPS-1 speed: the dashboard's to-dos and panels ask many rules about the head's
    departments; the request reads them from the database once (it read them 23 times for the
    head of the largest department on the bench)."""
    client = Client()
    client.force_login(org.dept_head)
    client.get("/")  # the session, the templates
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    table = Department._meta.db_table
    reads = [
        q["sql"] for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"] and "head_id" in q["sql"]
    ]
    assert len(reads) == 1, reads
