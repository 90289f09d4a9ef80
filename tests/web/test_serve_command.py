"""`briefing serve` on the command line: its checks before serving, its errors, its command."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from web_helpers import HOSTILE_FOLDER

from briefing_tui import cli
from briefing_tui.web.server import allowed_hosts, app_command, is_loopback, netloc

# TEST-NET-1 (RFC 5737): an address no machine here has, so nothing is ever served on it.
UNREACHABLE = "192.0.2.1"


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `briefing serve` as a user would, expecting it to stop on its own."""
    return subprocess.run(
        [sys.executable, "-m", "briefing_tui", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_bad_path_fails_in_one_line_before_serving(tmp_path: Path) -> None:
    done = serve(str(tmp_path / "missing"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("briefing serve: ") and "no such file or folder" in done.stderr


def test_a_host_other_machines_reach_needs_allow_remote() -> None:
    done = serve("--host", "0.0.0.0")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "--allow-remote" in done.stderr


def test_allow_remote_warns_that_anyone_who_reaches_it_can_read_the_library() -> None:
    done = serve("--host", UNREACHABLE, "--allow-remote", "--port", "8000")
    warning, error = done.stderr.splitlines()
    assert "warning: anyone who can reach 192.0.2.1:8000 can read this library" in warning
    assert error.startswith("briefing serve: cannot listen on 192.0.2.1:8000: ")
    assert done.returncode == 1


def test_a_port_in_use_fails_in_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = serve("--port", str(port))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"briefing serve: cannot listen on 127.0.0.1:{port}: ")


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_a_bad_port_is_a_usage_error(port: str) -> None:
    done = serve("--port", port)
    assert done.returncode == 2
    assert "--port" in done.stderr.splitlines()[-1]


def test_without_the_web_extra_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "briefing_tui.web.server", None)
    assert cli.main(["serve"]) == 2
    assert "pip install 'briefing-tui[web]'" in capsys.readouterr().err


def test_help_lists_the_command_and_its_options() -> None:
    listing = subprocess.run(
        [sys.executable, "-m", "briefing_tui", "--help"], capture_output=True, text=True
    ).stdout
    assert "serve" in listing
    usage = serve("--help").stdout
    for option in ("--host", "--port", "--allow-remote"):
        assert option in usage


def test_the_command_keeps_a_hostile_path_one_argument(tmp_path: Path) -> None:
    # textual-serve runs the command through /bin/sh: run it so, with a "python" that
    # only reports its arguments, in a folder where any injected `touch` would leave files.
    reporter = tmp_path / "python"
    reporter.write_text(
        f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n", encoding="utf-8"
    )
    reporter.chmod(0o755)
    path = tmp_path / HOSTILE_FOLDER
    command = app_command(path, python=str(reporter))
    done = subprocess.run(
        ["/bin/sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == ["-m", "briefing_tui", "--", str(path)]
    assert sorted(os.listdir(tmp_path)) == ["python"]
    assert app_command(None, python="python3") == "exec python3 -m briefing_tui"
    with_options = app_command(None, python="python3", options=["--fresh", "--no-state"])
    assert with_options == "exec python3 -m briefing_tui --fresh --no-state"


def test_loopback_addresses_and_the_names_of_the_page() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org", ""]))
    assert netloc("::1", 8000) == "[::1]:8000" and netloc("localhost", 80) == "localhost"
    loopback = allowed_hosts("127.0.0.1", 8000)
    assert loopback == frozenset({"127.0.0.1:8000", "localhost:8000", "[::1]:8000"})
    assert allowed_hosts("192.168.1.2", 8080) == frozenset({"192.168.1.2:8080"})
    assert allowed_hosts("0.0.0.0", 8000) is None
