"""The endpoints behind the person and department pickers (issue 13, ``baomi.kit.pickers``).

``GET /accounts/pick/people/<purpose>/?q=ln&forward={...}`` answers HTML fragments in the shape
django-autocomplete-light's component reads (``<div data-value="7">李娜（lina）· 综合处</div>``):
only people whose name, pinyin initials, username or department begins with ``q`` *and* whom
the purpose lets the signed-in user name — the same narrowing the form field validates with.
An unknown purpose offers nobody.
"""

from __future__ import annotations

from typing import Any

from dal_alight.views import AlightQuerySetView
from django.http import HttpRequest, HttpResponse

from baomi.accounts import selectors
from baomi.kit import pickers
from baomi.kit.pages import page


class _Pick(AlightQuerySetView):
    paginate_by = selectors.PICK_PAGE

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a picker never creates anyone

    def params(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in (self.forwarded or {}).items() if isinstance(v, str | int)}


class PeoplePick(_Pick):
    def get_queryset(self) -> Any:
        purpose = self.kwargs["purpose"]
        people = pickers.narrow(
            purpose, self.request.user, selectors.pickable_people(self.request.user), self.params()
        )
        if len(self.q.strip()) < pickers.MIN_CHARS:
            return people.none()
        return selectors.search_people(people, self.q)

    def get_result_label(self, result: Any) -> str:
        return pickers.person_label(result)


class DepartmentPick(_Pick):
    def get_queryset(self) -> Any:
        return selectors.pickable_departments(self.request.user, self.q)

    def get_result_label(self, result: Any) -> str:
        return pickers.department_label(result)


_people = PeoplePick.as_view()
_departments = DepartmentPick.as_view()


@page
def pick_people(request: HttpRequest, purpose: str) -> HttpResponse:
    return _people(request, purpose=purpose)


@page
def pick_departments(request: HttpRequest, purpose: str = "departments") -> HttpResponse:
    return _departments(request, purpose=purpose)
