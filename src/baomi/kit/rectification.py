"""The rectification loop (整改, SUP-1) as a seam: registers hand the problems their own periodic
checks find to the one loop, without importing the app that keeps it.

A key place's check (sites, SUP-5) or a device's check (devices, SUP-6) that finds a problem keeps
no rectification state of its own. Inside its service's transaction the register calls
:func:`open_task`; the app that keeps the loop (inspections, ``inspections/signals.py``) answers
by recording a finding that names the check (``origin``, ``origin_id``, a label and the path
of its page) and assigning a rectification task to its owner, with the deadline — from then on the
loop's reminders, overdue marks, submission and verification apply (SUP-1). When every task of
the finding is verified the loop sends :data:`closed`; the register moves its check on in the
same transaction (``sites/signals.py``). :func:`tasks_of` reads back the tasks of checks, for the
checks' pages.

Signals, like ``classification.signals``: the sender is the origin key (``"sites.place_check"``;
Django matches a ``sender=`` filter by identity, so a receiver compares the key itself), receivers run in the caller's transaction, and a failure rolls the whole change back. With no
loop installed, :func:`open_task` returns ``None`` and :func:`tasks_of` nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.dispatch import Signal

#: ``send(sender=origin, actor=, origin_id=, label=, url=, description=, department=, place=,
#: owner=, deadline=, measures=)`` — the loop's receiver records the finding and its task and
#: answers the task's primary key
problem_found = Signal()

#: ``send(sender=origin, origin_ids=[...])`` — the loop answers ``{origin_id: [task, ...]}``, each
#: task a dict: ``pk``, ``url`` (URL name), ``owner``, ``deadline``, ``status``, ``status_label``,
#: ``overdue``
tasks_asked = Signal()

#: ``send(sender=origin, actor=, origin_id=, finding=)`` — every task of the finding opened for
#: ``origin_id`` is verified (sent by the loop inside its verifying service's transaction)
closed = Signal()


def open_task(actor: Any, *, origin: str, origin_id: int, label: str, url: str, description: str,
              department: Any, place: str, owner: Any, deadline: date, measures: str) -> int | None:  # fmt: skip
    """Hand a problem found by a register's check to the rectification loop (module docstring);
    the caller has checked policy and audits its own change. Returns the task's primary key,
    or ``None`` when no loop is installed."""
    answers = problem_found.send(sender=origin, actor=actor, origin_id=origin_id, label=label, url=url,
                                 description=description, department=department, place=place, owner=owner,
                                 deadline=deadline, measures=measures)  # fmt: skip
    keys = [int(answer) for _receiver, answer in answers if answer is not None]
    return keys[0] if keys else None


def tasks_of(origin: str, origin_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The rectification tasks opened for these checks of ``origin`` (one query), by check."""
    ids = list(origin_ids)
    out: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return out
    for _receiver, answer in tasks_asked.send(sender=origin, origin_ids=ids):
        if isinstance(answer, dict):
            for key, tasks in answer.items():
                out.setdefault(key, []).extend(tasks)
    return out
