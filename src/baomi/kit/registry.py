"""The app registry: what each app plugs into the system, found from ``INSTALLED_APPS``.

No shared file lists the apps. An app declares its parts once, on its ``AppConfig`` (a
:class:`BaomiAppConfig`), and everything that gathers parts — the URL conf, the ``baomi``
command, the navigation, the start page, the scheduler, the demo loader, the policy engine and
the audit event labels — asks this module::

    class CarriersConfig(BaomiAppConfig):
        name = "baomi.carriers"
        label = "carriers"
        verbose_name = _("carriers")
        parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules")
        demo_after = ("accounts", "classification")

Each name in ``parts`` is a module of the app (``baomi.carriers.nav`` ...) with a fixed shape:

============  ====================================================================================
part          the module provides
============  ====================================================================================
urls          ``app_name`` and ``urlpatterns``; mounted at ``url_prefix`` (default ``<label>/``)
api           ``urlpatterns`` (usually ``router.urls``); mounted under ``/api/v1/``
cli           ``register(subparsers)``: adds ``baomi <verb> ...``
nav           ``ITEMS``: ``[(order, label, url name, global policy action or None), ...]``
dashboard     ``tasks(user) -> [{"label", "count", "url", "level"}, ...]`` for the start page
jobs          functions decorated ``@baomi.kit.jobs.job(name, every=...)``
demo          ``load()``; optional ``ACCOUNTS`` and ``account_notes()``; after ``demo_after``
rules         ``policy.register(Model, Rule())`` / ``policy.register_global(...)`` at import
events        one ``models.IntegerChoices`` with the app's audit event codes, inside
              ``event_block`` (a ``range``) — see ``baomi.audit.events``
probes        functions decorated ``@baomi.kit.probes.probe(key, ...)``: measured checks an
              inspection computes from the app's records (SUP-1) — see ``baomi.kit.probes``
signals       receivers (``@receiver(...)``) of other apps' signals, connected at import
============  ====================================================================================

A part named but missing is an error at start-up, not a silent gap. ``rules``, ``events`` and
``signals`` are imported when Django is ready (``BaomiAppConfig.ready``); the others when first asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.apps import AppConfig, apps

PART_NAMES = frozenset(
    {"urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes", "signals"}
)


class BaomiAppConfig(AppConfig):
    """The ``AppConfig`` of every baomi app: its parts in one place (module docstring)."""

    #: which of :data:`PART_NAMES` this app provides, each as the module ``<name>.<part>``
    parts: tuple[str, ...] = ()
    #: where the ``urls`` part is mounted; ``None`` means ``"<label>/"``
    url_prefix: str | None = None
    #: labels of apps whose demo data must be loaded before this app's
    demo_after: tuple[str, ...] = ()
    #: the audit event codes this app may use (``events`` part), e.g. ``range(1000, 1100)``
    event_block: range | None = None
    #: breaks ties between nav entries of equal ``order`` in different apps (lower first)
    nav_rank: int = 100

    def ready(self) -> None:
        unknown = set(self.parts) - PART_NAMES
        if unknown:
            raise ValueError(f"{self.label}: unknown parts {sorted(unknown)}")
        if "events" in self.parts:
            from baomi.audit.events import register_events

            if self.event_block is None:
                raise ValueError(f"{self.label}: an events part needs an event_block")
            register_events(self.label, self.event_block, self.part_module("events"))
        if "rules" in self.parts:
            self.part_module("rules")  # registers with the policy engine on import
        if "signals" in self.parts:
            self.part_module("signals")  # connects its receivers on import

    def part_module(self, part: str) -> ModuleType:
        return importlib.import_module(f"{self.name}.{part}")

    def mount(self) -> str:
        return f"{self.label}/" if self.url_prefix is None else self.url_prefix


def app_configs() -> list[BaomiAppConfig]:
    """Every installed baomi app, in ``INSTALLED_APPS`` order."""
    return [c for c in apps.get_app_configs() if isinstance(c, BaomiAppConfig)]


def with_part(part: str) -> list[BaomiAppConfig]:
    """The installed apps that declare ``part``, in ``INSTALLED_APPS`` order."""
    if part not in PART_NAMES:
        raise ValueError(f"unknown part {part!r}")
    return [c for c in app_configs() if part in c.parts]


def modules(part: str) -> Iterator[tuple[BaomiAppConfig, ModuleType]]:
    """``(app config, module)`` of every app declaring ``part``, in ``INSTALLED_APPS`` order."""
    for config in with_part(part):
        yield config, config.part_module(part)


def demo_order() -> list[BaomiAppConfig]:
    """The apps with demo data, each after the apps named in its ``demo_after`` (a stable
    topological order: otherwise ``INSTALLED_APPS`` order)."""
    pending = with_part("demo")
    labels = {c.label for c in pending}
    done: list[BaomiAppConfig] = []
    placed: set[str] = set()
    while pending:
        for config in pending:
            if all(dep in placed or dep not in labels for dep in config.demo_after):
                done.append(config)
                placed.add(config.label)
                pending.remove(config)
                break
        else:
            raise ValueError(f"demo_after forms a cycle among {[c.label for c in pending]}")
    return done
