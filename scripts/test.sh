#!/usr/bin/env bash
# Run the whole test suite (installs what it needs). Extra arguments go to pytest.
# DATABASE_URL / CELERY_BROKER_URL choose PostgreSQL and Redis; the default is SQLite + embedded broker.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements-dev.txt
exec python -m pytest "$@"
