"""An installed wheel works outside the checkout: the grammar and templates travel as package data."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

from conftest import ROOT, SAMPLES
from test_startup import CHART, assert_small_lint_loads_only_what_it_needs


def test_wheel_installs_and_runs_from_another_directory(tmp_path: Path, dot: str) -> None:
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("salesflow-*.whl"))
    import zipfile

    shipped = set(zipfile.ZipFile(wheel).namelist())
    # The studio's page and its built assets ship; the editor's npm sources do not.
    for name in ("studio.html", "static/editor.js", "static/editor.LICENSES.txt", "static/studio.js", "static/studio.css"):
        assert f"salesflow/serve/{name}" in shipped, name
    assert not any(name.startswith("salesflow/serve/editor/") for name in shipped)
    assert "salesflow/templates/starters/classic.zh.flow" in shipped

    # salesflow comes only from the wheel; its dependencies from the environment running these tests
    # (the .venv that `make test` builds). `system_site_packages` would not do: it points at the base
    # interpreter under that environment, which on a fresh machine has none of them.
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _see_dependencies_of_this_environment(python)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    # pip writes the bytecode at install, so that no run spends its start-up compiling modules.
    compiled = list(env_dir.glob("lib/python3*/site-packages/salesflow/lint/rules/__pycache__/*.pyc"))
    assert len(compiled) >= len(list((ROOT / "salesflow" / "lint" / "rules").glob("*.py"))), compiled

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [str(python), "-c", "import salesflow, salesflow.grammar, salesflow.templates; print(salesflow.__file__)"],
        capture_output=True, text=True, cwd=elsewhere, env=clean_env,
    )
    assert where.returncode == 0, where.stderr
    assert str(env_dir) in where.stdout, "salesflow must come from the wheel, not the checkout"

    for args in (
        ["-m", "salesflow", "--help"],
        ["-m", "salesflow", "render", "-f", "json", str(SAMPLES / "b2b-lanes.flow")],
        ["-m", "salesflow", "lint", str(SAMPLES / "b2b-lanes.flow")],
        ["-m", "salesflow", "handbook", str(SAMPLES / "b2b-lanes.flow"), "-o", str(tmp_path / "handbook.html")],
        ["-m", "salesflow", "init", str(tmp_path / "started.flow"), "--template", "ten-stage"],
    ):
        result = subprocess.run([str(python), *args], capture_output=True, text=True, cwd=elsewhere, env=clean_env)
        assert result.returncode == 0, result.stderr
    # The rule documentation's Chinese catalog travels in the wheel too.
    rules = subprocess.run([str(python), "-m", "salesflow", "rules", "dead-end", "--lang", "zh"],
                           capture_output=True, text=True, cwd=elsewhere, env=clean_env)
    assert rules.returncode == 0 and "为什么重要：" in rules.stdout, rules.stderr
    # A lint of a small chart, with the bytecode and patterns kept: no more than it needs.
    chart = elsewhere / "small.flow"
    chart.write_text(CHART, encoding="utf-8")
    assert_small_lint_loads_only_what_it_needs(chart, str(python))
    script = env_dir / "bin" / "salesflow"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=elsewhere, env=clean_env)
    assert result.returncode == 0 and "render" in result.stdout
    assert_the_command_loads_no_re(script, chart, clean_env)


def test_an_editable_install_has_the_same_command(tmp_path: Path) -> None:
    # `pip install -e .` installs bin/salesflow too, pointed at the environment's Python.
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _see_dependencies_of_this_environment(python)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", str(ROOT)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr
    script = env_dir / "bin" / "salesflow"
    first_line, _, rest = script.read_text(encoding="utf-8").partition("\n")
    assert first_line == f"#!{python}" and rest == (ROOT / "bin" / "salesflow").read_text(encoding="utf-8").partition("\n")[2]
    chart = tmp_path / "small.flow"
    chart.write_text(CHART, encoding="utf-8")
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    assert_the_command_loads_no_re(script, chart, clean_env)


def assert_the_command_loads_no_re(script: Path, chart: Path, env: dict[str, str]) -> None:
    """`salesflow lint CHART`, run as a user runs it, imports no `re` of its own: the command is
    bin/salesflow, not the wrapper pip writes for an entry point, which imports `re` first (setup.py)."""
    # As a user's Python does, bytecode and the patterns salesflow keeps beside it are written by a first run.
    env = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([str(script), "lint", "--select", "ALL", str(chart)], capture_output=True, cwd=chart.parent, env=env)
    imported = []
    for args in ([str(script.parent / "python"), "-c", "pass"], [str(script), "lint", "--select", "ALL", str(chart)]):
        done = subprocess.run(args, capture_output=True, text=True, cwd=chart.parent, env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
        assert done.returncode in (0, 1), done.stderr[-2000:]
        imported.append({line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")})
    at_start, by_the_command = imported
    assert "[missing-kpi]" in done.stdout, done.stdout  # the review itself ran
    assert "salesflow.lint.engine" in by_the_command
    assert "re" not in by_the_command - at_start


def _see_dependencies_of_this_environment(python: Path) -> None:
    """Let the venv of `python` import what this interpreter has installed, after its own packages.

    A path line in a `.pth` file is appended to sys.path but the `.pth` files inside that folder are not
    run, so the editable install of the checkout stays invisible and salesflow still comes from the wheel.
    """
    site_dir = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    ours = [path for path in site.getsitepackages() if Path(path).is_dir()]
    (Path(site_dir) / "salesflow-test-dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")


def test_every_package_is_listed_for_the_wheel() -> None:
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = {line.strip() for line in config["options"]["packages"].splitlines() if line.strip()}
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "salesflow").rglob("__init__.py")
    }
    assert found <= listed, f"add to setup.cfg [options] packages: {sorted(found - listed)}"


def test_every_template_file_ships() -> None:
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    patterns = [p.strip() for p in config["options.package_data"]["salesflow.templates"].split(",")]
    for path in (ROOT / "templates").iterdir():
        if path.is_file() and path.name != "__init__.py" and path.suffix != ".pyc":
            assert any(path.match(pattern) for pattern in patterns), f"{path.name} would not ship in the wheel"
