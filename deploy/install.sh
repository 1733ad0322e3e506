#!/bin/sh
# Install (or upgrade) baomi from the offline bundle this script is in: no network is used.
#
#   sh install.sh [VENV]        VENV defaults to /opt/baomi/.venv
#   PYTHON=python3.13 sh install.sh
#
# It creates the virtual environment if there is none, installs every pinned dependency from
# wheelhouse/ checked against the hashes of requirements.lock, then baomi's own wheel (compiled
# messages and static files included). Next steps: docs/operations.md ("First start").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${1:-/opt/baomi/.venv}
python=${PYTHON:-python3}

"$python" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null || {
  echo "需要 Python 3.11–3.13 (PYTHON=$python)" >&2
  exit 1
}
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
# pip may not reach any index, whatever its configuration says.
export PIP_NO_INDEX=1 PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_CONSTRAINT 2>/dev/null || true
"$venv/bin/python" -m pip install --quiet --no-index --find-links "$here/wheelhouse" \
  --require-hashes -r "$here/requirements.lock"
"$venv/bin/python" -m pip install --quiet --no-index --no-deps --force-reinstall "$here"/wheelhouse/baomi-*.whl
echo "baomi 已安装: $venv/bin/baomi ($("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("baomi"))'))"
echo "下一步: docs/operations.md「首次启动」(baomi migrate, baomi keys init, baomi init, baomi collectstatic)"
