"""Scrapy settings for belitong_crawler. Each setting says why it is what it is."""

from scrapy.settings import default_settings

from belitong_crawler.items import ARTICLE_FIELDS
from belitong_crawler.paths import in_project

BOT_NAME = "belitong_crawler"
SPIDER_MODULES = ["belitong_crawler.spiders"]
NEWSPIDER_MODULE = "belitong_crawler.spiders"
# Our `crawl` command checks spider arguments first: one error line, not a traceback.
COMMANDS_MODULE = "belitong_crawler.commands"

# Say who we are: the site's staff can tell a research crawler from a scraper farm.
USER_AGENT = "belitong_crawler/1.0 (news archive crawler for research and newsrooms)"
# Obey the site's robots.txt.
ROBOTSTXT_OBEY = True

# Politeness: AutoThrottle adapts the delay to the server's latency; never more than 2 at once.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
# A news page is well under 1 MiB of HTML; nothing this crawler reads comes near 8 MiB. A response is
# never read past DOWNLOAD_MAXSIZE (Scrapy's 1 GiB default would let one page hold gigabytes): the
# download stops there, and HttpCompressionMiddleware stops inflating a gzip/deflate/br/zstd body
# there too (a small "gzip bomb" that inflates to 1 GiB is refused at 8 MiB). Such a page fails like
# a 5xx (a passing failure, counted, asked for again by the next run), never a crash. Pages over
# DOWNLOAD_WARNSIZE are fetched, with a WARNING in the log.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# No request leaves base_url's origin (scheme, host and port): not a link, a later page, a retry, a
# redirect or robots.txt, dont_filter or not. One middleware sees them all; Scrapy's offsite filter
# (host names only, and bypassed by dont_filter) is replaced by it.
# A page's meta refresh to itself is no redirect (it would lose the page to the duplicate filter).
# And robots.txt is obeyed by every request, also those sent while robots.txt is still loading.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "belitong_crawler.middlewares.OriginMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "belitong_crawler.middlewares.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "belitong_crawler.middlewares.SelfRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "belitong_crawler.middlewares.RetryAfterMiddleware": 550,
}

# One request per article page, whatever URL form a link used (category-prefixed, short, old slug).
REQUEST_FINGERPRINTER_CLASS = "belitong_crawler.fingerprints.ArticleFingerprinter"

# Items and requests of one response go through the pipelines one after the other: every pipeline is
# synchronous, so Scrapy's default of 100 in parallel gains nothing, and costs 100 asyncio tasks per
# response (about a sixth of a crawl's CPU time in the crawl benchmark's profile).
CONCURRENT_ITEMS = 1

# Scrapy's check that a generator callback returns no value reads and parses the callback's source
# again and again (its cache holds bound methods weakly, and each request makes a new one): about 4%
# of a crawl's CPU time. It helps whoever is writing a spider; ours are fixed and tested.
WARN_ON_GENERATOR_RETURN_VALUE = False

# A regional site on shared hosting has bad minutes: retry those, a few times.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A 429 or 503 with Retry-After is retried that many seconds later (RetryAfterMiddleware), but never
# more than this: a site asking for an hour would hold a cron run for an hour.
BELITONG_RETRY_AFTER_MAX = 120

# INFO: progress per listing page and the end-of-crawl report, without every request.
LOG_LEVEL = "INFO"
# Dropped items are logged by reason and URL, not as the whole item.
LOG_FORMATTER = "belitong_crawler.logformatter.ArticleLogFormatter"
# No consoles into a running crawl. The telnet console, and Scrapy 2.19's remote-control web service
# (RemoteControl: an HTTP server on a random port of 127.0.0.1 whose /execute endpoint runs any Python
# code it is sent, its port and token written to a job file in ~/.local/state/scrapy/job_files/) would
# let any program running as the same user run code inside a cron run. The crawler never needs them.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# The archive's part in a crawl (skip what is archived, ask again for what is open): see archiving.py.
SPIDER_MIDDLEWARES = {"belitong_crawler.archiving.IncrementalArchive": 600}

# Order: date -> clean body -> validate -> date window -> deduplicate.
ITEM_PIPELINES = {
    "belitong_crawler.pipelines.DatePipeline": 100,
    "belitong_crawler.pipelines.CleanBodyPipeline": 200,
    "belitong_crawler.pipelines.ValidationPipeline": 300,
    "belitong_crawler.pipelines.DateWindowPipeline": 400,
    "belitong_crawler.pipelines.DuplicatesPipeline": 500,
    "belitong_crawler.pipelines.ArchivePipeline": 600,
}
# Field coverage and drop counts at the end of every crawl.
EXTENSIONS = {"belitong_crawler.extensions.FieldCoverage": 500}
# The telnet console and the remote control (turned off above) are not even loaded: Scrapy imports
# every extension it lists, also those turned off or set to None, and importing these two (aiohttp,
# Twisted's conch) took a quarter of a second of every run's start. Scrapy's other extensions stay.
NEVER_LOADED = ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl")
EXTENSIONS_BASE = {
    path: order for path, order in default_settings.EXTENSIONS_BASE.items() if path not in NEVER_LOADED
}

# Each run writes CSV and JSON under output/ in the project folder (the folder of scrapy.cfg, from
# wherever the run starts), named by the run's start time; the spider makes these its FEEDS only when
# -o/-O (or FEEDS) name no feed of their own. A run that exports nothing (a cron run over an
# unchanged site) writes no file: no empty feeds piling up. A feed named with -o/-O is always written.
BELITONG_DEFAULT_FEEDS = {
    in_project("output/belitong-%(time)s.csv"): {"format": "csv", "store_empty": False},
    in_project("output/belitong-%(time)s.json"): {"format": "json", "indent": 2, "store_empty": False},
}
# Columns and keys in the contract's order.
FEED_EXPORT_FIELDS = list(ARTICLE_FIELDS)
# Real characters (curly quotes, accents) in JSON, not \u escapes.
FEED_EXPORT_ENCODING = "utf-8"
# CSV joins list fields with " | ".
FEED_EXPORTERS = {"csv": "belitong_crawler.exporters.ArticleCsvItemExporter"}

# Twisted's asyncio reactor (Scrapy's default) and UTF-8 everywhere.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# The embedded archive (SQLite): every article ever exported, with revisions; in the project folder,
# from wherever the run starts (a path given with -s is taken as written). Empty turns it off (a full
# one-off crawl that exports everything, revision null).
BELITONG_ARCHIVE = in_project("output/belitong.sqlite")
# Every walk ends (see the README's "Every walk ends"): a listing followed past this many pages, or a
# multi-page article past this many pages, is a trap or a broken pagination; the walk stops, says so
# at WARNING and counts it (belitong/walks/capped). Real listings on Disway sites run to a few
# thousand pages of 10-30 entries; real articles to a handful of pages.
BELITONG_MAX_LISTING_PAGES = 5000
BELITONG_MAX_ARTICLE_PAGES = 30
# A whole run stops after this many minutes (0: no limit, for a run by hand); the cron wrapper sets
# one shorter than its interval, so a stuck or trapped run never blocks the next. Mapped to Scrapy's
# CLOSESPIDER_TIMEOUT.
BELITONG_MAX_RUN_MINUTES = 0
# Articles published in the last this many days are fetched again on each run to catch edits.
BELITONG_RECHECK_DAYS = 3
