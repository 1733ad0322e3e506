"""The policy core: generic conditions, registration, decisions and audited refusals
(CAR-3, SEC-1, SEC-2, SEC-3, SEC-8). Every branch of ``access/policy.py`` is exercised here;
``make coverage-policy`` checks it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.test import override_settings

from baomi.access import policy
from baomi.access.errors import INTEGRITY_REASON, AccessDenied
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.classification.models import Item
from baomi.core.errors import CeilingExceeded, NotFound, ValidationFailed
from baomi.core.levels import Level
from baomi.core.models import JobRun
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.integrity import bind


class ItemTestRule:
    """A stand-in rule: ``view`` for everyone, ``edit`` for the proposer only, ``label`` is
    exempt from the clearance check, ``peek`` is visible to all but never allowed (so
    ``access_object``'s second check can be seen)."""

    actions = frozenset({"view", "edit", "label", "peek"})
    clearance_exempt = frozenset({"label"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "edit":
            return obj.proposed_by_id == user.pk
        return action != "peek"

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if action == "edit":
            return queryset.filter(proposed_by=user)
        return queryset


@pytest.fixture
def item_rule(monkeypatch):
    policy._load_rules()
    rule = ItemTestRule()
    monkeypatch.setitem(policy._RULES, Item, rule)
    return rule


def make_item(org, level: str, **kw: Any) -> Item:
    return bind(Item.objects.create(
        title="测试事项", level=level, duration_kind="period", duration_value=5, duration_unit="year",
        department=org.departments["OFFICE"], proposed_by=kw.pop("proposed_by", org.case_handler), **kw,
    ))  # fmt: skip


# -- registration --------------------------------------------------------------------------------


def test_a_rule_without_actions_is_refused():
    class Empty:
        actions: frozenset[str] = frozenset()

    with pytest.raises(ValueError, match="no actions"):
        policy.register(JobRun, Empty())  # type: ignore[arg-type]


def test_a_model_without_rule_is_visible_to_nobody(org):
    """Fail closed (STYLE 2.12): asking about an unregistered model is an error, not a yes."""
    with pytest.raises(LookupError):
        policy.rule_for(JobRun)
    with pytest.raises(LookupError):
        policy.can(org.security_officer, "view", JobRun())
    with pytest.raises(LookupError):
        policy.visible(org.security_officer, JobRun.objects.all())


def test_the_registry_is_enumerable():
    """Actions form a closed vocabulary per model, listed in one place (STYLE 2.3)."""
    rules = policy.registered_rules()
    assert User in rules
    actions = policy.registered_actions()
    assert actions["accounts.user"] >= {"view", "manage_accounts", "set_clearance"}
    assert {"manage_accounts", "read_audit"} <= policy.global_actions()
    assert policy.all_actions(["a", "b"]) == frozenset({"a", "b"})


def test_unknown_actions_are_programming_errors(org):
    with pytest.raises(LookupError):
        policy.can(org.sysadmin, "fly")
    with pytest.raises(LookupError):
        policy.can(org.sysadmin, "fly", org.staff_secret)
    with pytest.raises(LookupError):
        policy.visible(org.sysadmin, User.objects.all(), "fly")


def test_rules_load_once():
    policy._load_rules()
    before = dict(policy._RULES)
    policy._load_rules()
    assert before == policy._RULES


# -- generic conditions ----------------------------------------------------------------------------


def test_only_active_authenticated_users_count(org):
    """SEC-1: anonymous, missing and disabled accounts may do nothing."""
    assert not policy.is_active_user(None)
    assert not policy.is_active_user(AnonymousUser())
    disabled = User(username="x", is_active=False)
    assert not policy.is_active_user(disabled)
    assert policy.is_active_user(org.staff_secret)


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_anonymous_users_are_refused_everything(org, user):
    assert not policy.can(user, "manage_accounts")
    assert not policy.can(user, "view", org.staff_secret)
    assert not policy.visible(user, User.objects.all()).exists()


def test_a_disabled_account_is_refused_even_with_roles(org):
    """SEC-1, SEC-2: a disabled system administrator is nobody."""
    sysadmin = org.sysadmin
    sysadmin.is_active = False
    assert not policy.can(sysadmin, "manage_accounts")
    assert not policy.can(sysadmin, "manage_accounts", org.staff_secret)
    assert not policy.visible(sysadmin, User.objects.all(), "manage_accounts").exists()


def test_clearance_dominance(org):
    """No read up (CAR-3)."""
    assert policy.clearance_dominates(org.staff_secret, Level.SECRET)
    assert not policy.clearance_dominates(org.staff_secret, Level.TOP_SECRET)
    assert not policy.clearance_dominates(object(), Level.PUBLIC)


def test_check_ceiling_accepts_up_to_the_ceiling():
    """SEC-8: the default demo ceiling is 绝密; everything up to it may be stored."""
    for level in Level.values:
        policy.check_ceiling(level)


@override_settings(CEILING="work_secret")
def test_check_ceiling_refuses_above_with_a_clear_message():
    """An ordinary office network holds 工作秘密 at most (SEC-8, R-ARCH-1)."""
    policy.check_ceiling(Level.WORK_SECRET)
    with pytest.raises(CeilingExceeded) as exc:
        policy.check_ceiling(Level.CONFIDENTIAL)
    message = str(exc.value)
    assert "工作秘密" in message and "秘密" in message
    assert exc.value.code == "above_ceiling"
    assert exc.value.status == 400
    assert "level" in exc.value.fields


def test_check_ceiling_refuses_unknown_levels():
    with pytest.raises(ValidationFailed):
        policy.check_ceiling("cosmic")


def test_no_read_up_is_generic(org, item_rule):
    """A rule that says yes cannot lift a level above the clearance (CAR-3)."""
    item = make_item(org, Level.TOP_SECRET)
    assert policy.can(org.security_officer, "view", item)
    assert not policy.can(org.staff_secret, "view", item)
    assert not policy.can(
        org.staff_secret, "edit", make_item(org, Level.TOP_SECRET, proposed_by=org.staff_secret)
    )
    assert policy.can(org.staff_secret, "view", make_item(org, Level.SECRET))


def test_clearance_exempt_actions_skip_only_the_clearance(org, item_rule):
    item = make_item(org, Level.TOP_SECRET)
    assert policy.can(org.outsider, "label", item)
    ids = set(policy.visible(org.outsider, Item.objects.all(), "label").values_list("pk", flat=True))
    assert item.pk in ids


@override_settings(CEILING="secret")
def test_nothing_above_the_ceiling_exists_for_anybody(org, item_rule):
    """SEC-8: even exempt actions and the highest clearance see nothing above the ceiling."""
    item = make_item(org, Level.TOP_SECRET)
    assert not policy.can(org.security_officer, "view", item)
    assert not policy.can(org.security_officer, "label", item)
    assert not policy.visible(org.security_officer, Item.objects.all(), "label").filter(pk=item.pk).exists()


def test_objects_without_a_level_skip_the_level_checks(org):
    """Users have a clearance, not a level: only the rule decides (ORG-1)."""
    assert policy.can(org.outsider, "view", org.security_officer)
    assert policy.visible(org.outsider, User.objects.all()).filter(pk=org.security_officer.pk).exists()


def test_visible_filters_levels_in_sql(org, item_rule):
    """visible() drops what is above the clearance; the rule then narrows further (CAR-3)."""
    low = make_item(org, Level.CONFIDENTIAL)
    mid = make_item(org, Level.SECRET, proposed_by=org.staff_secret)
    high = make_item(org, Level.TOP_SECRET)

    def ids(user, action="view"):
        return set(policy.visible(user, Item.objects.all(), action).values_list("pk", flat=True))

    assert ids(org.staff_confidential) == {low.pk}
    assert ids(org.staff_secret) == {low.pk, mid.pk}
    assert ids(org.staff_secret, "edit") == {mid.pk}
    assert ids(org.security_officer) == {low.pk, mid.pk, high.pk}
    assert "level" in str(policy.visible(org.staff_secret, Item.objects.all()).query)


# -- require, access_object, deny ------------------------------------------------------------------


def test_require_raises_access_denied_that_looks_like_not_found(org):
    """Forbidden looks like absent (CAR-3): AccessDenied is a 404 NotFound."""
    policy.require(org.sysadmin, "manage_accounts")
    with pytest.raises(AccessDenied) as exc:
        policy.require(org.staff_secret, "manage_accounts", reason="test")
    assert isinstance(exc.value, NotFound)
    assert exc.value.status == 404
    assert (exc.value.action, exc.value.reason) == ("manage_accounts", "test")


def test_access_object_returns_what_may_be_seen(org, item_rule):
    item = make_item(org, Level.SECRET)
    assert policy.access_object(org.staff_secret, Item.objects.all(), item.pk) == item


@pytest.mark.parametrize("pk", ["missing", "not-a-number", None])
def test_absent_and_forbidden_are_the_same_and_audited(org, item_rule, pk):
    """A hidden object, a missing one and a malformed id all raise the same error and leave an
    ACCESS_DENIED entry with the requested id (CAR-3, SEC-3)."""
    hidden = make_item(org, Level.TOP_SECRET)
    requested = {"missing": 999999, "not-a-number": "abc", None: hidden.pk}[pk]
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        policy.access_object(org.staff_secret, Item.objects.all(), requested)
    entry = assert_audited(AuditEvent.ACCESS_DENIED, ("classification.item", requested), org.staff_secret,
                           outcome="denied", since=since)  # fmt: skip
    assert entry.details == {"action": "view"}
    assert "测试事项" not in entry.target_label  # titles are content (CAR-2)


def test_access_object_checks_can_after_visible(org, item_rule):
    """If visible() lets an object through that can() refuses, the refusal still wins."""
    item = make_item(org, Level.SECRET)
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        policy.access_object(org.staff_secret, Item.objects.all(), item.pk, "peek")
    assert_audited(AuditEvent.ACCESS_DENIED, item, org.staff_secret, since=since)


def test_deny_records_the_reason(org):
    since = last_audit_id()
    err = policy.deny(org.staff_secret, "view", ("core.thing", 7, ""), reason="outside scope")
    assert isinstance(err, AccessDenied)
    entry = assert_audited(AuditEvent.ACCESS_DENIED, ("core.thing", 7), org.staff_secret, since=since)
    assert entry.details == {"action": "view", "reason": "outside scope"}


def test_deny_of_an_anonymous_request_is_audited_without_actor(db):
    since = last_audit_id()
    policy.deny(AnonymousUser(), "view", ("core.thing", 8, ""))
    entry = assert_audited(AuditEvent.ACCESS_DENIED, ("core.thing", 8), since=since)
    assert entry.actor_id is None


def test_there_is_no_superuser_flag():
    """SEC-2: no flag exists that could bypass the policy."""
    field_names = {f.name for f in User._meta.get_fields()}
    assert not {"is_superuser", "is_staff"} & field_names


# -- integrity (CLS-7, R-CRYPTO-5, issue 11 §4) --------------------------------------------------------


def _tampered(org, level: str = Level.SECRET) -> Item:
    item = make_item(org, level)
    Item.objects.filter(pk=item.pk).update(level=Level.CONFIDENTIAL)  # behind the services' back
    item.refresh_from_db()
    return item


def test_objects_without_a_binding_have_no_integrity_to_fail(org):
    """Only models that declare ``integrity_failed()`` are checked; a user has none."""
    assert policy.integrity_failed(org.staff_secret) is False
    assert policy.integrity_failed(make_item(org, Level.SECRET)) is False


def test_a_failed_binding_is_refused_to_all_but_the_overseer_who_only_views(org, item_rule):
    """CLS-7: a tampered level is never obeyed — not even where the rule and clearance say yes;
    the overseer (security officer) views it and nothing more; each check is alarmed."""
    item = _tampered(org)
    since = last_audit_id()
    assert not policy.can(org.staff_secret, "view", item)
    assert policy.can(org.security_officer, "view", item)
    assert not policy.can(org.security_officer, "label", item)
    alarms = AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.INTEGRITY_FAILED))
    assert sorted(alarms.values_list("outcome", flat=True)) == ["denied", "denied", "ok"]


def test_without_an_overseer_nobody_sees_a_tampered_object(org, item_rule, monkeypatch):
    """Fail closed: with no ``oversee_integrity`` rule registered, nobody is the overseer."""
    monkeypatch.delitem(policy._GLOBAL, policy.OVERSEE_INTEGRITY)
    assert not policy.oversees_integrity(org.security_officer)
    assert not policy.can(org.security_officer, "view", _tampered(org))


def test_one_alarm_per_request_and_object(org, item_rule, monkeypatch):
    """Within one request (one audit context) an object is alarmed once, however often asked;
    the memory of alarms is bounded."""
    from baomi.audit.context import audit_context

    item = _tampered(org)
    since = last_audit_id()
    with audit_context("web"):
        for _ in range(3):
            policy.can(org.staff_secret, "view", item)
    assert AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.INTEGRITY_FAILED)).count() == 1
    monkeypatch.setattr(policy, "_ALARMED_MAX", 1)
    with audit_context("web"):
        policy.can(org.staff_secret, "view", item)
        policy.can(org.staff_secret, "view", _tampered(org))
    assert len(policy._ALARMED) == 1


def test_require_and_access_object_name_the_integrity_failure(org, item_rule):
    """The refusal says why, so the @service decorator keeps the alarm after its rollback."""
    item = _tampered(org)
    with pytest.raises(AccessDenied) as exc:
        policy.require(org.staff_secret, "view", item)
    assert exc.value.reason == INTEGRITY_REASON
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        policy.access_object(org.staff_secret, Item.objects.all(), item.pk)
    entry = assert_audited(AuditEvent.ACCESS_DENIED, item, org.staff_secret, since=since)
    assert entry.details["reason"] == INTEGRITY_REASON
    with pytest.raises(AccessDenied) as exc:
        policy.require(org.staff_secret, "edit", make_item(org, Level.SECRET))
    assert exc.value.reason == ""


def test_screen_drops_tampered_rows_of_a_page(org, item_rule):
    """Lists: ``screen`` keeps intact rows, drops tampered ones — but for the overseer's view."""
    good, bad = make_item(org, Level.SECRET), _tampered(org)
    assert policy.screen(org.staff_secret, [good, bad]) == [good]
    assert policy.screen(org.security_officer, [good, bad]) == [good, bad]
    assert policy.screen(org.security_officer, [good, bad], "label") == [good]


def test_an_object_is_only_as_sound_as_what_it_is_bound_to(org, item_rule):
    """CLS-7, R-CRYPTO-5 (issue 11 §4): a scope row, request or carrier of a tampered item fails
    with it, followed through its key; an unset key has nothing to fail; a non-model object has
    no relations to follow."""
    from baomi.classification.models import ItemScope

    good, bad = make_item(org, Level.SECRET), _tampered(org)
    assert policy.integrity_failed(object()) is False
    assert policy.integrity_failed(ItemScope(item=None, user=org.staff_secret)) is False
    assert policy.integrity_failed(ItemScope(item=good, user=org.staff_secret)) is False
    assert policy.integrity_failed(ItemScope(item=bad, user=org.staff_secret)) is True
    assert policy._integrity_prefetch(object) == []  # nothing to prefetch on what is not a model


def test_screen_follows_the_bound_relations_of_a_page(org, item_rule, django_assert_max_num_queries):
    """``screen`` drops rows bound to a tampered object, prefetching what it follows so a page
    costs a fixed number of queries, not one per row; an empty page asks nothing."""
    from baomi.classification.models import ItemScope

    good, bad = make_item(org, Level.SECRET), _tampered(org)
    rows = [ItemScope.objects.create(item=good, user=org.staff_secret),
            ItemScope.objects.create(item=bad, user=org.staff_secret)]  # fmt: skip
    bind(good)
    fresh = list(ItemScope.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk"))
    with django_assert_max_num_queries(6):
        kept = policy.screen(org.staff_secret, fresh)
    assert kept == fresh[:1]
    assert policy.screen(org.staff_secret, []) == []


def test_require_intact_refuses_like_not_found_and_alarms(org, item_rule):
    """Services acting on an object under an object-less permission (registering a carrier
    against an item) ask ``require_intact``: a tampered item is refused with the integrity
    reason and alarmed; an intact one passes."""
    policy.require_intact(org.case_handler, "register_carrier", make_item(org, Level.SECRET))
    bad = _tampered(org)
    since = last_audit_id()
    with pytest.raises(AccessDenied) as exc:
        policy.require_intact(org.case_handler, "register_carrier", bad)
    assert exc.value.reason == INTEGRITY_REASON
    assert AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.INTEGRITY_FAILED)).exists()


def test_the_scope_key_tells_readers_apart_by_every_input_of_their_filters(org):
    """OPS-1: cached figures carry who they are for — the person, their roles, clearance and the
    departments they head — so no reader is served another's numbers, and the same reader's
    figures are found again."""
    keys = {policy.scope_key(u) for u in (org.security_officer, org.dept_head, org.staff_secret, org.auditor)}
    assert len(keys) == 4
    head = org.dept_head
    assert policy.scope_key(head) == policy.scope_key(User.objects.get(pk=head.pk))
    assert str(head.pk) in policy.scope_key(head) and head.clearance in policy.scope_key(head)
    assert all(str(d) in policy.scope_key(head) for d in head.headed_department_ids())
    before = policy.scope_key(head)
    head.clearance = Level.WORK_SECRET if head.clearance != Level.WORK_SECRET else Level.SECRET
    assert policy.scope_key(head) != before
