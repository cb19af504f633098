"""Tests for belitong_crawler.dates: a corpus of real-world date strings plus property tests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belitong_crawler.dates import WIB, WIT, WITA, parse_date, to_iso

CORPUS = Path(__file__).parent / "data" / "date_corpus.tsv"
DEFAULT_REFERENCE = datetime(2024, 10, 5, 12, 0, tzinfo=WIB)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|t)")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\t" if m.group(1) == "t" else chr(int(m.group(1)[1:], 16)), text)


def _load_corpus() -> list[pytest.param]:
    cases = []
    for lineno, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        text, expected, *rest = line.split("\t")
        reference = datetime.fromisoformat(rest[0]) if rest and rest[0] else DEFAULT_REFERENCE
        cases.append(
            pytest.param(_unescape(text), expected, reference, id=f"L{lineno}:{text[:40]}"),
        )
    return cases


CORPUS_CASES = _load_corpus()


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS_CASES) >= 100


@pytest.mark.parametrize(("text", "expected", "reference"), CORPUS_CASES)
def test_corpus(text: str, expected: str, reference: datetime) -> None:
    result = parse_date(text, reference)
    if expected == "NONE":
        assert result is None
    else:
        assert result is not None
        assert result.isoformat() == expected
        assert result.utcoffset() == datetime.fromisoformat(expected).utcoffset()


@pytest.mark.parametrize("value", [None, 123, 4.5, b"2024-10-01", ["2024-10-01"], object()])
def test_non_string_input_is_none(value: object) -> None:
    assert parse_date(value) is None  # type: ignore[arg-type]


def test_bad_reference_does_not_raise() -> None:
    assert parse_date("5 menit lalu", "yesterday") is None  # type: ignore[arg-type]


def test_default_reference_is_now_in_wib() -> None:
    before = datetime.now(WIB).replace(microsecond=0)
    result = parse_date("baru saja")
    after = datetime.now(WIB)
    assert result is not None
    assert result.utcoffset() == timedelta(hours=7)
    assert before <= result <= after


def test_zone_constants_and_to_iso() -> None:
    assert WIB.utcoffset(None) == timedelta(hours=7)
    assert WITA.utcoffset(None) == timedelta(hours=8)
    assert WIT.utcoffset(None) == timedelta(hours=9)
    assert to_iso(datetime(2024, 10, 1, 18, 56, 0, 123456, tzinfo=WIB)) == "2024-10-01T18:56:00+07:00"
    assert to_iso(datetime(2024, 10, 1, 18, 56)) == "2024-10-01T18:56:00+07:00"
    assert to_iso(datetime(2024, 10, 1, 11, 56, tzinfo=UTC)) == "2024-10-01T11:56:00+00:00"


def test_site_form_round_trip_through_to_iso() -> None:
    dt = parse_date("Selasa, 01 Oktober 2024 | 18:56 WITA")
    assert dt is not None
    assert to_iso(dt) == "2024-10-01T18:56:00+08:00"


# --- properties

_DATE_SHAPED = st.from_regex(
    r"\A((Senin|Selasa|Rabu|Kamis|Jum'at|Sabtu|Minggu|Tuesday)[ ,]{0,2})?"
    r"[0-3]?[0-9]([ /.-])([01]?[0-9]|Oktober|Okt|Oct|Februari|Mei|Agt)([ /.-])[0-9]{2,4}"
    r"([ ,|-]{1,3}(pukul )?[0-2]?[0-9][:.][0-6][0-9]([:.][0-6][0-9])?)?( (WIB|WITA|WIT|Z|\+07:00|GMT\+8))?\Z",
)
_ISO_SHAPED = st.from_regex(
    r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\Z"
)
_RELATIVE_SHAPED = st.from_regex(
    r"\A([0-9]{1,7}|se|dua) ?(detik|menit|jam|hari|minggu|bulan|tahun|hours|days) (yang )?(lalu|ago)\Z"
)
_ZONES = st.sampled_from([timezone(timedelta(hours=h)) for h in (7, 8, 9, 0)] + [WIB, WITA, WIT])
_REFERENCES = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_ZONES),
)


@settings(max_examples=300, deadline=None)
@given(st.text(), _REFERENCES)
def test_never_raises_on_any_text(text: str, reference: datetime | None) -> None:
    result = parse_date(text, reference)
    assert result is None or (isinstance(result, datetime) and result.utcoffset() is not None)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_DATE_SHAPED, _ISO_SHAPED, _RELATIVE_SHAPED), _REFERENCES)
def test_never_raises_on_date_shaped_text(text: str, reference: datetime | None) -> None:
    result = parse_date(text, reference)
    assert result is None or (isinstance(result, datetime) and result.utcoffset() is not None)


@settings(max_examples=500, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31), timezones=_ZONES))
def test_isoformat_round_trip(dt: datetime) -> None:
    result = parse_date(dt.isoformat())
    assert result == dt
    assert result is not None and result.utcoffset() == dt.utcoffset()


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_site_forms_round_trip(dt: datetime) -> None:
    dt = dt.replace(second=0, microsecond=0, tzinfo=WIB)
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    bulan = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
    forms = [
        f"Senin {dt:%d} {months[dt.month - 1]} {dt:%Y - %H:%M} WIB",
        f"Senin {dt:%d-%m-%Y,%H:%M} WIB",
        f"Senin, {dt:%d} {bulan[dt.month - 1]} {dt:%Y | %H:%M} WIB",
    ]
    for form in forms:
        assert parse_date(form) == dt, form
