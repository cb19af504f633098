"""``belitong COMMAND`` (or ``python -m belitong_crawler COMMAND``): the project's commands beside
``scrapy crawl``."""

from __future__ import annotations

import sys

USAGE = """usage: belitong COMMAND [options]   (or: python -m belitong_crawler COMMAND [options])

commands:
  export   write a dataset from the archive (CSV, JSON, JSON Lines), filtered; --summary for counts
  capture  save article pages and what the crawler reads from them as golden tests (tests/golden/)
  demo     crawl the bundled mirror offline into output/demo.sqlite, demo.csv, demo.json
  mirror   serve the bundled mirror on loopback (to look at it in a browser)

`belitong COMMAND --help` tells more."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "export":
        from belitong_crawler.export import main as run
    elif command == "capture":
        from belitong_crawler.capture import main as run
    elif command == "demo":
        from belitong_crawler.demo import main as run
    elif command == "mirror":
        from belitong_crawler.mirror_server import main as serve

        serve(rest)
        return 0
    else:
        print(
            f"belitong: error: unknown command {command!r} (export, capture, demo, mirror)", file=sys.stderr
        )
        return 2
    return run(rest)


if __name__ == "__main__":
    sys.exit(main())
