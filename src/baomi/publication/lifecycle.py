"""Transition table of a publication review request (STYLE 2.5): pure data, moves only in services.

先审后发 (R-PUB-1): nothing is published before an approved review. In words::

    dept_review --forward--> office_review --approve / approve_redacted--> approved --publish--> published
    dept_review --refuse--> withheld          office_review --refuse--> withheld
    office_review --refer--> referred --answer--> office_review                        (R-PUB-2 Art 17)
    withheld --keep_withheld--> withheld      withheld --release--> office_review      (R-PUB-2 Art 18)
    published --publish--> published          (the same approved version, at another place)
    dept_review | office_review | referred --withdraw--> withdrawn                      (the submitter)
    dept_review | office_review | referred --extend--> (same)                           (R-PUB-3 Art 33)
    dept_review | office_review --rescreen--> (same)

A request starts in ``dept_review`` when its department has a reviewer other than the submitter
(its head or its secrecy officer), otherwise in ``office_review``.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.publication.choices import RequestStatus as S
from baomi.publication.events import PublicationEvent


class Move(NamedTuple):
    next_state: str
    action: str  # the policy action the service requires
    event: PublicationEvent


TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.DEPT_REVIEW, "forward"): Move(
        S.OFFICE_REVIEW, "review_department", PublicationEvent.PUBLICATION_FORWARDED
    ),
    (S.DEPT_REVIEW, "refuse"): Move(S.WITHHELD, "review_department", PublicationEvent.PUBLICATION_DECIDED),
    (S.OFFICE_REVIEW, "approve"): Move(S.APPROVED, "review_office", PublicationEvent.PUBLICATION_DECIDED),
    (S.OFFICE_REVIEW, "approve_redacted"): Move(
        S.APPROVED, "review_office", PublicationEvent.PUBLICATION_DECIDED
    ),
    (S.OFFICE_REVIEW, "refuse"): Move(S.WITHHELD, "review_office", PublicationEvent.PUBLICATION_DECIDED),
    (S.OFFICE_REVIEW, "refer"): Move(S.REFERRED, "review_office", PublicationEvent.PUBLICATION_REFERRED),
    (S.REFERRED, "answer"): Move(
        S.OFFICE_REVIEW, "review_office", PublicationEvent.PUBLICATION_REFERRAL_ANSWERED
    ),
    (S.APPROVED, "publish"): Move(S.PUBLISHED, "publish", PublicationEvent.PUBLICATION_PUBLISHED),
    (S.PUBLISHED, "publish"): Move(S.PUBLISHED, "publish", PublicationEvent.PUBLICATION_PUBLISHED),
    (S.WITHHELD, "keep_withheld"): Move(S.WITHHELD, "reassess", PublicationEvent.PUBLICATION_REASSESSED),
    (S.WITHHELD, "release"): Move(S.OFFICE_REVIEW, "reassess", PublicationEvent.PUBLICATION_REASSESSED),
    (S.DEPT_REVIEW, "withdraw"): Move(S.WITHDRAWN, "withdraw", PublicationEvent.PUBLICATION_WITHDRAWN),
    (S.OFFICE_REVIEW, "withdraw"): Move(S.WITHDRAWN, "withdraw", PublicationEvent.PUBLICATION_WITHDRAWN),
    (S.REFERRED, "withdraw"): Move(S.WITHDRAWN, "withdraw", PublicationEvent.PUBLICATION_WITHDRAWN),
    (S.DEPT_REVIEW, "extend"): Move(S.DEPT_REVIEW, "extend", PublicationEvent.PUBLICATION_DEADLINE_EXTENDED),
    (S.OFFICE_REVIEW, "extend"): Move(
        S.OFFICE_REVIEW, "extend", PublicationEvent.PUBLICATION_DEADLINE_EXTENDED
    ),
    (S.REFERRED, "extend"): Move(S.REFERRED, "extend", PublicationEvent.PUBLICATION_DEADLINE_EXTENDED),
    (S.DEPT_REVIEW, "rescreen"): Move(S.DEPT_REVIEW, "view_hits", PublicationEvent.PUBLICATION_SCREENED),
    (S.OFFICE_REVIEW, "rescreen"): Move(S.OFFICE_REVIEW, "view_hits", PublicationEvent.PUBLICATION_SCREENED),
}


def policy_actions(action: str) -> list[str]:
    """The policy actions that ``action`` needs in some state (a stranger is refused before the
    state is looked at, so a refusal never tells them where the request stands)."""
    return sorted({move.action for (_state, name), move in TRANSITIONS.items() if name == action})


def next_move(state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(_("This action is not allowed in the current state.")) from None
