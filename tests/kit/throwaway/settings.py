"""The project's settings plus one line: the throwaway app."""

from baomi.settings import *  # noqa: F403
from baomi.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kit.throwaway"]
