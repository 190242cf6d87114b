"""The ASGI application: Django's views plus the Socket.IO channel for Rasa web widgets (/socket.io/).

Serve it with uvicorn (scripts/run.sh and docker-compose's `chat` service); Socket.IO sessions live
in the process's memory, so run one process per sticky backend.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# One connection per request context under ASGI: persistent connections would leak (settings.py).
os.environ.setdefault("DB_CONN_MAX_AGE", "0")
django_application = get_asgi_application()

from faq_bot.channels.socketio import asgi_application  # noqa: E402 - needs Django set up first

application = asgi_application(django_application)
