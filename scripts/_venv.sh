# Sourced by the other scripts: make .venv exist with the pinned requirements, then activate it.
# pip runs only when a requirements file changed since the last install.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
REQ_FILE="${1:-requirements.txt}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$REQ_FILE")"
want="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$REQ_FILE"
  echo "$want" > "$stamp"
fi
# shellcheck disable=SC1091
source .venv/bin/activate
