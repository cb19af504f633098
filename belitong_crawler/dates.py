"""Read the dates Indonesian news pages print.

``parse_date`` turns any date text such a page shows into a timezone-aware ``datetime`` in the zone
the text states (WIB when none), or ``None`` when the text is not a valid date.  It never raises.

Design, in the order a string meets it:

1. Cheap rejects: non-strings, absurdly long strings, strings with no digit and no relative word
   (``Reporter : Dodi``, ``Belitung``) are ``None`` at once -- never a guess.
2. A fast path of compiled regexes for every form the site and its peers print (``Selasa 01 Oct 2024 -
   18:56 WIB``, ``Selasa 01-10-2024,18:56 WIB``, ISO 8601, ``pukul 18.56``, ``2 jam yang lalu``,
   ``Sabtu (19/3)`` ...).  When one of them matches the shape, its verdict is final: an impossible date
   (``31 Februari 2024``) is ``None`` rather than something dateparser might make of it.
3. Only strings the fast path does not recognise and that could still hold a full date (three
   numbers or month names, one a four-digit year) or a relative phrase go to ``dateparser``, through
   parsers built once (one per language, picked by the words present), with settings that forbid
   guessing: day, month and year all required, no timestamps, no relative reading of a string that
   also names a year.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

__all__ = ["UTC", "WIB", "WIT", "WITA", "first_date", "parse_date", "to_iso"]

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

# Longer input is never a date text; capping it keeps every regex and dateparser call cheap.
_MAX_RAW_LEN = 300
_MAX_LEN = 120
_MAX_FALLBACK_LEN = 100

_ZONE_NAMES: dict[str, tzinfo] = {"wib": WIB, "wita": WITA, "wit": WIT, "utc": UTC, "gmt": UTC, "z": UTC}
_ZONE_BY_OFFSET: dict[timedelta, tzinfo] = {
    timedelta(hours=7): WIB,
    timedelta(hours=8): WITA,
    timedelta(hours=9): WIT,
    timedelta(0): UTC,
}

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "januari jan january",
        "februari feb pebruari febuari february",
        "maret mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "agustus agu agt ags aug august",
        "september sep sept",
        "oktober okt oct october",
        "november nov nopember nop",
        "desember des dec december",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _num
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_DAY_NAMES = (
    "senin selasa rabu kamis jum'at jumat sabtu minggu ahad sen sel rab kam jum sab min "
    "monday tuesday wednesday thursday friday saturday sunday mon tues tue wed thurs thur thu fri sat sun"
)
_DAY_RE = "|".join(sorted(_DAY_NAMES.split(), key=len, reverse=True))

# Characters folded before matching: dashes to "-", quotes to "'", brackets and invisible spaces away.
_TRANSLATE = str.maketrans(
    {
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
        **{c: "'" for c in "\u2018\u2019\u201b\u0060\u00b4\u02bc"},
        **{c: " " for c in "()[]{}\u200b\u200c\u200d\u2060\ufeff"},
    }
)

_F = re.ASCII
_LABEL = re.compile(
    r"(?:(?:last\s+)?(?:diperbarui|diperbaharui|diupdate|updated?|dipublikasikan|dipublikasi|dipublish"
    r"|diterbitkan|terbit|published|posted|dibuat|tanggal|tgl|waktu|date|pada|on)(?![a-z])\.?"
    r"(?:\s*(?:on|pada)(?![a-z]))?\s*[:\-|]?\s*)+",
    _F,
)
_TRAILING_WORDS = ("diperbarui", "diperbaharui", "diupdate", "update", "updated", "edited")
_TRAILING_LABEL = re.compile(rf"[\s,|\-]*(?:{'|'.join(_TRAILING_WORDS)})$", _F)
_ASCII_FOLD = re.compile(r"[()\[\]{}`]")
_DAY_PREFIX = re.compile(rf"(?:{_DAY_RE})(?![a-z'])\.?[\s,\-|/.]*", _F)

_TIME = (
    r"(?:(?:pukul|pkl|jam|at)\.?\s*)?"
    r"(?P<H>\d{1,2})\s?[:.]\s?(?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,](?P<F>\d{1,12}))?)?"
    r"(?:\s*(?P<ap>[ap])\.?m(?![a-z])\.?)?"
)
_ZONE = (
    r"(?:(?P<tz>wita|wit|wib|utc|gmt|z)(?![a-z])(?:\s*(?:utc|gmt)?\s*(?P<o1>[+-]\s?\d{1,2}(?::?\d{2})?))?"
    r"|(?P<o2>[+-]\d{2}(?::?\d{2})?))"
)
_SEP = r"[\s,|\-@/]+"
_DATE = (
    r"(?:(?P<d1>\d{1,2})\s*(?P<s1>[-/.])\s*(?P<m1>\d{1,2})(?:\s*(?P=s1)\s*(?P<y1>\d{4}|\d{2}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?[\s\-./]*(?P<mn2>{_MONTH_RE})(?![a-z])\.?(?:[\s,\-./]*(?P<y2>\d{{4}}))?"
    rf"|(?P<mn3>{_MONTH_RE})(?![a-z])\.?\s*(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:[\s,]+(?P<y3>\d{{4}}))?)"
)
_ISO = re.compile(
    r"(?P<y4>\d{4})(?P<s4>[-/.])(?P<m4>\d{1,2})(?P=s4)(?P<d4>\d{1,2})"
    r"(?:(?:t|\s*[\s,|@]\s*)(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<F>\d{1,12}))?)?)?"
    rf"(?:\s*{_ZONE})?",
    _F,
)
_DATE_FIRST = re.compile(rf"{_DATE}(?:{_SEP}{_TIME})?(?:\s*{_ZONE})?", _F)
_TIME_FIRST = re.compile(
    rf"{_TIME}(?:\s*{_ZONE})?{_SEP}(?:(?:tanggal|tgl)\.?\s*)?(?:(?:{_DAY_RE})(?![a-z'])\.?[\s,\-|/.]*)?{_DATE}",
    _F,
)

_NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_UNITS = {
    "detik": "s", "dtk": "s", "second": "s", "seconds": "s", "sec": "s", "secs": "s",
    "menit": "min", "mnt": "min", "minute": "min", "minutes": "min", "min": "min", "mins": "min",
    "jam": "h", "hour": "h", "hours": "h", "hr": "h", "hrs": "h",
    "hari": "d", "day": "d", "days": "d",
    "minggu": "w", "pekan": "w", "mgg": "w", "week": "w", "weeks": "w",
    "bulan": "mo", "bln": "mo", "month": "mo", "months": "mo",
    "tahun": "y", "thn": "y", "year": "y", "years": "y",
}  # fmt: skip
_SE_UNITS = ("detik", "menit", "jam", "hari", "minggu", "pekan", "bulan", "tahun")
_NUM_RE = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_RELATIVE = re.compile(r"(?P<body>.+?)\s*(?:(?:yang|yg)\s+)?(?:lalu|silam|ago)", _F)
_REL_PART = re.compile(
    rf"(?:\s*(?:,|dan(?![a-z])|and(?![a-z]))?\s*)(?:(?P<n>\d{{1,6}}|{_NUM_RE})\s*(?P<u>{_UNIT_RE})"
    rf"|se(?P<su>{'|'.join(_SE_UNITS)}))(?![a-z])",
    _F,
)
_JUST_NOW = frozenset(
    {"baru saja", "barusan", "sekarang", "just now", "now", "beberapa detik lalu",
     "beberapa detik yang lalu", "beberapa saat lalu", "beberapa saat yang lalu", "a few seconds ago",
     "moments ago"}
)  # fmt: skip
_DAY_WORDS = {"hari ini": 0, "today": 0, "kemarin": 1, "yesterday": 1, "kemarin lusa": 2}
_DAY_WORD = re.compile(
    rf"(?P<w>kemarin lusa|kemarin|hari ini|yesterday|today)(?:{_SEP}{_TIME})?(?:\s*{_ZONE})?", _F
)

_DIGIT = re.compile(r"[0-9]")
_REL_WORD = re.compile(
    r"(?<![a-z])(?:lalu|silam|ago|kemarin|baru|barusan|tadi|yesterday|today|now|sekarang|hari ini|lusa)"
    r"(?![a-z])",
    _F,
)
_TOKEN = re.compile(rf"[0-9]+|(?<![a-z])(?:{_MONTH_RE})(?![a-z])", _F)

# dateparser is imported and its parsers built on first need, once each: a DateDataParser per call
# would make the fallback slower than dateparser.parse itself.  One parser per language, chosen by the
# words in the string, because a two-language parser tries both and costs 2-3x more on a failure.
_FALLBACK: dict[tuple[str, str], Any] = {}
_RELATIVE_BASE = datetime(2000, 6, 15, 12, 0, 0)
_FALLBACK_SETTINGS: dict[str, dict[str, Any]] = {
    # Absolute dates must name day, month and year; no epoch timestamps, no digit-run guessing.
    "absolute": {
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "DATE_ORDER": "DMY",
        "PARSERS": ["custom-formats", "absolute-time"],
    },
    # Relative phrases are resolved against a fixed base; _fallback moves the offset to the reference.
    "relative": {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": _RELATIVE_BASE, "PARSERS": ["relative-time"]},
}
_EN_WORD = re.compile(
    r"(?<![a-z])(?:january|february|march|june|july|august|october|december|may|aug|oct|dec"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
    r"|am|pm|at|of|on|the|ago|yesterday|today|now|last|hours?|minutes?|seconds?|days?|weeks?|months?"
    r"|years?|st|nd|rd|th)(?![a-z])",
    _F,
)
_CLOCK = re.compile(r"[0-9]{1,2}[:.][0-9]{2}")
_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def _fallback_parser(kind: str, language: str) -> Any:
    """The dateparser parser for ``kind`` ("absolute"/"relative") and ``language``, built on first use."""
    parser = _FALLBACK.get((kind, language))
    if parser is None:
        from dateparser.date import DateDataParser

        parser = DateDataParser(languages=[language], settings=_FALLBACK_SETTINGS[kind])
        _FALLBACK[kind, language] = parser
    return parser


def to_iso(dt: datetime) -> str:
    """ISO 8601 with seconds and offset, the form the item's ``published_at`` uses.

    A naive datetime is taken as WIB, the site's zone, so the output always carries an offset.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.replace(tzinfo=WIB)
    return dt.isoformat(timespec="seconds")


def parse_date(text: str, reference: datetime | None = None) -> datetime | None:
    """Parse a date text from an Indonesian news page; ``None`` when it is not a valid date.

    Relative and year-less dates resolve against ``reference`` (default now in WIB; naive means WIB).
    Never raises: a crawler must keep going whatever a page prints.
    """
    try:
        return _parse(text, reference)
    except Exception:  # the contract is "never raises", on any input
        return None


def first_date(*texts: str | None) -> datetime | None:
    """The first of ``texts`` that reads as a date: for a page's shown date, then its structured one."""
    for text in texts:
        when = parse_date(text) if text else None
        if when is not None:
            return when
    return None


def _parse(text: Any, reference: Any) -> datetime | None:
    if not isinstance(text, str) or len(text) > _MAX_RAW_LEN:
        return None
    s = _normalise(text)
    if not s or len(s) > _MAX_LEN:
        return None
    relative_word = _REL_WORD.search(s) is not None
    if not relative_word and _DIGIT.search(s) is None:
        return None

    if relative_word:
        found, result = _relative(s, reference)
        if found:
            return result

    m = _ISO.fullmatch(s)
    if m:
        return _from_match(m, reference)
    day_name = _DAY_PREFIX.match(s)
    rest = s[day_name.end() :].strip(" ,.|-/") if day_name else s
    m = _DATE_FIRST.fullmatch(rest) or _TIME_FIRST.fullmatch(rest)
    if m:
        return _from_match(m, reference)
    return _fallback(s, reference, relative_word)


def _normalise(text: str) -> str:
    """Fold case, unicode forms, dashes and spaces; drop labels such as ``Diperbarui:``."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    elif _ASCII_FOLD.search(text):  # str.translate costs more than the search on plain ASCII
        text = text.translate(_TRANSLATE)
    s = " ".join(text.lower().split())
    m = _LABEL.match(s)
    if m:
        s = s[m.end() :]
    if s.endswith(_TRAILING_WORDS):
        m = _TRAILING_LABEL.search(s)
        if m:
            s = s[: m.start()]
    return s.strip(" ,.|-/:")


def _reference(reference: Any) -> datetime:
    if reference is None:
        return datetime.now(WIB)
    if not isinstance(reference, datetime):
        if isinstance(reference, date):
            return datetime(reference.year, reference.month, reference.day, tzinfo=WIB)
        raise TypeError("reference must be a datetime")
    if reference.tzinfo is None or reference.utcoffset() is None:
        return reference.replace(tzinfo=WIB)
    return reference


def _zone(m: re.Match[str]) -> tzinfo | None:
    """The zone a match states; None when it states none. Raises ValueError on an impossible offset."""
    name, off = m.group("tz"), m.group("o1") or m.group("o2")
    if off is None:
        return _ZONE_NAMES[name] if name else None
    off = off.replace(" ", "").replace(":", "")
    sign = -1 if off[0] == "-" else 1
    digits = off[1:]
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    elif len(digits) == 4:
        hours, minutes = int(digits[:2]), int(digits[2:])
    else:
        raise ValueError("bad offset")
    if hours > 23 or minutes > 59:
        raise ValueError("bad offset")
    delta = sign * timedelta(hours=hours, minutes=minutes)
    if name in ("wib", "wita", "wit") and _ZONE_NAMES[name].utcoffset(None) != delta:
        raise ValueError("zone name and offset disagree")  # "WIB GMT+8": which one is a typo?
    return _ZONE_BY_OFFSET.get(delta) or timezone(delta)


def _from_match(m: re.Match[str], reference: Any) -> datetime | None:
    """Build the datetime a fast-path match describes; None when the date or time cannot exist."""
    g = m.groupdict()
    try:
        tz = _zone(m)
    except ValueError:
        return None
    tz = tz or WIB
    if g.get("y4"):
        year, month, day = int(g["y4"]), int(g["m4"]), int(g["d4"])
    elif g.get("d1"):
        day, month = int(g["d1"]), int(g["m1"])
        if g["y1"] is None:
            if g["s1"] != "/":  # "18.56" or "19-3" alone is a time or a score, not a date
                return None
            year = None
        else:
            year = int(g["y1"])
            if len(g["y1"]) == 2:
                year += 2000 if year < 69 else 1900
    elif g.get("d2"):
        day, month = int(g["d2"]), _MONTHS[g["mn2"]]
        year = int(g["y2"]) if g["y2"] else None
    else:
        day, month = int(g["d3"]), _MONTHS[g["mn3"]]
        year = int(g["y3"]) if g["y3"] else None

    hour = minute = second = micro = 0
    if g.get("H") is not None:
        hour, minute = int(g["H"]), int(g["M"])
        second = int(g["S"]) if g.get("S") else 0
        micro = int((g["F"] + "000000")[:6]) if g.get("F") else 0
        ap = g.get("ap")
        if ap:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ap == "p" else 0)
        if hour > 23 or minute > 59 or second > 59:
            return None

    if not 1 <= month <= 12 or day < 1:
        return None
    if year is None:
        if day > (29 if month == 2 else monthrange(2001, month)[1]):
            return None
        ref_day = _reference(reference).astimezone(tz).date()
        year = _latest_year(month, day, ref_day)
        if year is None:
            return None
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    except ValueError:
        return None


def _latest_year(month: int, day: int, ref_day: date) -> int | None:
    """Year of the latest ``day``/``month`` not after ``ref_day`` (29 February looks back up to 8 years)."""
    for year in range(ref_day.year, max(ref_day.year - 9, 0), -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= ref_day:
            return year
    return None


def _minus_months(dt: datetime, months: int) -> datetime:
    total = dt.year * 12 + dt.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.replace(year=year, month=month, day=min(dt.day, monthrange(year, month)[1]))


def _relative(s: str, reference: Any) -> tuple[bool, datetime | None]:
    """Relative forms (``5 menit lalu``, ``kemarin 18.56``). Returns (recognised, result)."""
    if s in _JUST_NOW:
        return True, _reference(reference).astimezone(WIB).replace(microsecond=0)

    m = _DAY_WORD.fullmatch(s)
    if m:
        try:
            tz = _zone(m) or WIB
        except ValueError:
            return True, None
        day = _reference(reference).astimezone(tz).date() - timedelta(days=_DAY_WORDS[m.group("w")])
        hour = minute = second = 0
        if m.group("H") is not None:
            hour, minute = int(m.group("H")), int(m.group("M"))
            second = int(m.group("S")) if m.group("S") else 0
            if m.group("ap"):
                if not 1 <= hour <= 12:
                    return True, None
                hour = hour % 12 + (12 if m.group("ap") == "p" else 0)
            if hour > 23 or minute > 59 or second > 59:
                return True, None
        return True, datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)

    m = _RELATIVE.fullmatch(s)
    if not m:
        return False, None
    body = m.group("body")
    amounts = {"s": 0, "min": 0, "h": 0, "d": 0, "w": 0, "mo": 0, "y": 0}
    pos = 0
    while pos < len(body):
        part = _REL_PART.match(body, pos)
        if not part or part.end() == pos:
            return False, None
        if part.group("su"):
            amounts[_UNITS[part.group("su")]] += 1
        else:
            n = part.group("n")
            amounts[_UNITS[part.group("u")]] += int(n) if n.isdigit() else _NUMBER_WORDS[n]
        pos = part.end()
    ref = _reference(reference).astimezone(WIB).replace(microsecond=0)
    try:
        result = ref - timedelta(
            seconds=amounts["s"],
            minutes=amounts["min"],
            hours=amounts["h"],
            days=amounts["d"],
            weeks=amounts["w"],
        )
        result = _minus_months(result, amounts["mo"] + 12 * amounts["y"])
    except (ValueError, OverflowError):
        return True, None
    return True, result


def _fallback(s: str, reference: Any, relative_word: bool) -> datetime | None:
    """dateparser, only for strings that could hold a full date or a relative phrase."""
    if len(s) > _MAX_FALLBACK_LEN:
        return None
    language = "en" if _EN_WORD.search(s) else "id"
    has_year = _YEAR.search(s) is not None
    if relative_word and not has_year:  # with a year in it, a relative reading would contradict it
        data = _fallback_parser("relative", language).get_date_data(s)
        found = data.date_obj if data else None
        if found is None:
            return None
        ref = _reference(reference).astimezone(WIB).replace(microsecond=0)
        found = found.replace(tzinfo=None)
        if _CLOCK.search(s):  # "2 days ago at 10:00": the day is relative, the time of day is not
            day = ref.date() - (_RELATIVE_BASE.date() - found.date())
            return datetime.combine(day, found.time().replace(microsecond=0), tzinfo=WIB)
        return ref - (_RELATIVE_BASE - found)
    # An absolute date needs day, month and a four-digit year (shorter years are fast-path forms):
    # three numbers or month names at least, one of them a year.
    if not has_year or len(_TOKEN.findall(s)) < 3:
        return None
    data = _fallback_parser("absolute", language).get_date_data(s)
    found = data.date_obj if data else None
    if found is None:
        return None
    offset = found.utcoffset()
    if offset is None:
        return found.replace(tzinfo=WIB)
    return found.replace(tzinfo=_ZONE_BY_OFFSET.get(offset) or timezone(offset))
