"""Rules for publication review (SUP-3, R-PUB-1..4, SEC-2).

- Anyone submits what they want published or provided outside; they follow their own request
  but never see what the screening found (SUP-3: "only that the review is pending").
- The department review belongs to the head of the request's department or its secrecy officer
  (保密责任人); the decision to the security office (保密办); nobody reviews their own request.
- The unit head and the leading group oversee every request and approve a deadline extension
  (R-PUB-3, 政府信息公开条例 Art 33); the security office re-assesses withheld information
  (R-PUB-2 Art 18) and keeps the screening keywords.
- Hits on registry items are further limited, hit by hit, by the policy on the item or carrier
  (``publication.selectors.hits_for``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.publication.models import Keyword, PublicationRequest


def is_officer(user: Any) -> bool:
    return bool(user.has_role(Role.SECURITY_OFFICER))


def is_oversight(user: Any) -> bool:
    return bool(user.has_role(Role.UNIT_HEAD, Role.LEADING_GROUP))


def reviewed_departments(user: Any) -> list[int]:
    """Departments whose requests ``user`` reviews first: as head or as secrecy officer."""
    return sorted({*user.headed_department_ids(), *user.secrecy_department_ids()})


class PublicationRequestRule:
    actions = frozenset(
        {
            "view",  # the request, its text, decisions and status
            "view_hits",  # what the screening found (never the submitter)
            "review_department",  # forward or refuse at the department stage
            "review_office",  # approve, redact, refuse, refer (保密办)
            "publish",  # record where and when the approved version was published
            "withdraw",  # the submitter takes the request back
            "extend",  # extend the reply deadline once (R-PUB-3)
            "reassess",  # re-assess withheld information (R-PUB-2)
            "export",  # the review form (PDF), which lists the hits
        }
    )

    def can(self, user: Any, action: str, obj: PublicationRequest) -> bool:
        own = obj.submitter_id == user.pk
        department = obj.department_id in reviewed_departments(user)
        if action == "view":
            # SUP-3: the submitter, the department's reviewers, the security office, oversight.
            return own or department or is_officer(user) or is_oversight(user)
        if action == "withdraw":
            return own  # SUP-3: only the submitter takes a request back
        if action == "publish":
            return own or is_officer(user)  # R-PUB-1: the state (approved) is checked by the lifecycle
        if own:
            return False  # SEC-2, SUP-3: nobody sees the hits on, reviews or extends their own request
        if action in ("view_hits", "export"):
            return department or is_officer(user) or is_oversight(user)
        if action == "review_department":
            return department  # SUP-3: the department head or secrecy officer reviews first
        if action in ("review_office", "reassess"):
            return is_officer(user)  # SUP-3, R-PUB-2: the security office decides and re-assesses
        return is_oversight(user)  # extend: R-PUB-3 Art 33, approved by the unit's leaders

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        own = Q(submitter_id=user.pk)
        department = Q(department_id__in=reviewed_departments(user))
        if action == "view":
            return queryset if is_officer(user) or is_oversight(user) else queryset.filter(own | department)
        if action == "withdraw":
            return queryset.filter(own)
        if action == "publish":
            return queryset if is_officer(user) else queryset.filter(own)
        queryset = queryset.exclude(own)
        if action in ("view_hits", "export"):
            return queryset if is_officer(user) or is_oversight(user) else queryset.filter(department)
        if action == "review_department":
            return queryset.filter(department)
        if action in ("review_office", "reassess"):
            return queryset if is_officer(user) else queryset.none()
        return queryset if is_oversight(user) else queryset.none()


class KeywordRule:
    """The keyword list is the security office's: a code name on it may itself be sensitive."""

    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Keyword) -> bool:
        return is_officer(user)  # SUP-3 (e): the security officer keeps the list

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset if is_officer(user) else queryset.none()


policy.register(PublicationRequest, PublicationRequestRule())
policy.register(Keyword, KeywordRule())

policy.register_global("submit_publication", lambda u: True)  # SUP-3: anyone (active: checked by can)
policy.register_global("publication_list", lambda u: True)  # SUP-3: one's own requests at least
policy.register_global(
    "publication_reviews",
    lambda u: is_officer(u) or is_oversight(u) or bool(reviewed_departments(u)),  # SUP-3 reviewers
)
policy.register_global("manage_keywords", is_officer)  # SUP-3 (e)
policy.register_global("export_publication_register", lambda u: is_officer(u) or is_oversight(u))  # SUP-3
