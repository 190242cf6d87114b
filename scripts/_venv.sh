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
# gettext's msgfmt compiles the pt-BR catalog (locale/); a new machine may not have it.
if ! command -v msgfmt >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing gettext (compiles the pt-BR catalog)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  else
    echo "warning: msgfmt is missing; install gettext to compile locale/pt_BR" >&2
  fi
fi
