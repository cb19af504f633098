"""The tests' fork server (forkserver.py) gives a command what a fresh interpreter gives it: the same
output, exit code, folder, environment and ``sys.argv``/``sys.path`` as ``python -m MODULE``."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.forkserver import ModuleProcess

# What a module run as ``python -m`` sees of its process, printed by the ``-m`` module below.
PROBE = """import json, os, sys
print(json.dumps({"argv": sys.argv[1:], "argv0": os.path.basename(sys.argv[0]), "path0": sys.path[0],
    "cwd": os.getcwd(), "probe": os.environ.get("PROBE"), "name": __name__,
    "reactor": "twisted.internet.reactor" in sys.modules}))
sys.exit(int(os.environ.get("PROBE_EXIT", "0")))
"""


@pytest.fixture
def probe_module(tmp_path: Path) -> Path:
    (tmp_path / "probe_module.py").write_text(PROBE, "utf-8")
    return tmp_path


@pytest.mark.parametrize("exit_code", [0, 3])
def test_a_fork_sees_what_a_fresh_interpreter_sees(probe_module: Path, exit_code: int) -> None:
    env = {**os.environ, "PROBE": "x y", "PROBE_EXIT": str(exit_code)}
    seen = []
    for fresh in (True, False):
        process = ModuleProcess(
            "probe_module", ["a", "b c"], probe_module, env, fresh=fresh, stderr_apart=True
        )
        done = process.result(60)
        assert done.returncode == exit_code and done.stderr == b""
        seen.append(done.stdout)
    assert seen[0] == seen[1]
    assert b'"argv": ["a", "b c"], "argv0": "probe_module.py"' in seen[1]
    assert b'"probe": "x y", "name": "__main__", "reactor": false' in seen[1]


def test_a_forked_crawl_is_a_process_of_its_own() -> None:
    crawl = ModuleProcess("scrapy", ["crawl", "belitong", "-a", "base_url=http://127.0.0.1:9"], PROJECT_ROOT)
    assert crawl.pid != os.getpid()
    crawl.send_signal(signal.SIGKILL)
    crawl.communicate(60)
    assert crawl.returncode == -signal.SIGKILL
