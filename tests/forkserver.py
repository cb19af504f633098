"""Start the tests' commands (``python -m scrapy ...``, ``python -m belitong_crawler ...``) as forks of
an interpreter that has already imported Scrapy.

About a hundred tests each run ``python -m scrapy crawl belitong ...`` as a subprocess, and about
0.7 s of each such process's CPU time is Python importing Scrapy, Twisted and the components
Scrapy's default settings name, before the command reads its first argument. This module runs one
small server process per test worker that imports those modules once (no project module, no
reactor installed, nothing run; matplotlib too, which ``export --summary`` draws with) and then forks a child for each command: the child changes to the
command's folder, takes the command's environment and output files, and runs what ``python -m
MODULE ARGS`` runs (``runpy.run_module``), then exits with its exit code. It is a process of its
own: its own pid for signals (SIGTERM, SIGKILL), its own exit code, its own files; the project's
code, the settings and the reactor are loaded in it as in any fresh process.

What a fork cannot show is the interpreter's own start and end: every child has the server's hash
seed and start-up environment (a command whose ``PYTHON*``, locale or ``TZ`` variables differ gets a
fresh interpreter), it shows no import-time warning of a preloaded module, and it exits without
waiting for other threads or tearing the interpreter down. So the tests that check a command as
users type it (the README's lines, the installed command, the cron wrapper, scrapyd, one argument
error, a crawl's peak memory) start a fresh interpreter, and
so does every command when ``BELITONG_TESTS_FRESH_INTERPRETER=1`` is set (the suite passes both ways).

Protocol, one JSON object per line: the client writes ``{"id", "module", "argv", "cwd", "env",
"stdout", "stderr"}``, the server answers ``{"id", "pid"}`` when the child is started and ``{"id",
"exit"}`` when it has ended (the exit code as ``subprocess`` gives it: negative for a signal).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

FRESH_INTERPRETER = os.environ.get("BELITONG_TESTS_FRESH_INTERPRETER") == "1"


def read_at_start(env: dict[str, str]) -> dict[str, str]:
    """The variables Python reads only when it starts (``PYTHON*``, locale, ``TZ``): a command whose
    environment differs from the server's in them gets a fresh interpreter."""
    return {k: v for k, v in env.items() if k.startswith(("PYTHON", "LC_")) or k in ("LANG", "TZ")}


# --- the server (run as a script) ------------------------------------------------------------------


def preload() -> None:
    """Import what every ``scrapy`` command imports: Scrapy's command line, its crawler and every
    component its default settings name (middlewares, extensions, download handlers, exporters)."""
    import warnings

    # A component's import-time warning is not shown (its module is not imported again in the child);
    # the tests that run a command in a fresh interpreter would show one.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import scrapy.cmdline
        import scrapy.crawler
        from scrapy.settings import default_settings
        from scrapy.utils.misc import load_object, walk_modules

        try:
            walk_modules("scrapy.commands")
        except Exception:  # a later Scrapy without it: the commands load in the child instead
            pass
        for name in dir(default_settings):
            value = getattr(default_settings, name)
            paths = [p for pair in value.items() for p in pair] if isinstance(value, dict) else [value]
            for path in paths:
                if isinstance(path, str) and path.startswith(("scrapy.", "twisted.")) and path.count(".") > 1:
                    try:
                        load_object(path)
                    except Exception:  # an optional dependency that is not installed (boto, h2)
                        pass
        import dateparser  # noqa: F401
        import itemadapter  # noqa: F401
        import matplotlib.backends.backend_agg
        import matplotlib.figure  # noqa: F401
        import parsel  # noqa: F401

        del scrapy
    if "twisted.internet.reactor" in sys.modules:  # each child must install its own reactor
        raise SystemExit("forkserver: the preload installed a reactor")


def run_child(request: dict, answers: int) -> None:
    """In the forked child: become ``python -m MODULE ARGS`` run in ``cwd`` with ``env``; never return."""
    code = 1
    try:
        os.close(answers)
        stdin = os.open(os.devnull, os.O_RDONLY)
        stdout = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        stderr = stdout
        if request["stderr"] != request["stdout"]:
            stderr = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(stdin, 0)  # in place of the request pipe
        os.dup2(stdout, 1)
        os.dup2(stderr, 2)
        for fd in {stdin, stdout, stderr} - {0, 1, 2}:
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import random
        import runpy

        random.seed()  # a fork shares its parent's random state
        sys.argv = ["-m", *request["argv"]]
        sys.path[0] = request["cwd"]  # as ``python -m`` has it
        try:
            runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code or 0
            else:
                print(stop.code, file=sys.stderr)
        except BaseException:
            import traceback

            traceback.print_exc()
        import atexit

        atexit._run_exitfuncs()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve() -> None:
    import select

    requests, answers = 0, os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nothing but answers on the answer pipe
    preload()
    children: dict[int, int] = {}
    pending = b""

    def answer(message: dict) -> None:
        os.write(answers, json.dumps(message).encode() + b"\n")

    while True:
        ready, _, _ = select.select([requests], [], [], 0.005 if children else None)
        if ready:
            chunk = os.read(requests, 65536)
            if not chunk:
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    run_child(request, answers)
                children[pid] = request["id"]
                answer({"id": request["id"], "pid": pid})
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            answer({"id": children.pop(pid), "exit": os.waitstatus_to_exitcode(status)})


# --- the client (the test worker) ------------------------------------------------------------------


class ForkServer:
    """One server per test worker, started on first use."""

    _instance: ForkServer | None = None
    _starting = threading.Lock()

    def __init__(self) -> None:
        self.environment = read_at_start(dict(os.environ))  # the server's, read as it starts
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=tempfile.gettempdir(),
        )
        self.sent = threading.Lock()
        self.changed = threading.Condition()
        self.pids: dict[int, int] = {}
        self.exits: dict[int, int] = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    @classmethod
    def get(cls) -> ForkServer:
        with cls._starting:
            if cls._instance is None or cls._instance.process.poll() is not None:
                cls._instance = cls()
            return cls._instance

    def _read(self) -> None:
        for line in self.process.stdout:
            message = json.loads(line)
            with self.changed:
                (self.pids if "pid" in message else self.exits)[message["id"]] = message.get(
                    "pid", message.get("exit")
                )
                self.changed.notify_all()
        with self.changed:  # the server is gone: no answer will come
            self.changed.notify_all()

    def start(self, request: dict) -> int:
        with self.sent:
            self.next_id += 1
            ident = self.next_id
            self.process.stdin.write(json.dumps({**request, "id": ident}).encode() + b"\n")
            self.process.stdin.flush()
        with self.changed:
            if not self.changed.wait_for(lambda: ident in self.pids or self.process.poll() is not None, 60):
                raise RuntimeError("the fork server did not start the command")
            if ident not in self.pids:
                raise RuntimeError("the fork server stopped")
        return ident

    def wait(self, ident: int, timeout: float | None) -> int | None:
        with self.changed:
            self.changed.wait_for(lambda: ident in self.exits or self.process.poll() is not None, timeout)
            return self.exits.get(ident)


class ModuleProcess:
    """``python -m MODULE ARGS`` in ``cwd``, its stdout and stderr in files (together unless
    ``stderr_apart``), as a fork of the server (or a fresh interpreter with ``fresh=True``): the parts
    of ``subprocess.Popen`` the tests use."""

    def __init__(
        self,
        module: str,
        argv: list[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        fresh: bool = False,
        stderr_apart: bool = False,
    ) -> None:
        environment = dict(os.environ if env is None else env)
        fresh = fresh or FRESH_INTERPRETER or read_at_start(environment) != ForkServer.get().environment
        self.returncode: int | None = None
        self._popen: subprocess.Popen | None = None
        self.stdout_path = _temporary("out")
        self.stderr_path = _temporary("err") if stderr_apart else self.stdout_path
        try:
            if fresh:
                with self.stdout_path.open("wb") as stdout, self.stderr_path.open("ab") as stderr:
                    self._popen = subprocess.Popen(
                        [sys.executable, "-m", module, *argv],
                        cwd=cwd,
                        env=environment,
                        stdin=subprocess.DEVNULL,
                        stdout=stdout,
                        stderr=stderr if stderr_apart else subprocess.STDOUT,
                    )
                self.pid = self._popen.pid
            else:
                self._server = ForkServer.get()
                request = {"module": module, "argv": argv, "cwd": str(cwd), "env": environment}
                self._ident = self._server.start(
                    {**request, "stdout": str(self.stdout_path), "stderr": str(self.stderr_path)}
                )
                self.pid = self._server.pids[self._ident]
        except BaseException:
            self._remove_files()
            raise

    def _remove_files(self) -> None:
        self.stdout_path.unlink(missing_ok=True)
        self.stderr_path.unlink(missing_ok=True)

    def poll(self) -> int | None:
        return self.wait(0) if self.returncode is None else self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None:
            if self._popen is not None:
                try:
                    self.returncode = self._popen.wait(timeout)
                except subprocess.TimeoutExpired:
                    pass
            else:
                self.returncode = self._server.wait(self._ident, timeout)
        if self.returncode is None and timeout:
            raise subprocess.TimeoutExpired(["scrapy"], timeout)
        return self.returncode

    def send_signal(self, signal: int) -> None:
        """As ``Popen.send_signal``: nothing once the process has ended."""
        if self.poll() is None:
            try:
                os.kill(self.pid, signal)
            except ProcessLookupError:  # ended since (the server reaps it at once)
                pass

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)

    def output(self) -> str:
        """What it wrote so far (all of it once it has ended): stdout, and stderr unless apart."""
        return self.stdout_path.read_text("utf-8", errors="replace")

    def communicate(self, timeout: float | None = None) -> str:
        """Wait for the end (killing it after ``timeout``, as ``subprocess.run`` does) and return its
        output (see ``result`` for stdout and stderr apart)."""
        return self.result(timeout).stdout.decode("utf-8", errors="replace")

    def result(self, timeout: float | None = None) -> subprocess.CompletedProcess:
        """Wait for the end (see ``communicate``): the exit code, stdout and stderr, as bytes."""
        try:
            self.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            self.wait(30)
            self._remove_files()
            raise
        try:
            stdout = self.stdout_path.read_bytes()
            stderr = self.stderr_path.read_bytes() if self.stderr_path != self.stdout_path else b""
            return subprocess.CompletedProcess(["python", "-m"], self.returncode, stdout, stderr)
        finally:
            self._remove_files()


def _temporary(kind: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=f"command-{kind}-", suffix=".log")
    os.close(handle)
    return Path(name)


if __name__ == "__main__":
    serve()
