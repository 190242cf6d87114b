# syntax=docker/dockerfile:1
# --- build: wheels and static files ------------------------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=collectstatic-only VAR_DIR=/tmp/var /opt/venv/bin/python manage.py compilemessages -v0 -l pt_BR
RUN SECRET_KEY=collectstatic-only VAR_DIR=/tmp/var /opt/venv/bin/python manage.py collectstatic --noinput -v0

# --- runtime: no compilers, non-root ------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 VAR_DIR=/var/lib/rouanet \
    DJANGO_SETTINGS_MODULE=config.settings
RUN useradd --system --uid 10001 --home /app app && mkdir -p /var/lib/rouanet && chown app /var/lib/rouanet
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app /app /app
USER app
# 8000: gunicorn (config.wsgi); 8001: the `chat` service (uvicorn config.asgi:application)
EXPOSE 8000 8001
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz?broker=0').status==200 else 1)"
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
