"""``scrapy crawl``, made safe for cron.

Before anything starts: the spider's arguments are checked (a bad value is one line and exit code 2,
not a traceback), and the run takes the archive's lock (a second run while one is active says so in
one line and exits 0). After the crawl: the exit code says whether the run failed (nothing fetched,
or extraction collapsed), and the last log line sums the run up.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from typing import IO

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from belitong_crawler.archive import acquire_run_lock, archive_problem, archive_stamp, read_stamp, write_stamp
from belitong_crawler.arguments import ArgumentError, parse_arguments
from belitong_crawler.runreport import run_failure, summary_line
from belitong_crawler.spiders.belitong import BelitongSpider

logger = logging.getLogger("belitong_crawler.run")
EXIT_BAD_ARGUMENT = 2
EXIT_RUN_FAILED = 1


def exit_now(code: int) -> None:
    """Exit without tearing down, object by object, all that the run loaded: ``gc.freeze()`` leaves
    it to the operating system (the interpreter's teardown of Scrapy, Twisted and the rest costs
    about 0.4 s of CPU after a crawl, more than the crawl of a small site). What must be written is
    closed before this (the feeds, the archive); atexit handlers (logging's flush) and the flush of
    the standard streams still run."""
    gc.freeze()
    sys.exit(code)


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        self.ours = args == [BelitongSpider.name]
        self.lock: IO[str] | None = None  # the archive's, held for the run
        self.archive_check: str | None = None  # what the start made of the archive, for the log
        if not self.ours:
            return
        try:
            parse_arguments(opts.spargs)
        except ArgumentError as error:
            print(f"scrapy crawl {args[0]}: error: {error}", file=sys.stderr)
            exit_now(EXIT_BAD_ARGUMENT)
        archive = self.settings.get("BELITONG_ARCHIVE")
        if not archive:
            return
        try:
            self.lock = acquire_run_lock(archive)
        except OSError as error:
            self.fail_before_start(f"the archive's lock {archive}.lock cannot be taken ({error})")
        if self.lock is None:
            print(f"scrapy crawl {args[0]}: another run holds {archive}.lock; not crawling", file=sys.stderr)
            exit_now(0)
        last = read_stamp(self.lock)
        write_stamp(self.lock, None, None)  # until this run ends cleanly: a killed run leaves no stamp
        problem, self.checked_at = archive_problem(archive, last)
        if problem:
            self.fail_before_start(problem)
        self.archive_check = (
            f"Archive {archive} unchanged since the last run ended: not read whole again (last read whole "
            f"{(time.time() - self.checked_at) / 3600:.1f} h ago)"
            if last is not None and self.checked_at == last[1]
            else f"Archive {archive} checked page by page (PRAGMA quick_check): ok"
        )

    def fail_before_start(self, why: str) -> None:
        """A run that cannot start: one error line, the summary line cron reads, exit code 1."""
        print(f"scrapy crawl {BelitongSpider.name}: error: {why}", file=sys.stderr)
        print(summary_line({}, 0.0, why), file=sys.stderr)
        exit_now(EXIT_RUN_FAILED)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not getattr(self, "ours", False):
            super().run(args, opts)
            return
        assert self.crawler_process is not None
        started = time.monotonic()
        crawler = self._create_crawler(args[0])
        if self.archive_check:
            logger.info(self.archive_check)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        failure = run_failure(stats)
        if self.crawler_process.bootstrap_failed:
            failure = "the crawler could not start"
        if self.lock and not failure and not stats.get("log_count/ERROR"):
            # Ended cleanly, the archive closed: the file as this run leaves it, for the next run.
            write_stamp(self.lock, archive_stamp(self.settings.get("BELITONG_ARCHIVE")), self.checked_at)
        if failure:
            self.exitcode = EXIT_RUN_FAILED
        logger.log(
            logging.ERROR if failure else logging.INFO,
            summary_line(stats, time.monotonic() - started, failure),
        )
        gc.freeze()  # Scrapy's command line exits next, with self.exitcode: see exit_now
