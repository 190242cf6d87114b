from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import Client, RequestFactory

from core.csp import ContentSecurityPolicyMiddleware, build_policy
from core.roles import ROLE_NAMES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_home_page_is_in_portuguese_and_links_every_area(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="pt-BR"' in html
    for href in ('href="/chat/"', 'href="/salic/"', 'href="/admin/"', 'href="/api/docs/"'):
        assert href in html


@pytest.mark.django_db
def test_unknown_url_is_a_clean_404_without_traceback(client):
    response = client.get("/nao-existe/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content
    api = client.get("/api/nao-existe/")
    assert api.status_code == 404
    assert api.json() == {"detail": "Não encontrado."}


@pytest.mark.django_db
def test_healthz_rejects_other_methods(client):
    assert client.post("/healthz").status_code == 405
    assert client.delete("/healthz").status_code == 405


@pytest.mark.django_db
def test_migrations_create_the_three_roles_with_permissions():
    groups = {g.name: g for g in Group.objects.all()}
    assert set(ROLE_NAMES) <= set(groups)
    editor_perms = set(groups["Editors"].permissions.values_list("codename", flat=True))
    assert "view_modelversion" in editor_perms


@pytest.mark.django_db
def test_api_default_permission_denies():
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    class Forgotten(APIView):
        def get(self, request):  # pragma: no cover - must never run
            return None

    request = APIRequestFactory().get("/x")
    response = Forgotten.as_view()(request)
    assert response.status_code in (401, 403)


def test_check_deploy_is_clean_with_debug_off_and_a_real_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("INSECURE_HTTP", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="a-real-production-secret-" + "x7Q!p9#Lm2@vB4$zR8^wT1&" * 2,
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SECURE_CSP",
]


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/chat/", 200),
        ("/salic/entrar/", 200),
        ("/admin/login/", 200),
        ("/api/docs/", 200),
        ("/api/ping/", 200),
        ("/healthz?broker=0", 200),
        ("/nao-existe/", 404),
    ],
)
def test_every_page_and_api_response_carries_the_strict_content_security_policy(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert csp_directives(response) == EXPECTED_CSP


def test_csp_middleware_keeps_a_view_policy_and_can_be_switched_off(settings):
    own = HttpResponse()
    own["Content-Security-Policy"] = "default-src 'none'"
    request = RequestFactory().get("/")
    assert ContentSecurityPolicyMiddleware(lambda r: own)(request)["Content-Security-Policy"] == "default-src 'none'"
    settings.SECURE_CSP = {}
    assert "Content-Security-Policy" not in ContentSecurityPolicyMiddleware(lambda r: HttpResponse())(request)
    assert build_policy({"default-src": ["'self'"], "upgrade-insecure-requests": True, "img-src": []}) == (
        "default-src 'self'; upgrade-insecure-requests"
    )


@pytest.mark.django_db
def test_api_docs_run_no_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html
    assert 'src="/api/docs/?script="' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


@pytest.fixture
def production_security(settings, monkeypatch):
    """The security settings config/settings.py computes when INSECURE_HTTP is not set."""
    monkeypatch.delenv("INSECURE_HTTP", raising=False)
    monkeypatch.delenv("BEHIND_TLS_PROXY", raising=False)
    production = runpy.run_path(str(ROOT / "config" / "settings.py"))
    for name in SECURITY_SETTINGS:
        setattr(settings, name, production[name])
    return production


@pytest.mark.django_db
def test_production_responses_carry_hsts_and_the_other_security_headers_and_secure_cookies(
    production_security, evaluator_user
):
    client = Client()  # a new handler, so SecurityMiddleware reads the production settings
    insecure = client.get("/salic/entrar/")
    assert insecure.status_code == 301 and insecure["Location"] == "https://testserver/salic/entrar/"
    assert client.get("/healthz?broker=0").status_code == 200  # probes may use plain HTTP

    page = client.get("/salic/entrar/", secure=True)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page["X-Frame-Options"] == "DENY"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert csp_directives(page) == EXPECTED_CSP
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True

    login = client.post(
        "/salic/entrar/", {"username": "evaluator", "password": "pw-evaluator-123", "next": "/salic/"}, secure=True
    )
    assert login.status_code == 302
    session = login.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True
    assert login.cookies["csrftoken"]["secure"] is True


@pytest.mark.django_db
def test_plain_http_runs_send_no_hsts_and_plain_cookies(client):
    """INSECURE_HTTP=1 (the test settings, scripts/run.sh): a browser must not pin HTTPS for localhost."""
    page = client.get("/salic/entrar/")
    assert page.status_code == 200
    assert "Strict-Transport-Security" not in page
    assert page["X-Frame-Options"] == "DENY" and page["X-Content-Type-Options"] == "nosniff"
    assert page.cookies["csrftoken"]["secure"] == ""


@pytest.mark.parametrize(
    "path", ["/salic/projects/%00/", "/salic/segments/1%00A/", "/api/salic/projects/20%0010/", "/admin/%00/"]
)
def test_a_nul_anywhere_in_the_path_is_a_404_before_any_query(client, staff_user, path):
    """PostgreSQL refuses NUL in query parameters; such a path must never reach a lookup (was a 500)."""
    client.force_login(staff_user)
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/faq_bot/example/?intent__exact=%00",
        "/admin/faq_bot/message/?source__exact=%00",
        "/admin/model_store/modelversion/?name=%00",
        "/admin/salic_ml/project/?q=a%00b",
        "/api/salic/projects/?segment=%00",
        "/salic/?q=%00",
    ],
)
def test_a_nul_in_the_query_string_is_a_400_before_any_query(client, staff_user, url):
    """Admin filters and API filters passed NUL to the database (a 500 on PostgreSQL)."""
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 400
    assert "caracteres de controle" in response.content.decode()
