"""Thin wrapper around Debian's wrk: bounded runs on loopback, parsed into numbers."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

ROTATE_LUA = """
local requests = {}
local i = 0
init = function(args)
{REQUESTS}
end
request = function()
  i = i + 1
  return requests[(i % #requests) + 1]
end
"""


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def _lua_request(n: int, req: dict) -> str:
    headers = dict(req.get("headers") or {})
    body = req.get("body")
    if body is not None and not isinstance(body, str):
        body = json.dumps(body, ensure_ascii=False)
        headers.setdefault("Content-Type", "application/json")
    table = "{" + ",".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items()) + "}"
    body_lua = _lua_string(body) if body is not None else "nil"
    return f"requests[{n}] = wrk.format({_lua_string(req.get('method', 'GET'))}, {_lua_string(req['path'])}, {table}, {body_lua})"


def _ms(value: str) -> float:
    number, unit = float(re.match(r"[\d.]+", value).group()), re.sub(r"[\d.]+", "", value)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run(
    url: str,
    *,
    seconds: float = 10,
    connections: int = 8,
    threads: int = 2,
    bodies: list[dict] | None = None,
    requests: list[dict] | None = None,
) -> dict:
    """Load `url` for `seconds`; `bodies` POSTs JSON to it in turn, `requests` rotates full requests
    (dicts with method, path, headers, body) against the same host."""
    if bodies:
        path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
        requests = [{"method": "POST", "path": path, "body": body} for body in bodies]
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "5s"]
    with tempfile.TemporaryDirectory() as tmp:
        if requests:
            script = Path(tmp) / "rotate.lua"
            lines = "\n".join(_lua_request(n, req) for n, req in enumerate(requests, start=1))
            script.write_text(ROTATE_LUA.replace("{REQUESTS}", lines))
            cmd += ["-s", str(script)]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "requests": total,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1))) if socket_errors else 0,
    }
