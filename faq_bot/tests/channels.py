"""Starting the ASGI application (Django + Socket.IO) as uvicorn, the way run.sh and compose do."""

from __future__ import annotations

import sys

from conftest import free_port, http, process_env, wait_until


def start_asgi(spawn, name: str = "asgi", **env: str) -> str:
    """A real uvicorn process serving config.asgi on a free loopback port; returns its base URL."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-server-header",
        "--no-proxy-headers",
    ]
    spawn(name, argv, env=process_env(MODEL_STORE_CHECK_SECONDS="0", FAQ_DIALOGUE_CACHE_SECONDS="0", **env))
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return http("GET", f"{base}/healthz?broker=0", timeout=5)[0] == 200
        except OSError:
            return False

    wait_until(up, timeout=60, what=f"uvicorn answers ({spawn.log(name)[-2000:]})")
    return base
