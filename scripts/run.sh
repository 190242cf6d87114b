#!/usr/bin/env bash
# Set everything up and run the product on this machine: SQLite, the embedded broker,
# a real Celery worker (with beat), gunicorn on http://127.0.0.1:8000 and the ASGI process (uvicorn:
# Socket.IO for Rasa web widgets, next to the same Django views) on http://127.0.0.1:8001.
# Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements.txt

export DJANGO_SETTINGS_MODULE=config.settings
export INSECURE_HTTP="${INSECURE_HTTP:-1}"   # plain HTTP on localhost; production keeps secure cookies
PORT="${PORT:-8000}"
CHAT_PORT="${CHAT_PORT:-$((PORT + 1))}"
# The widget page on the web port talks to the Socket.IO process on the chat port.
export FAQ_SOCKETIO_URL="${FAQ_SOCKETIO_URL:-http://127.0.0.1:${CHAT_PORT}}"
export FAQ_SOCKETIO_ALLOWED_ORIGINS="${FAQ_SOCKETIO_ALLOWED_ORIGINS:-http://127.0.0.1:${PORT},http://localhost:${PORT},http://127.0.0.1:${CHAT_PORT},http://localhost:${CHAT_PORT}}"
mkdir -p var
if [ -z "${SECRET_KEY:-}" ] && [ ! -s var/secret_key ]; then
  python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
  chmod 600 var/secret_key
fi

python manage.py migrate --noinput -v0
python manage.py compilemessages -v0 -l pt_BR --ignore=.venv   # locale/pt_BR → .mo (not kept in git)
python manage.py collectstatic --noinput -v0
python manage.py demo_setup

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# The worker logs through Django's LOGGING (to its stderr), so its whole output goes to the file.
celery -A config worker -B --schedule var/celerybeat-schedule -Q default,training \
  --concurrency 1 --loglevel INFO >>var/worker.log 2>&1 &
pids+=($!)
gunicorn config.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --access-logfile - --log-level info &
pids+=($!)
# One process: Socket.IO sessions live in its memory (scale with sticky sessions, see README).
uvicorn config.asgi:application --host 127.0.0.1 --port "${CHAT_PORT}" --no-server-header \
  --no-proxy-headers --timeout-graceful-shutdown 5 --log-level warning &
pids+=($!)

# "Running" only once the web process answers and a worker has done a round trip through the broker.
echo "waiting for the web process and the worker…"
python - "$PORT" "$CHAT_PORT" <<'PY'
import json, sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/healthz"
chat = f"http://127.0.0.1:{sys.argv[2]}/socket.io/?EIO=4&transport=polling"
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            if json.load(response)["broker"]["ok"]:
                with urllib.request.urlopen(chat, timeout=5) as response:  # the Socket.IO handshake
                    if response.status == 200:
                        sys.exit(0)
    except Exception:
        pass
    time.sleep(1)
sys.exit("the worker or the Socket.IO process did not answer within 120 s; see var/worker.log")
PY
echo
echo "Rouanet ML is running at http://127.0.0.1:${PORT}/  (worker log: var/worker.log; Ctrl-C stops)"
echo "Rasa web widgets: Socket.IO at http://127.0.0.1:${CHAT_PORT}/socket.io/ (demo page: /chat/widget/)"
wait -n "${pids[@]}"
