"""The studio is a web server: what it refuses, and that a refused request changes nothing.

These talk HTTP to a real `salesflow serve` (no browser): the token, the Host and Origin checks,
the confinement of paths to the served folder, and the headers every answer carries.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

import pytest

from conftest import SAMPLES
from studio_server import Studio

CHART = "graph TD\n    A[线索] --> B[成交]\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Studio, Path]]:
    top = tmp_path_factory.mktemp("studio-security")
    folder = top / "charts"
    folder.mkdir()
    (folder / "process.flow").write_text(CHART, encoding="utf-8")
    (top / "secret.flow").write_text("graph TD\n    S[secret]\n", encoding="utf-8")
    (folder / "escape.flow").symlink_to(top / "secret.flow")
    (folder / "notes.txt").write_text("not a chart", encoding="utf-8")
    studio = Studio(folder)
    yield studio, folder
    studio.close()


def test_every_request_needs_the_token(served) -> None:
    studio, _folder = served
    for path in ("/", "/api/files", "/api/file?path=process.flow", "/api/events", "/static/studio.js", "/handbook?path=process.flow"):
        status, body = studio.request("GET", path, token=False)
        assert status == 403, path
        assert "token" in body
    status, _body = studio.request("GET", "/api/files", headers={"X-Salesflow-Token": "not-the-token"})
    assert status == 403
    status, body = studio.request("GET", f"/?token={studio.token}", token=False)
    assert status == 200 and "<!DOCTYPE html>" in body


def test_a_foreign_host_is_refused(served) -> None:
    studio, _folder = served
    # A DNS-rebinding page reaches 127.0.0.1 under its own name: the Host header gives it away.
    for host in ("attacker.example:%d" % studio.port, "attacker.example", f"127.0.0.1:{studio.port + 1}"):
        status, body = studio.request("GET", "/api/file?path=process.flow", headers={"Host": host})
        assert status == 421, host
        assert "answers only to" in body
    assert studio.request("GET", "/api/files", headers={"Host": f"localhost:{studio.port}"})[0] == 200


def test_a_foreign_origin_cannot_write_or_read(served) -> None:
    studio, folder = served
    before = (folder / "process.flow").read_bytes()
    version = json.loads(studio.request("GET", "/api/file?path=process.flow")[1])["version"]
    save = {"path": "process.flow", "text": "graph TD\n    X[hacked]\n", "version": version}
    status, body = studio.request("POST", "/api/save", save, headers={"Origin": "http://attacker.example"})
    assert status == 403 and "another site" in body
    # A plain form post (no JSON, no Origin of ours) is refused too, even with the token.
    status, body = studio.request("POST", "/api/save", save, headers={"Origin": None})
    assert status == 403
    status, body = studio.request("POST", "/api/save", save, headers={"Content-Type": "text/plain"})
    assert status == 403
    status, _body = studio.request("GET", "/api/file?path=process.flow", headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403
    assert (folder / "process.flow").read_bytes() == before


@pytest.mark.parametrize(
    "path",
    ["../secret.flow", "..%2Fsecret.flow", "/etc/passwd", "escape.flow", "notes.txt", "./process.flow", "sub/../process.flow", "a\\..\\b.flow"],
)
def test_paths_outside_the_folder_are_refused(served, path: str) -> None:
    studio, folder = served
    from urllib.parse import quote, unquote

    status, body = studio.request("GET", "/api/file?path=" + quote(unquote(path)))
    assert status == 403, body
    assert "secret" not in json.loads(body)["refused"].replace(unquote(path), "")
    status, _body = studio.request("POST", "/api/save", {"path": unquote(path), "text": "graph TD\n    X\n", "version": ""})
    assert status == 403
    status, _body = studio.request("POST", "/api/review", {"path": unquote(path), "text": CHART})
    assert status == 403
    assert (folder.parent / "secret.flow").read_text(encoding="utf-8") == "graph TD\n    S[secret]\n"
    assert not (folder.parent / "b.flow").exists()


def test_a_new_chart_cannot_be_made_outside_the_folder(served) -> None:
    studio, folder = served
    for path in ("../made.flow", "made.sh", "/tmp/made.flow"):
        status, _body = studio.request("POST", "/api/new", {"path": path, "template": "classic", "lang": "zh"})
        assert status == 403, path
    assert not (folder.parent / "made.flow").exists() and not (folder / "made.sh").exists()


def test_every_answer_has_a_strict_policy(served) -> None:
    import http.client

    studio, _folder = served
    connection = http.client.HTTPConnection(studio.host, studio.port, timeout=10)
    connection.request("GET", f"/?token={studio.token}", headers={"Host": f"{studio.host}:{studio.port}"})
    response = connection.getresponse()
    page = response.read().decode()
    policy = response.getheader("Content-Security-Policy")
    connection.close()
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "connect-src 'self'" in policy and "default-src 'none'" in policy
    assert response.getheader("Referrer-Policy") == "no-referrer"  # the token must not leak in a Referer
    # No inline script: every <script> either loads a file of the studio or is a JSON data block.
    import re

    for tag in re.findall(r"<script[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag


def test_the_handbook_frame_runs_nothing(served, dot) -> None:
    import http.client

    studio, _folder = served
    connection = http.client.HTTPConnection(studio.host, studio.port, timeout=30)
    connection.request("GET", "/handbook?path=process.flow", headers={"Host": f"{studio.host}:{studio.port}", "X-Salesflow-Token": studio.token})
    response = connection.getresponse()
    html = response.read().decode()
    policy = response.getheader("Content-Security-Policy")
    connection.close()
    assert response.status == 200 and "线索" in html
    assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy


def test_only_the_served_file_when_serving_a_file(tmp_path: Path) -> None:
    (tmp_path / "one.flow").write_text(CHART, encoding="utf-8")
    (tmp_path / "other.flow").write_text(CHART, encoding="utf-8")
    studio = Studio(tmp_path / "one.flow")
    try:
        assert json.loads(studio.request("GET", "/api/files")[1])["files"] == ["one.flow"]
        assert studio.request("GET", "/api/file?path=one.flow")[0] == 200
        assert studio.request("GET", "/api/file?path=other.flow")[0] == 403
    finally:
        studio.close()


def test_another_address_is_announced_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "one.flow").write_text(CHART, encoding="utf-8")
    studio = Studio(tmp_path / "one.flow", "--host", "127.0.0.2")
    try:
        assert studio.host == "127.0.0.2"
        assert studio.request("GET", "/api/files")[0] == 200
    finally:
        studio.close()
    assert "warning: listening on 127.0.0.2, so other machines can reach the studio" in studio.stderr


def test_loopback_prints_no_warning(tmp_path: Path) -> None:
    (tmp_path / "one.flow").write_text(CHART, encoding="utf-8")
    studio = Studio(tmp_path / "one.flow")
    studio.close()
    assert "warning" not in studio.stderr


def test_without_the_serve_extra_the_command_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    from click.testing import CliRunner

    from salesflow.cli import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    (tmp_path / "one.flow").write_text(CHART, encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "one.flow")])
    assert result.exit_code == 2
    assert "pip install 'salesflow[serve]'" in result.output and "uvicorn" in result.output
    assert "Traceback" not in result.output


def test_open_hands_the_address_to_the_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    (tmp_path / "one.flow").write_text(CHART, encoding="utf-8")
    opened = tmp_path / "opened.txt"
    # webbrowser runs $BROWSER with the address in place of %s.
    monkeypatch.setenv("BROWSER", f"{sys.executable} -c \"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\" %s")
    studio = Studio(tmp_path / "one.flow", "--open")
    try:
        for _ in range(100):
            if opened.exists() and opened.read_text():
                break
            import time

            time.sleep(0.05)
        assert opened.read_text() == studio.url
    finally:
        studio.close()


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    from conftest import ROOT

    (tmp_path / "one.flow").write_text(CHART, encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "salesflow", "serve", str(tmp_path / "one.flow"), "--port", str(port)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_stops_at_once_with_a_page_open(tmp_path: Path) -> None:
    import http.client
    import signal
    import time

    (tmp_path / "one.flow").write_text(CHART, encoding="utf-8")
    studio = Studio(tmp_path / "one.flow")
    stream = http.client.HTTPConnection(studio.host, studio.port, timeout=10)
    stream.request("GET", "/api/events", headers={"Host": f"{studio.host}:{studio.port}", "X-Salesflow-Token": studio.token})
    response = stream.getresponse()
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/event-stream")
    assert response.readline().startswith(b"retry:")
    started = time.monotonic()
    studio.process.send_signal(signal.SIGINT)
    studio.process.wait(10)
    assert time.monotonic() - started < 1.5
    studio.close()
    stream.close()
    assert "Traceback" not in studio.stderr and "ERROR" not in studio.stderr, studio.stderr


def test_a_review_that_takes_too_long_is_given_up(tmp_path: Path) -> None:
    import asyncio
    import time

    from salesflow.serve.worker import Worker

    worker = Worker(seconds=0.2)

    async def slow() -> None:
        await worker.run(time.sleep, 2)

    from concurrent.futures import ThreadPoolExecutor

    started = time.monotonic()
    # A loop of its own, on a thread of its own: Playwright's sync API may hold this thread's loop.
    with pytest.raises(asyncio.TimeoutError), ThreadPoolExecutor(1) as runner:
        runner.submit(asyncio.run, slow()).result()
    assert time.monotonic() - started < 1
    worker.close()
