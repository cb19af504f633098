"""``scrapy parse``, which shows what the spider reads from one page, made harmless: it writes no feed
files and never reads or writes the archive (with ``--pipelines`` the archive would count the page as
seen, or drop it as unchanged), unless ``-s`` names either."""

from __future__ import annotations

import argparse

from scrapy.commands.parse import Command as ScrapyParseCommand

# What a look at one page leaves out, unless the command line sets it.
LEFT_OUT = {"BELITONG_ARCHIVE": "", "BELITONG_DEFAULT_FEEDS": {}}


class Command(ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        given = {item.split("=", 1)[0] for item in getattr(opts, "set", None) or []}
        for name, value in LEFT_OUT.items():
            if name not in given:
                self.settings.set(name, value, priority="cmdline")
