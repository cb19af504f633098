"""Boilerplate forms, from HTML through extraction and the cleaning pipeline to ``body``."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from belitong_crawler.boilerplate import is_boilerplate, split_dateline
from belitong_crawler.extraction import extract_body
from belitong_crawler.items import ArticleItem
from belitong_crawler.page import Page
from belitong_crawler.pipelines import CleanBodyPipeline, DatePipeline

BASE = "https://belitongekspres.com/read/100/judul"


def cleaned(html: str) -> ArticleItem:
    """Body HTML -> extract_body -> CleanBodyPipeline, as a crawl does it."""
    paragraphs, _ = extract_body(Page.from_html(f'<div class="post-content">{html}</div>', BASE))
    item = ArticleItem.empty()
    item.update(url=BASE, body="\n\n".join(paragraphs))
    return CleanBodyPipeline(get_crawler()).process_item(item)


BOILERPLATE = [
    "<p>Kategori : Pilkada 2024</p>",
    "<p><strong>Reporter : Dodi Pratama</strong></p>",
    "<div>EDITOR: Yudiansyah</div>",
    "<p>Sumber: Antara</p>",
    "<p><em>Sumber :</em> <a href='https://antaranews.com'>antaranews.com</a></p>",
    "<p><strong>Ikuti Berita Terbaru Belitong Ekspres di Google News</strong></p>",
    "<p>Simak breaking news dan berita pilihan kami langsung di ponselmu.</p>",
    "<p>Cek Berita dan Artikel lainnya di <a href='https://news.google.com'>Google News</a></p>",
    "<p>Dapatkan informasi terkini dan terbaru setiap hari di belitongekspres.com</p>",
    "<p>Halaman 1 dari 3</p>",
    "<p>1 2 3 Selanjutnya</p>",
    "<div>« 1 2 »</div>",
    "<p>(*)</p>",
    "<p>ADVERTISEMENT</p>",
    "<p>SCROLL TO CONTINUE WITH CONTENT</p>",
    "<p>BELITONGEKSPRES.COM</p>",
    "<p>BACA JUGA: Judul tanpa tautan</p>",
]


@pytest.mark.parametrize("markup", BOILERPLATE)
def test_boilerplate_never_in_body(markup: str) -> None:
    item = cleaned(f"<p>Paragraf pertama.</p>{markup}<p>Paragraf terakhir.</p>")
    assert item["body"] == "Paragraf pertama.\n\nParagraf terakhir."
    assert item["word_count"] == 4


CONTENT = [
    "Cek fakta: pesan berantai yang beredar di grup WhatsApp dan Telegram menyebut bansos cair besok, itu hoaks.",
    "Simak juga pernyataan Bupati yang disiarkan sebagai berita terkini pagi tadi.",
    "2024",
    "Simak juga penjelasan Kepala Dinas bahwa jalan akan diperbaiki bulan depan.",
    "Warga bisa mengikuti kabar terbaru lewat Google News, kata Iqbal, namun ia mengimbau agar bijak.",
    "Editor senior itu mengatakan: data harus diperiksa.",
    "Sebanyak 3 orang luka-luka.",
    "2024 menjadi tahun politik.",
]


@pytest.mark.parametrize("text", CONTENT)
def test_content_that_resembles_boilerplate_stays(text: str) -> None:
    assert not is_boilerplate(text)
    assert cleaned(f"<p>{text}</p>")["body"] == text


@pytest.mark.parametrize(
    ("lede", "place", "rest"),
    [
        ("TANJUNGPANDAN, BELITONGEKSPRES.COM - Dinas Kominfo", "TANJUNGPANDAN", "Dinas Kominfo"),
        ("MANGGAR,BELITONGEKSPRES.COM-Warga", "MANGGAR", "Warga"),
        ("SIJUK, BELITONGEKSPRES.COM – Nelayan", "SIJUK", "Nelayan"),
        ("MEMBALONG, BELITONGEKSPRES.COM -- Puting beliung", "MEMBALONG", "Puting beliung"),
        ("BELITUNG TIMUR, BELITONGEKSPRES.COM — Bupati", "BELITUNG TIMUR", "Bupati"),
        ("BELITONGEKSPRES.COM - Tanpa tempat", None, "Tanpa tempat"),
        ("Tanjungpandan adalah ibu kota.", None, "Tanjungpandan adalah ibu kota."),
    ],
)
def test_split_dateline(lede: str, place: str | None, rest: str) -> None:
    assert split_dateline(lede) == (place, rest)


def test_dateline_after_a_photo_credit_and_an_unusual_ad() -> None:
    item = cleaned(
        '<p><img src="/f.jpg"><br>Foto: Dodi/Belitong Ekspres</p><div class="adsense-box">Iklan mitra</div>'
        '<div class="adv">Promo</div><p>TANJUNGPANDAN, Belitongekspres.com - Isi berita.</p>'
    )
    assert (item["dateline"], item["body"]) == ("TANJUNGPANDAN", "Foto: Dodi/Belitong Ekspres\n\nIsi berita.")


def test_dateline_in_strong_goes_to_field() -> None:
    item = cleaned("<p><strong>BADAU, BELITONGEKSPRES.COM</strong> - Petani lada panen.</p><p>Dua.</p>")
    assert (item["dateline"], item["body"]) == ("BADAU", "Petani lada panen.\n\nDua.")


def test_body_of_only_ads_is_empty() -> None:
    item = cleaned('<div class="ads"><script>x()</script></div><p>&nbsp;</p>')
    assert item["body"] is None and item["word_count"] == 0


def test_date_pipeline_prefers_visible_text_and_falls_back_to_structured() -> None:
    pipeline = DatePipeline(get_crawler())
    item = ArticleItem.empty()
    item.update(date_text="Selasa 01 Oct 2024 - 18:56 WITA", published_at="2024-10-01T10:56:00Z")
    assert pipeline.process_item(item)["published_at"] == "2024-10-01T18:56:00+08:00"
    item.update(date_text="Diperbarui: -", published_at="2024-10-03T08:15:00+07:00")
    assert pipeline.process_item(item)["published_at"] == "2024-10-03T08:15:00+07:00"
    item.update(date_text="Diperbarui: -", published_at=None)
    assert pipeline.process_item(item)["published_at"] is None


@pytest.mark.parametrize(
    ("body", "dateline", "kept"),
    [
        # a site name in the second paragraph is no watermark when it has no capitals place before it
        (
            ["Foto: Dok. Pemkab", "Menurut survei, Alodokter.com - situs kesehatan - mencatat kenaikan."],
            None,
            "Foto: Dok. Pemkab\n\nMenurut survei, Alodokter.com - situs kesehatan - mencatat kenaikan.",
        ),
        (
            ["Pendaftaran dibuka di laman berikut:", "sscasn.bkn.go.id", "Pelamar diminta teliti."],
            None,
            "Pendaftaran dibuka di laman berikut:\n\nsscasn.bkn.go.id\n\nPelamar diminta teliti.",
        ),
        (["SLEMAN, diswayjogja.com - Isi.", "diswayjogja.com", "Akhir."], "SLEMAN", "Isi.\n\nAkhir."),
        (["Foto: Dok.", "BANTUL, DISWAYJOGJA.COM – Isi."], "BANTUL", "Foto: Dok.\n\nIsi."),
    ],
)
def test_watermarks_go_and_sentences_that_look_like_one_stay(
    body: list[str], dateline: str | None, kept: str
) -> None:
    item = ArticleItem.empty()
    item.update(url="https://jogja.disway.id/read/1/x", body="\n\n".join(body))
    CleanBodyPipeline(get_crawler()).process_item(item)
    assert (item["dateline"], item["body"]) == (dateline, kept)
