"""Build hook: a wheel of baomi carries its compiled message catalogues.

``*.mo`` files are build products (not in git); without them an installation from the wheel
shows the UI in English. ``build_py`` compiles every ``locale/*/LC_MESSAGES/django.po`` it has
copied into the build tree with polib (a build requirement in pyproject.toml), so ``pip wheel
.``, ``python -m build`` and ``make bundle`` all ship them. Everything else is in
pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithMessages(build_py):
    def run(self) -> None:
        super().run()
        import polib

        for po in Path(self.build_lib, "baomi").glob("**/locale/*/LC_MESSAGES/*.po"):
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


setup(cmdclass={"build_py": BuildPyWithMessages})
