"""Every command and Python snippet of the README and docs/ runs, as written, in a fresh folder.

The commands are read from the documents' ``sh``/``shell`` blocks, in document order, and run
with ``bash`` from a fresh workspace (the repository's ``.venv``, ``fixtures``, ``flows`` and
``prefect.yaml`` linked in, a new ``output/``, a new ``$PREFECT_HOME``), so a command that fails
for a new user fails here. Long-running commands (``prefect server start``, the serving
deployment, a worker, a Dask scheduler and worker) are started in the background, awaited until
ready and stopped at the end. ``make test`` is this suite and is not run from inside it;
``make run`` is checked to be the documented ``flows.ingest`` command, which runs. Host names of
other machines (``machine-a``) are this machine. The one-off flow runs use the Prefect server the
documents start (started first), instead of starting a temporary one each (same commands).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCS = (ROOT / "README.md", ROOT / "docs" / "analysts.md", ROOT / "docs" / "orchestration.md")
LINKED = (".venv", "fixtures", "flows", "prefect.yaml", "pyproject.toml")
PREFECT_PORT = 4200
DASK_PORT = 8786

NOT_RUN = {"make test": "this test suite itself"}

BACKGROUND = (
    "prefect server start",
    "python -m flows.deploy",
    "prefect worker start",
    "dask scheduler",
    "dask worker",
)
"""Commands that keep running (a server, a serving deployment, workers)."""


def _blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"```(sh|shell|python)\n(.*?)```", text, flags=re.DOTALL)


def _commands(block: str) -> list[str]:
    """One command per line (``\\`` continuations joined), comments dropped."""
    joined = re.sub(r"\\\n\s*", "", block)
    out = []
    for line in joined.splitlines():
        command = re.split(r"\s+#", line)[0].strip()
        if command and not command.startswith("#"):
            out.append(command)
    return out


def documented() -> list[tuple[str, str, str]]:
    """(document, kind ``sh`` or ``python``, command or snippet) in document order."""
    found = []
    for doc in DOCS:
        for kind, block in _blocks(doc.read_text(encoding="utf-8")):
            if kind == "python":
                found.append((doc.name, "python", block))
            else:
                found += [(doc.name, "sh", c) for c in _commands(block)]
    return found


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _prefect_healthy() -> bool:
    try:
        url = f"http://127.0.0.1:{PREFECT_PORT}/api/health"
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class Workspace:
    root: Path
    env: dict[str, str]
    background: list[subprocess.Popen[bytes]] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)

    def run(self, command: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        self.ran.append(command)
        return result

    def start(self, command: str, name: str) -> subprocess.Popen[bytes]:
        log = (self.root / f"{name}.log").open("wb")
        process = subprocess.Popen(
            ["bash", "-c", command],
            cwd=self.root,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.background.append(process)
        self.ran.append(command)
        return process

    def wait_until(self, ready: object, what: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ready():  # type: ignore[operator]
                return
            dead = [p for p in self.background if p.poll() is not None]
            if dead:
                logs = {p.name: p.read_text()[-2000:] for p in self.root.glob("*.log")}
                pytest.fail(f"{what}: a background command exited early; logs: {logs}")
            time.sleep(1)
        pytest.fail(f"{what}: not ready after {seconds}s")

    def stop(self) -> None:
        for process in reversed(self.background):  # only the process groups started here
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.background:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    if _port_open(PREFECT_PORT) or _port_open(DASK_PORT):
        pytest.skip(f"ports {PREFECT_PORT}/{DASK_PORT} are taken: the documents use them")
    root = tmp_path_factory.mktemp("fresh-checkout")
    for name in LINKED:
        (root / name).symlink_to(ROOT / name)
    (root / "inbox").mkdir()  # the documents' inbox, holding one report
    (root / "inbox" / "report.pdf").symlink_to(ROOT / "fixtures" / "bytedance_csr_2021.pdf")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "CSREXTRACT_", "VIRTUAL_ENV", "PYTHON"))
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p
    )  # a fresh shell: the project's tools only by their .venv/bin path
    env["PREFECT_HOME"] = str(root / "prefect-home")
    env["COLUMNS"] = "200"  # rich tables of `prefect ... ls` are not cut to 80 columns
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
    space = Workspace(root, env)
    # The documents' own server command, started first: the one-off flow runs documented before
    # it then report to it instead of starting a temporary server each (30-60 s apiece here).
    _start(space, ".venv/bin/prefect server start")
    yield space
    space.stop()


def _analyst_shell(env: dict[str, str], root: Path) -> dict[str, str]:
    """docs/analysts.md writes ``csrextract``, telling readers to activate the virtualenv."""
    return {**env, "PATH": f"{root / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"}


def _run_sh(space: Workspace, doc: str, command: str) -> None:
    command = command.replace("machine-a", "127.0.0.1")
    if command in NOT_RUN:
        return
    if command == "make run":
        recipe = subprocess.run(
            ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        assert "python -m flows.ingest fixtures/bytedance_csr_2021.pdf --output output" in recipe
        return
    if command.startswith("export "):
        name, _, value = command.removeprefix("export ").partition("=")
        space.env[name] = value
        space.ran.append(command)
        return
    if any(marker in command for marker in BACKGROUND):
        _start(space, command)
        return
    saved = space.env
    if doc == "analysts.md":
        space.env = _analyst_shell(saved, space.root)
    try:
        result = space.run(command)
    finally:
        space.env = saved
    assert result.returncode == 0, (
        f"{doc}: {command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    _check_output(command, result.stdout)


def _start(space: Workspace, command: str) -> None:
    if "prefect server start" in command:
        if _prefect_healthy():
            return  # the second option's "terminal 1": the server is up already
        space.start(command, "prefect-server")
        space.wait_until(_prefect_healthy, command, seconds=180)
        space.env["PREFECT_API_URL"] = f"http://127.0.0.1:{PREFECT_PORT}/api"
    elif "flows.deploy" in command:
        space.start(command, "deploy")
        space.wait_until(
            lambda: "yearly-csr-ingest" in space.run(".venv/bin/prefect deployment ls").stdout,
            command,
        )
    elif "worker start" in command:
        worker = space.start(command, "worker")
        time.sleep(5)
        assert worker.poll() is None, (space.root / "worker.log").read_text()[-2000:]
    elif "dask scheduler" in command:
        space.start(command, "dask-scheduler")
        space.wait_until(lambda: _port_open(DASK_PORT), command)
    else:
        worker = space.start(command, "dask-worker")
        time.sleep(5)
        assert worker.poll() is None, (space.root / "dask-worker.log").read_text()[-2000:]


def _check_output(command: str, stdout: str) -> None:
    if " diff " in command:
        assert re.search(r"v0 → v1: \d+ added, \d+ removed, \d+ changed", stdout), stdout
    if "deployment inspect" in command:
        assert "0 6 1 5 *" in stdout
    if "csrextract review" in command:
        assert "wrote review/" in stdout


def _run_python(space: Workspace, doc: str, snippet: str) -> None:
    result = space.run(f".venv/bin/python - <<'SNIPPET'\n{snippet}\nSNIPPET")
    assert result.returncode == 0, f"{doc} snippet failed:\n{snippet}\n{result.stderr[-3000:]}"


def test_every_documented_command_runs_in_a_fresh_folder(workspace: Workspace) -> None:
    items = documented()
    assert len(items) >= 30
    for doc, kind, text in items:
        if kind == "sh":
            _run_sh(workspace, doc, text)
        else:
            _run_python(workspace, doc, text)
    root = workspace.root
    # what the commands were meant to produce is there
    assert (root / "review" / "bytedance-2021.html").stat().st_size > 100_000
    assert (root / "exports" / "bytedance-2021.xlsx").is_file()
    assert (root / "exports" / "t06.csv").read_text(encoding="utf-8").count("\n") >= 2
    chart = root / "sdg_responses_per_goal.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    # the flow runs reported to the documents' server, each report's run named by its report id
    runs = workspace.run(".venv/bin/prefect flow-run ls --limit 50")
    assert runs.returncode == 0 and "bytedance-2021" in runs.stdout, runs.stdout
    history = workspace.run(".venv/bin/csrextract history reports --output output")
    assert history.returncode == 0 and "bytedance-2021" in history.stdout
    sh_commands = [t for _, kind, t in items if kind == "sh" and t not in NOT_RUN]
    assert len(set(workspace.ran)) >= len(set(sh_commands)) - 1  # make run: checked, not run


def test_a_missing_inbox_fails_clearly_before_any_server_starts(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "flows.ingest", "--inbox", "nowhere"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "inbox folder 'nowhere' does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    deploy = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "flows.deploy", "--inbox", "nowhere"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert deploy.returncode == 2 and "inbox folder 'nowhere' does not exist" in deploy.stderr
