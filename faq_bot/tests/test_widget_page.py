"""The demo page that embeds rasa-webchat: its configuration and Content-Security-Policy."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

pytestmark = pytest.mark.django_db


def config_of(page: str) -> dict:
    return json.loads(page.split('id="webchat-config" type="application/json">')[1].split("</script>")[0])


def test_the_widget_page_embeds_the_vendored_bundle_with_rasa_settings(client, settings):
    settings.FAQ_WIDGET_INIT_PAYLOAD = "/cumprimentar"
    response = client.get("/chat/widget/")
    page = response.content.decode()
    assert "faq_bot/vendor/rasa-webchat/webchat-1.0.1.js" in page and "<script>" not in page
    config = config_of(page)
    assert config["initPayload"] == "/cumprimentar" and config["socketPath"] == "/socket.io/"
    assert config["socketUrl"] == ""  # the page's own origin
    assert "connect-src" not in response["Content-Security-Policy"]
    vendored = ROOT / "faq_bot/static/faq_bot/vendor/rasa-webchat"
    assert "Apache License" in (vendored / "LICENSE").read_text()


def test_a_socket_on_another_origin_is_allowed_by_the_page_policy_only(client, settings):
    settings.FAQ_SOCKETIO_URL = "https://chat.exemplo.gov.br"
    response = client.get("/chat/widget/")
    policy = response["Content-Security-Policy"]
    assert "connect-src 'self' https://chat.exemplo.gov.br wss://chat.exemplo.gov.br" in policy
    assert "script-src 'self'" in policy
    assert config_of(response.content.decode())["socketUrl"] == "https://chat.exemplo.gov.br"
    assert "connect-src" not in client.get("/chat/")["Content-Security-Policy"]
