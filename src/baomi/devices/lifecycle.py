"""The device lifecycle (SUP-6): one transition table, pure data.

In words: a device is procured, then put into use. In use it may go to maintenance (on site,
by a qualified contractor) and come back. A procured, in-use or maintained device may be
scrapped (sanitised, handed to a qualified destruction body). An in-use or maintained device
may be reported lost (an incident is opened) and found again. Scrapped devices stay in the
register and never move again.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.devices.choices import DeviceStatus as S
from baomi.devices.events import DevicesEvent


class Move(NamedTuple):
    next_state: str
    action: str  # the policy action the service requires
    event: DevicesEvent


DEVICE_TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.PROCURED, "commission"): Move(S.IN_USE, "manage", DevicesEvent.DEVICE_COMMISSIONED),
    (S.IN_USE, "maintain"): Move(S.MAINTENANCE, "manage", DevicesEvent.DEVICE_MAINTENANCE_STARTED),
    (S.MAINTENANCE, "finish_maintenance"): Move(S.IN_USE, "manage", DevicesEvent.DEVICE_MAINTENANCE_FINISHED),
    (S.PROCURED, "scrap"): Move(S.SCRAPPED, "manage", DevicesEvent.DEVICE_SCRAPPED),
    (S.IN_USE, "scrap"): Move(S.SCRAPPED, "manage", DevicesEvent.DEVICE_SCRAPPED),
    (S.MAINTENANCE, "scrap"): Move(S.SCRAPPED, "manage", DevicesEvent.DEVICE_SCRAPPED),
    (S.IN_USE, "report_lost"): Move(S.LOST, "report_lost", DevicesEvent.DEVICE_LOST),
    (S.MAINTENANCE, "report_lost"): Move(S.LOST, "report_lost", DevicesEvent.DEVICE_LOST),
    (S.LOST, "found"): Move(S.IN_USE, "manage", DevicesEvent.DEVICE_FOUND),
}


def next_move(state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return DEVICE_TRANSITIONS[(str(state), action)]
    except KeyError:
        raise InvalidTransition(
            _("This action is not allowed while the device is “%(state)s”.") % {"state": S(state).label}
        ) from None
