#!/usr/bin/env bash
# Run the whole test suite (installs what it needs). Extra arguments go to pytest.
# DATABASE_URL / CELERY_BROKER_URL choose PostgreSQL and Redis; the default is SQLite + embedded broker.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements-dev.txt
# Browser tests drive Debian's chromium through Playwright (never `playwright install`).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: /usr/bin/chromium is missing; browser tests will fail (install Debian's chromium)" >&2
  fi
fi
DJANGO_SETTINGS_MODULE=config.test_settings python manage.py compilemessages -v0 -l pt_BR --ignore=.venv
exec python -m pytest "$@"
