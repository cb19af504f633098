"""Where the project's own files go: ``output/`` (feeds, the archive) and ``logs/`` sit in the
project folder, whatever folder a run or an export is started from, so a run started elsewhere never
silently begins a new archive."""

from __future__ import annotations

import os
from pathlib import Path


def project_folder(start: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the nearest ``scrapy.cfg`` from ``start`` (the current folder) upward, as Scrapy
    finds its project; the current folder when there is none (an installed package run elsewhere).
    Scrapy's own ``closest_scrapy_cfg`` does the same, but ``export`` must not import Scrapy."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "scrapy.cfg").is_file():
            return folder
    return here


def in_project(relative: str, start: str | os.PathLike[str] | None = None) -> str:
    """``relative`` (such as ``output/belitong.sqlite``) inside the project folder."""
    return str(project_folder(start) / relative)
