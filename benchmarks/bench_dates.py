"""Benchmark belitong_crawler.dates.parse_date against dateparser.parse on the same strings.

Why: parse_date runs on every article the crawler sees; this shows it is much faster than calling
dateparser on the site's own date forms, never slower on anything else, and that on the site's forms
the two agree (every disagreement is listed by form, so a regression or a dateparser gap is visible).

Run: python benchmarks/bench_dates.py [--seed N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dateparser

from belitong_crawler.dates import parse_date

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
BULAN_PENDEK = "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split()
MONTHS = "January February March April May June July August September October November December".split()
MON = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
ZONES = ["WIB", "WITA", "WIT"]
NAMES = ["Dodi Pratama", "Rudi Hartono", "Yudi Irawan", "Siti Aminah", "Agus Salim", "Dewi Lestari"]


def _random_dt(rng: random.Random) -> datetime:
    start = datetime(2010, 1, 1)
    return start + timedelta(minutes=rng.randrange(16 * 365 * 24 * 60))


def _distinct(rng: random.Random, makers: list[Callable[[random.Random], str]], count: int) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen[rng.choice(makers)(rng)] = None
    return list(seen)


def site_forms(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """The span.date forms the site prints, and ISO 8601 (as in its meta tags). Returns (form, text)."""

    def span1(r: random.Random) -> str:
        dt = _random_dt(r)
        return f"1|{HARI[dt.weekday()]} {dt:%d} {MON[dt.month - 1]} {dt:%Y - %H:%M} {r.choice(ZONES)}"

    def span2(r: random.Random) -> str:
        dt = _random_dt(r)
        return f"2|{HARI[dt.weekday()]} {dt:%d-%m-%Y,%H:%M} {r.choice(ZONES)}"

    def span3(r: random.Random) -> str:
        dt = _random_dt(r)
        return f"3|{HARI[dt.weekday()]}, {dt:%d} {BULAN[dt.month - 1]} {dt:%Y | %H:%M} {r.choice(ZONES)}"

    def iso(r: random.Random) -> str:
        dt = _random_dt(r).replace(second=r.randrange(60))
        zone = r.choice(["+07:00", "+08:00", "+09:00", "Z"])
        if r.random() < 0.2:
            return f"I|{dt:%Y-%m-%d}"
        return f"I|{dt:%Y-%m-%dT%H:%M:%S}{zone}"

    tagged = _distinct(rng, [span1, span2, span3, iso], count)
    return [(t[0], t[2:]) for t in tagged]


def other_forms(rng: random.Random, count: int) -> list[str]:
    """Everything else a page may print: long forms with pukul, dotted numbers, relative, English, junk."""

    def pukul(r: random.Random) -> str:
        dt = _random_dt(r)
        return (
            f"{HARI[dt.weekday()]}, {dt.day} {BULAN[dt.month - 1]} {dt:%Y} pukul {dt:%H.%M} {r.choice(ZONES)}"
        )

    def short_month(r: random.Random) -> str:
        dt = _random_dt(r)
        return f"{dt.day} {BULAN_PENDEK[dt.month - 1]} {dt:%Y}, {dt:%H:%M}"

    def dotted(r: random.Random) -> str:
        dt = _random_dt(r)
        return f"{dt:%d.%m.%Y %H.%M}" if r.random() < 0.5 else f"{dt:%d.%m.%Y}"

    def relative(r: random.Random) -> str:
        unit = r.choice(["detik", "menit", "jam", "hari", "minggu", "bulan"])
        return f"{r.randrange(1, 60)} {unit} {r.choice(['lalu', 'yang lalu'])}"

    def relative_day(r: random.Random) -> str:
        dt = _random_dt(r)
        return f"{r.choice(['Kemarin', 'kemarin', 'Hari ini'])}, {r.choice(['pukul ', ''])}{dt:%H.%M} WIB"

    def english(r: random.Random) -> str:
        dt = _random_dt(r)
        if r.random() < 0.5:
            return f"{DAYS[dt.weekday()]}, {MONTHS[dt.month - 1]} {dt.day}, {dt:%Y %I:%M %p}"
        return f"{r.randrange(1, 48)} {r.choice(['hours', 'minutes', 'days'])} ago"

    def junk(r: random.Random) -> str:
        return r.choice(
            [
                f"Reporter : {r.choice(NAMES)} {r.randrange(1000)}",
                f"Rp {r.randrange(1, 999)}.{r.randrange(1000):03d}.000",
                f"Halaman {r.randrange(1, 50)} dari {r.randrange(50, 99)}",
                f"{r.randrange(1, 10**6)} kali dibaca",
                f"{r.randrange(32, 99)} Oktober {r.randrange(2000, 2030)}",
                f"{r.randrange(24, 99)}:{r.randrange(60, 99)}",
                f"Kategori : Berita {r.randrange(10**5)}",
                f"Editor: {r.choice(NAMES)} ({r.randrange(10**5)})",
            ]
        )

    return _distinct(rng, [pukul, short_month, dotted, relative, relative_day, english, junk], count)


def fallback_forms(rng: random.Random, count: int) -> list[str]:
    """Strings the fast path does not recognise, so parse_date hands them to dateparser (informative)."""

    def around(r: random.Random) -> str:
        dt = _random_dt(r)
        return f"{HARI[dt.weekday()]} {dt.day} {BULAN[dt.month - 1]} {dt:%Y} sekitar pukul {dt:%H.%M} WIB"

    def ctime(r: random.Random) -> str:
        return f"{_random_dt(r):%a %b %d %H:%M:%S %Y}"

    def spaced(r: random.Random) -> str:
        return f"{_random_dt(r):%Y %m %d}"

    def label(r: random.Random) -> str:
        return f"Editor: {r.choice(NAMES)} ({r.randrange(10**4)}) {r.randrange(2000, 2030)}"

    def relative_junk(r: random.Random) -> str:
        return f"{r.randrange(1, 60)} menit lalu oleh Admin {r.randrange(10**4)}"

    return _distinct(rng, [around, ctime, spaced, label, relative_junk], count)


def rate(fn: Callable[[str], object], texts: Iterable[str]) -> tuple[float, list[object]]:
    """Parses per second of ``fn`` over ``texts`` (one pass), with the results in order."""
    texts = list(texts)
    start = time.perf_counter()
    results = [fn(t) for t in texts]
    return len(texts) / (time.perf_counter() - start), results


def agree(ours: datetime | None, theirs: datetime | None) -> bool:
    """Same instant and same offset; a naive dateparser result is compared with ours' wall time."""
    if ours is None or theirs is None:
        return ours is None and theirs is None
    if theirs.tzinfo is None or theirs.utcoffset() is None:
        return ours.replace(tzinfo=None) == theirs
    return ours == theirs and ours.utcoffset() == theirs.utcoffset()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20241001)
    ap.add_argument("--site", type=int, default=3000, help="distinct strings in the site-forms group")
    ap.add_argument("--rest", type=int, default=2500, help="distinct strings in the other group")
    ap.add_argument("--fallback", type=int, default=500, help="extra strings that reach dateparser")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    site = site_forms(rng, args.site)
    rest = other_forms(rng, args.rest)
    fallback = fallback_forms(rng, args.fallback)
    site_texts = [t for _, t in site]
    assert len(set(site_texts) | set(rest)) == len(site_texts) + len(rest), "strings must be distinct"

    def dp(text: str) -> datetime | None:
        return dateparser.parse(text, languages=["id", "en"])

    # Warm both up (dateparser loads its language data, parse_date builds its fallback parser).
    for text in ("Selasa, 01 Oktober 2024 | 18:56 WIB", "Rp 2.500.000 1", "minggu lalu"):
        parse_date(text)
        dp(text)

    rows = []
    for name, texts in (("site forms", site_texts), ("rest", rest), ("(fallback)", fallback)):
        ours_rate, ours = rate(parse_date, texts)
        theirs_rate, theirs = rate(dp, texts)
        rows.append((name, len(texts), ours_rate, theirs_rate, ours, theirs))

    print(f"{len(site_texts) + len(rest)} distinct strings, seed {args.seed}")
    print("(fallback) is an extra, informative row: strings only dateparser's path can read or reject\n")
    print(f"{'group':<12} {'strings':>8} {'parse_date/s':>14} {'dateparser/s':>14} {'ratio':>8}")
    for name, n, ours_rate, theirs_rate, *_ in rows:
        print(f"{name:<12} {n:>8} {ours_rate:>14,.0f} {theirs_rate:>14,.0f} {ours_rate / theirs_rate:>7.1f}x")

    _, _, _, _, ours, theirs = rows[0]
    by_form: Counter[str] = Counter(form for form, _ in site)
    bad: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    examples: dict[str, tuple[str, object, object]] = {}
    for (form, text), a, b in zip(site, ours, theirs, strict=True):
        if not agree(a, b):  # type: ignore[arg-type]
            bad[form] += 1
            kind = "dateparser None" if b is None else "parse_date None" if a is None else "different value"
            kinds[f"{kind}, month {text.split()[2] if form == '1' else '-'}"] += 1
            examples.setdefault(form, (text, a, b))
    labels = {
        "1": "Selasa 01 Oct 2024 - 18:56 WIB",
        "2": "Selasa 01-10-2024,18:56 WIB",
        "3": "Selasa, 01 Oktober 2024 | 18:56 WIB",
        "I": "ISO 8601",
    }
    print(f"\nsite forms: {sum(bad.values())} disagreements with dateparser out of {len(site)}")
    for form, label in labels.items():
        print(f"  {label:<38} {bad[form]:>5} / {by_form[form]}")
    for kind, n in sorted(kinds.items()):
        print(f"  {kind:<38} {n:>5}")
    for text, a, b in examples.values():
        print(f"  e.g. {text!r}: parse_date={a!r} dateparser={b!r}")
    ours_none = sum(r is None for r in ours)
    print(f"  parse_date returned None for {ours_none} site-form strings")

    _, _, _, _, ours_rest, theirs_rest = rows[1]
    print(
        f"\nrest: parse_date found a date in {sum(r is not None for r in ours_rest)}, "
        f"dateparser in {sum(r is not None for r in theirs_rest)} of {len(rest)}"
    )


if __name__ == "__main__":
    main()
