"""Extract messages of the named apps into ``src/baomi/<app>/locale/zh_Hans/LC_MESSAGES/django.po``
(needs GNU gettext on the developer's machine; CI only compiles, with polib).

    .venv/bin/python tools/makemessages.py core accounts audit
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAOMI = ROOT / ".venv" / "bin" / "baomi"

for app in sys.argv[1:] or [p.parent.name for p in (ROOT / "src" / "baomi").glob("*/apps.py")]:
    app_dir = ROOT / "src" / "baomi" / app
    (app_dir / "locale").mkdir(exist_ok=True)
    subprocess.run(
        [str(BAOMI), "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location", "-e", "html,txt,py"],
        cwd=app_dir,
        check=True,
    )
