"""``scrapy crawl``, plus a check of the spider's arguments before anything starts.

Scrapy would report a bad ``-a`` value as a traceback from inside the crawler, after its start-up
log; users get one line naming the argument and exit code 2 instead, before any log or request.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from belitong_crawler.arguments import ArgumentError, parse_arguments
from belitong_crawler.spiders.belitong import BelitongSpider


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if args == [BelitongSpider.name]:
            try:
                parse_arguments(opts.spargs)
            except ArgumentError as error:
                print(f"scrapy crawl {args[0]}: error: {error}", file=sys.stderr)
                sys.exit(2)
