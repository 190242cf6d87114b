"""A stand-in for Telegram's Bot API on loopback: records every call the product makes."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class BotApiStandIn:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self.webhook: dict = {}
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                prefix = f"/bot{stand_in.token}/"
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if not self.path.startswith(prefix):
                    return self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                method = self.path[len(prefix) :]
                stand_in.calls.append((method, body))
                return self._reply(200, {"ok": True, "result": stand_in.result(method, body)})

            def _reply(self, status: int, body: dict) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def result(self, method: str, body: dict):
        if method == "sendMessage":
            return {
                "message_id": len(self.calls),
                "from": {"id": 42, "is_bot": True, "first_name": "Assistente", "username": "rouanet_bot"},
                "chat": {"id": body["chat_id"], "type": "private"},
                "date": 1700000000,
                "text": body["text"],
            }
        if method == "setWebhook":
            self.webhook = body
            return True
        if method == "deleteWebhook":
            self.webhook = {}
            return True
        if method == "getWebhookInfo":
            return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}
        return True

    def sent(self, method: str = "sendMessage") -> list[dict]:
        return [body for name, body in self.calls if name == method]

    def __enter__(self) -> BotApiStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
