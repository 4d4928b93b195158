"""A real `salesflow serve` for the studio's tests: the command run as a user runs it, on a free port."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from conftest import ROOT, require


def require_serve_extra() -> None:
    from importlib.util import find_spec

    for name in ("starlette", "uvicorn", "watchfiles"):
        require(find_spec(name) is not None, f"{name} (the serve extra)")


class Studio:
    """`salesflow serve PATH` in a subprocess; `url` is the address it printed, token included."""

    def __init__(self, path: Path, *options: str, lang_variable: Optional[str] = None) -> None:
        require_serve_extra()
        environment = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        environment.pop("SALESFLOW_LANG", None)
        if lang_variable is not None:
            environment["SALESFLOW_LANG"] = lang_variable
        self.process = subprocess.Popen(
            [sys.executable, "-m", "salesflow", "serve", str(path), *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
        )
        line = self.process.stdout.readline()
        match = re.search(r"(http://\S+)", line)
        if match is None:
            self.process.kill()
            raise AssertionError(f"salesflow serve printed no address: {line!r} {self.process.stderr.read()!r}")
        self.url = match.group(1)
        parts = urlsplit(self.url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.host, self.port = parts.hostname, parts.port
        self.token = parts.query.split("token=", 1)[1]
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/api/files")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the studio did not answer within 20 s")

    def request(
        self, method: str, path: str, body: Optional[dict] = None, headers: Optional[dict] = None, token: bool = True
    ) -> tuple[int, str]:
        """(status, body) of one request; by default with the token, the own Host, and for
        writes the own Origin and a JSON body, as the page sends them."""
        sent = {"Host": f"{self.host}:{self.port}"}
        if token:
            sent["X-Salesflow-Token"] = self.token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent.update({"Content-Type": "application/json", "Origin": self.base})
        sent.update(headers or {})
        sent = {key: value for key, value in sent.items() if value is not None}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_host=True)
            for key, value in sent.items():
                connection.putheader(key, value)
            if data is not None:
                connection.putheader("Content-Length", str(len(data)))
            connection.endheaders(data)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr = self.process.stderr.read()  # what it printed to the user besides the address
        self.process.stdout.close()
        self.process.stderr.close()
