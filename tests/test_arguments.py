"""Spider arguments: every bad value stops the real command with one line and a non-zero exit."""

from __future__ import annotations

from datetime import date

import pytest

from belitong_crawler.arguments import ArgumentError, parse_arguments
from tests.conftest import PROJECT_ROOT
from tests.forkserver import ModuleProcess


@pytest.mark.parametrize(
    ("argument", "named"),
    [
        ("since=yesterday", "since"),
        ("until=2024-13-01", "until"),
        ("max_pages=-1", "max_pages"),
        ("max_pages=0", "max_pages"),
        ("max_pages=two", "max_pages"),
        ("base_url=ftp://belitongekspres.com", "base_url"),
        ("base_url=belitongekspres.com", "base_url"),
        ("base_url=https://belitongekspres.com:99999", "base_url"),
        ("follow_related=maybe", "follow_related"),
        ("categories=Pilkada 2024", "categories"),
        ("urls=https://belitongekspres.com/kategori/1/belitung", "urls"),
        ("urls=https://elsewhere.example/read/1/x", "urls"),
        ("colour=red", "colour"),
    ],
)
def test_bad_argument_is_one_line_and_exit_2(argument: str, named: str) -> None:
    # the first value in a fresh interpreter, as a user types it; the others as forks (forkserver.py)
    process = ModuleProcess(
        "scrapy",
        ["crawl", "belitong", "-a", argument],
        PROJECT_ROOT,
        fresh=argument == "since=yesterday",
        stderr_apart=True,
    )
    done = process.result(60)
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"scrapy crawl belitong: error: bad argument {named}:")
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize(
    "name", ["categories", "since", "until", "max_pages", "urls", "base_url", "follow_related"]
)
def test_empty_argument_is_bad(name: str) -> None:
    # a closed loopback port as base_url: an argument wrongly taken never reaches the network
    guard = [] if name == "base_url" else ["-a", "base_url=http://127.0.0.1:9"]
    process = ModuleProcess(
        "scrapy", ["crawl", "belitong", *guard, "-a", f"{name}=", "-s", "BELITONG_ARCHIVE="], PROJECT_ROOT
    )
    output = process.communicate(60)
    assert process.returncode == 2, output[-2000:]
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith(f"scrapy crawl belitong: error: bad argument {name}: ")
    assert "empty" in lines[0]


@pytest.mark.parametrize("value", [",", " , ,"])
def test_list_arguments_naming_nothing_are_bad(value: str) -> None:
    for name in ("categories", "urls"):
        with pytest.raises(ArgumentError, match=f"bad argument {name}: .*empty"):
            parse_arguments({name: value})


def test_since_after_until_names_until() -> None:
    with pytest.raises(ArgumentError, match="bad argument until"):
        parse_arguments({"since": "2024-10-05", "until": "2024-10-01"})


def test_good_arguments_parsed() -> None:
    args = parse_arguments(
        {
            "base_url": "http://127.0.0.1:8080/",
            "categories": "Pilkada-2024, ekonomi",
            "since": "2024-10-01",
            "until": "2024-10-31",
            "max_pages": "3",
            "follow_related": "false",
            "urls": "http://127.0.0.1:8080/read/5/x/2?utm=1,http://127.0.0.1:8080/read/5/x#c",
        }
    )
    assert args.base_url == "http://127.0.0.1:8080"
    assert args.categories == ("pilkada-2024", "ekonomi")
    assert (args.window.since, args.window.until) == (date(2024, 10, 1), date(2024, 10, 31))
    assert args.window.start.isoformat() == "2024-10-01T00:00:00+07:00"
    assert args.max_pages == 3 and args.follow_related is False
    assert args.urls == ("http://127.0.0.1:8080/read/5/x",)


def test_defaults() -> None:
    args = parse_arguments({})
    assert args.base_url == "https://belitongekspres.com"
    assert (args.categories, args.max_pages, args.follow_related, args.urls) == ((), None, True, ())
    assert not args.window.is_set


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://belitongekspres.com/read/1/x", True),
        ("https://BelitongEkspres.com:443/robots.txt", True),  # the default port, any case
        ("https://www.belitongekspres.com/read/1/x", False),  # a subdomain
        ("https://radarbangka.disway.id/read/1/x", False),
        ("http://belitongekspres.com/read/1/x", False),  # another scheme
        ("https://belitongekspres.com:8443/read/1/x", False),  # another port
        ("https://belitongekspres.com.evil.example/robots.txt", False),
    ],
)
def test_origin_rule_scheme_host_and_port(url: str, allowed: bool) -> None:
    from scrapy import Request
    from scrapy.exceptions import IgnoreRequest
    from scrapy.utils.test import get_crawler

    from belitong_crawler.middlewares import OriginMiddleware
    from belitong_crawler.spiders.belitong import BelitongSpider

    crawler = get_crawler(BelitongSpider)
    crawler.spider = BelitongSpider(base_url="https://belitongekspres.com")
    crawler.stats.open_spider()
    middleware = OriginMiddleware.from_crawler(crawler)
    for request in (Request(url), Request(url, dont_filter=True, meta={"allow_offsite": True})):
        if allowed:
            assert middleware.process_request(request) is None
        else:
            with pytest.raises(IgnoreRequest):
                middleware.process_request(request)
    assert crawler.stats.get_value("belitong/skipped/offsite") == (None if allowed else 2)
