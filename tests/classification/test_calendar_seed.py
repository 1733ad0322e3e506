"""The working-day calendar seeded from the published arrangement (CLS-6, R-DET-10, R-PUB-3;
issue 12 §4): the ``chinesecalendar`` package's holidays and 调休 days, the officer's own entries
kept, and a warning wherever a deadline falls in a year the calendar does not cover."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.classification import selectors, services, workdays
from baomi.classification.models import CalendarDay
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from tests.classification.conftest import determine

pytestmark = pytest.mark.django_db


def test_seeding_copies_the_published_arrangement_of_2026(org):
    """CLS-6: the 2026 calendar is the State Council's, not a hand-typed table — 09-27 is the
    Mid-autumn holiday (not a make-up day), 02-23 a Spring Festival holiday, 09-20 a make-up
    working day; deadlines count on it."""
    counts = services.seed_calendar(org.security_officer, 2026)
    assert counts["added"] == len(workdays.published_year(2026)) > 30
    kinds = dict(CalendarDay.objects.filter(day__year=2026).values_list("day", "kind"))
    assert kinds[date(2026, 9, 27)] == "holiday"
    assert kinds[date(2026, 2, 23)] == "holiday"
    assert kinds[date(2026, 9, 20)] == "workday" and kinds[date(2026, 10, 10)] == "workday"
    # 2026-09-24 (Thu) + 3 working days: 09-25..27 holidays, 28, 29, 30.
    assert workdays.add_working_days(date(2026, 9, 24), 3) == date(2026, 9, 30)
    entry = AuditEntry.objects.filter(event=AuditEvent.CALENDAR_CHANGED).latest("id")
    assert entry.details["seeded"] == 2026 and entry.details["added"] == counts["added"]


def test_reseeding_keeps_the_officers_own_entries(org):
    """CLS-6: an entry the officer set (here: 10-08 declared a unit holiday, 10-10 struck as a
    make-up day) survives a second seeding; seeded days are not duplicated."""
    services.seed_calendar(org.security_officer, 2026)
    services.set_calendar_day(org.security_officer, day=date(2026, 10, 8), kind="holiday", name="单位调整")
    services.set_calendar_day(
        org.security_officer, day=date(2026, 10, 10), kind="holiday", name="本单位不调休"
    )
    counts = services.seed_calendar(org.security_officer, 2026)
    assert counts["added"] == 0 and counts["kept"] == 1
    assert CalendarDay.objects.get(day=date(2026, 10, 10)).kind == "holiday"
    assert CalendarDay.objects.get(day=date(2026, 10, 8)).source == "officer"
    assert CalendarDay.objects.filter(day__year=2026).count() == len(workdays.published_year(2026)) + 1


def test_seeding_is_the_officers_and_only_for_published_years(org):
    """CLS-6: only the security officer seeds; a year the package does not cover is refused
    with a message saying to enter it by hand."""
    with pytest.raises(AccessDenied):
        services.seed_calendar(org.staff_secret, 2026)
    with pytest.raises(ValidationFailed) as exc:
        services.seed_calendar(org.security_officer, 2099)
    assert "2099" in str(exc.value.message)


def test_a_deadline_in_an_uncovered_year_is_warned_about(org, client):
    """CLS-6 (issue 12 §4): a matter whose report falls in a year the calendar does not cover is
    flagged on the dashboard, the matters list and the matter page; covering the year clears it."""
    item = determine(org, level=Level.SECRET)
    matter = services.open_matter(org.security_officer, item, kind="unclear", set_on=date(2099, 3, 2))
    assert selectors.uncovered_deadlines(org.security_officer) == {2099: 1}
    client.force_login(org.security_officer)
    home = client.get("/").content.decode()
    assert "2099" in home and "工作日历未覆盖" in home
    for url in ("/classification/matters/", f"/classification/matters/{matter.pk}/"):
        assert 'data-test="calendar-uncovered"' in client.get(url).content.decode()
    services.set_calendar_day(org.security_officer, day=date(2099, 1, 1), kind="holiday", name="元旦")
    assert selectors.uncovered_deadlines(org.security_officer) == {}
    assert (
        'data-test="calendar-uncovered"'
        not in client.get(f"/classification/matters/{matter.pk}/").content.decode()
    )


def test_the_officer_seeds_from_the_calendar_page(org, client):
    """CLS-6: the calendar page offers the published years to the officer and seeds them."""
    client.force_login(org.security_officer)
    year = timezone.localdate().year
    if not workdays.published_covers(year):
        year += 1
    if not workdays.published_covers(year):
        pytest.fail("chinesecalendar covers neither this year nor the next: update the package")
    page = client.get("/classification/calendar/").content.decode()
    assert f'name="seed" value="{year}"' in page
    client.post("/classification/calendar/", {"seed": str(year)})
    assert workdays.seeded(year)
