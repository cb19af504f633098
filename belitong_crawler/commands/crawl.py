"""``scrapy crawl``, plus a check of the spider's arguments before anything starts.

Scrapy would report a bad ``-a`` value as a traceback from inside the crawler; users get one line
naming the argument and exit code 2 instead.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from belitong_crawler.arguments import ArgumentError


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                spidercls = None
            check = getattr(spidercls, "check_arguments", None)
            if check is not None:
                try:
                    check(opts.spargs)
                except ArgumentError as error:
                    print(f"scrapy crawl {args[0]}: error: {error}", file=sys.stderr)
                    self.exitcode = 2
                    return
        super().run(args, opts)
