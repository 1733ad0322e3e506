"""Meta-tests: the conventions every app follows, checked over the whole code base (STYLE 2.2,
2.3, 2.9, 2.10), like NetBox's management-command coverage test."""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

import baomi
from baomi.access import policy
from baomi.accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

# Functions of services.py that are neither @service nor @internal yet: a shrinking list
# (Zulip's exception-list manner). Remove an entry when its owner marks the function.
SERVICE_EXCEPTIONS: set[str] = set()


def service_modules():
    for info in pkgutil.walk_packages(baomi.__path__, "baomi."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf == "services" or ".services." in info.name:
            yield importlib.import_module(info.name)


def test_every_service_function_is_a_service_or_a_documented_helper():
    """Services are the only writers and each runs in @service's transaction (STYLE 2.2);
    anything else public in services.py is marked @internal and documented."""
    offenders = []
    for module in service_modules():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            qualified = f"{module.__name__}.{name}"
            if qualified in SERVICE_EXCEPTIONS:
                continue
            if getattr(fn, "is_service", False):
                continue
            if getattr(fn, "is_internal_helper", False) and (fn.__doc__ or "").strip():
                continue
            if getattr(fn, "is_own_transaction", False) and (fn.__doc__ or "").strip():
                continue
            offenders.append(qualified)
    assert not offenders, f"decorate with @service or @internal (with a docstring): {offenders}"


def test_the_service_exception_list_only_shrinks():
    """An exception that has been fixed must leave the list."""
    stale = []
    for qualified in SERVICE_EXCEPTIONS:
        module_name, name = qualified.rsplit(".", 1)
        fn = getattr(importlib.import_module(module_name), name, None)
        if fn is None or getattr(fn, "is_service", False) or getattr(fn, "is_internal_helper", False):
            stale.append(qualified)
    assert not stale, f"remove from SERVICE_EXCEPTIONS: {stale}"


# -- policy ------------------------------------------------------------------------------------------


def rule_cases():
    for model, rule in policy.registered_rules().items():
        for action in sorted(rule.actions):
            yield pytest.param(model, action, id=f"{model._meta.label_lower}:{action}")


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "action"), list(rule_cases()))
def test_every_rule_refuses_inactive_and_anonymous_users(org, model, action):
    """SEC-1: for every registered model and action, a disabled or anonymous user may not act
    and sees nothing."""
    disabled = org.staff_secret
    disabled.is_active = False
    for user in (disabled, AnonymousUser(), None):
        assert policy.can(user, action, model()) is False
        assert not policy.visible(user, model._default_manager.all(), action).exists()


def test_every_rule_declares_actions_and_both_decisions():
    """A closed vocabulary per model, and can() with its SQL twin visible() (STYLE 2.3)."""
    rules = policy.registered_rules()
    assert rules, "rules are registered"
    for model, rule in rules.items():
        assert rule.actions, model
        assert all(isinstance(a, str) and a for a in rule.actions), model
        assert callable(rule.can) and callable(rule.visible), model


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(policy.global_actions()))
def test_every_global_action_refuses_inactive_and_anonymous_users(org, action):
    disabled = org.security_officer
    disabled.is_active = False
    for user in (disabled, AnonymousUser(), None):
        assert policy.can(user, action) is False


def _test_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py"))


def test_every_policy_action_is_named_in_some_test():
    """Each action of the vocabulary appears in a test (the policy matrix of STYLE 2.10)."""
    sources = _test_sources()
    actions = set(policy.global_actions())
    for rule_actions in policy.registered_actions().values():
        actions |= rule_actions
    missing = sorted(a for a in actions if f'"{a}"' not in sources and f"'{a}'" not in sources)
    assert not missing, f"no test names these policy actions: {missing}"


def test_nav_entries_use_registered_actions_and_urls():
    """A nav entry names a registered global action (or none) and a URL that resolves."""
    for info in pkgutil.iter_modules(baomi.__path__):
        if not info.ispkg:  # baomi.wsgi, baomi.urls, ...: not apps (importing wsgi checks the keys)
            continue
        try:
            nav = importlib.import_module(f"baomi.{info.name}.nav")
        except ModuleNotFoundError:
            continue
        for _order, label, url_name, action in getattr(nav, "ITEMS", []):
            assert str(label)
            reverse(url_name)
            assert action is None or action in policy.global_actions(), (info.name, action)


# -- CLI ---------------------------------------------------------------------------------------------


def cli_commands() -> list[tuple[str, ...]]:
    """Every leaf command of ``baomi`` (``("init",)``, ``("keys", "init")``, ...)."""
    from baomi.cli import build_parser

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            return [prefix]
        found = []
        for action in subs:
            for name, child in action.choices.items():
                found.extend(walk(child, (*prefix, name)))
        return found

    return walk(build_parser(), ())


def invoked_commands() -> set[tuple[str, ...]]:
    """Argument lists passed as a literal list of strings to any call in tests."""
    seen: set[tuple[str, ...]] = set()
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.List | ast.Tuple):
                words = []
                for elt in node.args[0].elts:
                    if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
                        break
                    words.append(elt.value)
                if words:
                    seen.add(tuple(words))
    return seen


def test_every_cli_command_has_a_test():
    """Every ``baomi <app> <verb>`` is called by some test (STYLE 2.9, NetBox's coverage test)."""
    invoked = invoked_commands()
    commands = cli_commands()
    assert ("init",) in commands
    missing = [" ".join(c) for c in commands if not any(call[: len(c)] == c for call in invoked)]
    assert not missing, f"untested commands: {missing}"


def test_pre_commit_hooks_use_local_tools():
    """pre-commit downloads nothing: every hook is local and runs a tool of the project."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert {h["id"] for h in hooks} >= {"ruff", "ruff-format", "mypy", "lint-secure", "messages"}
    for repo in config["repos"]:
        assert repo["repo"] == "local"
    for hook in hooks:
        assert hook["language"] == "system"
        for word in hook["entry"].split():
            if word.startswith(("tools/", ".venv/")):
                assert (ROOT / word).exists() or word.startswith(".venv/"), word


def test_user_model_has_no_bypass_flags():
    assert not hasattr(User, "is_superuser")
