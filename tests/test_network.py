"""The Disway network's shape, on HTML strings and URLs: URL grammar, the current template
generation, the dataLayer layer, Word-pasted bodies, watermarks. No crawl."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scrapy import Request

from belitong_crawler.boilerplate import split_dateline
from belitong_crawler.extraction import extract_body, extract_categories, extract_listing
from belitong_crawler.fingerprints import ArticleFingerprinter
from belitong_crawler.generations import pick_generation, read_article_page
from belitong_crawler.page import Page
from belitong_crawler.urls import (
    article_id,
    article_request_url,
    canonical_article_url,
    category_slug,
    item_url,
    parse_article_url,
)

HOST = "https://jogja.disway.id"

# --- URL grammar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"{HOST}/read/100012/pasar-kotagede",
        f"{HOST}/gaya-hidup/read/100012/pasar-kotagede",
        f"{HOST}/disway-pekalongan/read/100012/pasar-kotagede",
        f"{HOST}//read/100012/pasar-kotagede",
        f"{HOST}/amp/100012/pasar-kotagede",
        f"{HOST}/gaya-hidup/read/100012/pasar-kotagede/2",
        f"{HOST}/read/100012/pasar-kotagede?utm_source=bacajuga#komentar",
        f"{HOST}/READ/100012/pasar-kotagede",
        f"{HOST}/gaya-hidup/read/100012/pasar-kotagede/",
    ],
)
def test_every_article_form_has_one_item_url(url: str) -> None:
    assert canonical_article_url(url) == f"{HOST}/read/100012/pasar-kotagede"
    assert article_id(url) == 100012


@pytest.mark.parametrize(
    "url",
    [
        f"{HOST}/readstatik/3/pedoman-media-siber",
        f"{HOST}/kategori/gaya-hidup",
        f"{HOST}/kategori/read/1/x",
        f"{HOST}/listtag/12/kuliner",
        f"{HOST}/search/kata/pasar",
        f"{HOST}/a/b/read/1/x",
        "mailto:x@y.id",
        f"{HOST}/upload/read/1/x.jpg",
    ],
)
def test_other_pages_are_no_articles(url: str) -> None:
    assert parse_article_url(url) is None


def test_request_url_keeps_the_sites_form_without_noise() -> None:
    assert article_request_url(f"{HOST}//read/5/x?utm_source=a#k") == f"{HOST}/read/5/x"
    assert article_request_url(f"{HOST}/ekonomi/read/5/x/2") == f"{HOST}/ekonomi/read/5/x/2"
    assert article_request_url(f"{HOST}/amp/5/x") == f"{HOST}/read/5/x"
    assert article_request_url("/ekonomi/read/5/x", HOST + "/kategori/ekonomi") == f"{HOST}/ekonomi/read/5/x"


def test_item_url_takes_the_slug_the_page_declares_for_the_same_article() -> None:
    fetched = f"{HOST}/ekonomi/read/5/judul-lama"
    assert item_url(fetched, f"{HOST}/ekonomi/read/5/judul-baru") == f"{HOST}/read/5/judul-baru"
    assert item_url(fetched, f"{HOST}/ekonomi/read/6/lain") == f"{HOST}/read/5/judul-lama"
    assert item_url(fetched, None) == f"{HOST}/read/5/judul-lama"
    assert item_url(f"{HOST}/kategori/ekonomi", None) is None


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("/kategori/gaya-hidup", "gaya-hidup"),
        ("/kategori/gaya-hidup/30", "gaya-hidup"),
        ("/kategori/7/ekonomi", "ekonomi"),
        ("/kategori/7/ekonomi/60", "ekonomi"),
        ("/read/1/x", None),
    ],
)
def test_category_listing_forms(url: str, slug: str | None) -> None:
    assert category_slug(HOST + url) == slug


def test_one_fingerprint_per_article_page_whatever_the_form() -> None:
    fingerprint = ArticleFingerprinter().fingerprint
    forms = [f"{HOST}/read/5/x", f"{HOST}/ekonomi/read/5/x", f"{HOST}/read/5/judul-lama", f"{HOST}/amp/5/x"]
    assert len({fingerprint(Request(u)) for u in forms}) == 1
    assert fingerprint(Request(f"{HOST}/read/5/x/2")) != fingerprint(Request(f"{HOST}/read/5/x"))
    assert fingerprint(Request("https://other.disway.id/read/5/x")) != fingerprint(
        Request(f"{HOST}/read/5/x")
    )
    assert fingerprint(Request(f"{HOST}/kategori/a")) != fingerprint(Request(f"{HOST}/kategori/b"))


# --- discovery on the current layout ------------------------------------------------------------

FRONT = f"""<html><body><nav class="navbar"><ul class="nav">
<li><a href="{HOST}/">Home</a></li><li><a href="{HOST}/kategori/jogja-raya">Jogja Raya</a></li>
<li><a href="/kategori/ekonomi">Ekonomi</a></li><li><a href="{HOST}/readstatik/1/redaksi">Redaksi</a></li>
</ul></nav><div class="sidebar"><p class="labelkanal"><a href="/kategori/olahraga">OLAHRAGA</a></p></div>
<footer><h4>Network Disway</h4><ul><li><a href="https://radartegal.disway.id/kategori/berita">Radar Tegal</a></li>
</ul></footer></body></html>"""


def test_categories_from_slug_only_navigation() -> None:
    assert extract_categories(Page.from_html(FRONT, HOST + "/")) == [
        ("jogja-raya", f"{HOST}/kategori/jogja-raya"),
        ("ekonomi", f"{HOST}/kategori/ekonomi"),
    ]


LISTING = f"""<html><body><div class="col-sm-8">
<div class="media"><div class="media-body media-content"><p class="text-uppercase">EKONOMI</p>
<h2 class="media-heading"><a href="{HOST}/ekonomi/read/100020/harga-cabai">Harga Cabai</a></h2><p class="date">46 menit</p>
</div></div>
<div class="media"><div class="media-body media-content"><h2 class="media-heading">
<a href="/read/100021/umkm-bantul?utm_source=kanal">UMKM</a></h2></div></div>
</div><div class="col-sm-4"><div class="media"><div class="media-body"><h4 class="media-heading">
<a href="{HOST}/jogja-raya/read/100099/populer">Populer</a></h4><p class="date">3 jam</p></div></div></div>
<footer><div class="media-body"><a href="https://radartegal.disway.id/read/5/x">Radar Tegal</a></div></footer>
</body></html>"""


def test_listing_entries_category_prefixed_and_short_never_sidebar_or_network() -> None:
    entries = extract_listing(Page.from_html(LISTING, f"{HOST}/kategori/ekonomi"))
    assert [(e.url, e.date_text) for e in entries] == [
        (f"{HOST}/ekonomi/read/100020/harga-cabai", "46 menit"),
        (f"{HOST}/read/100021/umkm-bantul", None),
    ]


# --- reading the current layout -----------------------------------------------------------------

CURRENT = f"""<html><head><base href="{HOST}/"><title>Pasar Kotagede Ramai - Disway Jogja</title>
<meta property="og:site_name" content="Disway Jogja">
<link rel="canonical" href="{HOST}/gaya-hidup/read/100012/pasar-kotagede-ramai">
<meta name="pubdate" content="2024-08-26 16:46:24">
<script>dataLayer = [{{"rubrik":"Gaya Hidup","penulis":"Sri Lestari","editor":"Agus Salim","id":"100012",
"tag":"kuliner,pasar","published_date":"2024-08-26 16:46:24"}}];</script>
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Pasar Kotagede Ramai",
"datePublished":"2024-08-26T16:46:00+0700","author":{{"@type":"Person","name":"Sri Lestari"}}}}</script>
</head><body><div class="col-sm-8"><section class="entry-box"><div class="entry-content">
<ul class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/kategori/gaya-hidup">Gaya Hidup</a></li></ul>
<div class="post text-black-1">
<h1 class="text-black">Pasar Kotagede Ramai</h1>
<div class="post-info"><span class="date">Senin 26-08-2024,16:46 WIB</span>
<div class="author" id="author">Reporter: <strong>Sri Lestari</strong><span>|</span></div>
<div class="editor" id="editor">Editor: <strong>Agus Salim</strong></div></div>
<div class="bottom-15"><img src="/upload/abc123.jpg" alt=""><p class="text-grey"><small>Suasana pasar. -Hermas Purwadi-</small></p></div>
<p></p><p class="MsoNormal"><span style="font-size:12pt"><strong>KOTAGEDE, diswayjogja.com</strong> – Pasar <span>m</span><span>akin</span> ramai.
<p class="MsoNormal"><!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<span>Baris pertama.<br>Baris kedua&nbsp;di&nbsp;sini.</span></p>
<p><span><strong><strong>BACA JUGA :&nbsp;<a href="{HOST}//read/100013/kuliner-malam">Kuliner Malam</a></strong></strong></span></p>
<p>&nbsp;</p><p>Penutup<o:p></o:p> berita.</p>
<div class="text-center"><p>Cek Berita dan Artikel lainnya di <a href="https://news.google.com/x">Google News</a></p></div>
<p class="bottom-15"><small>Sumber: <strong>nakita.id</strong></small></p>
</div>
<div class="news-tags"><ul class="list-inline"><li>Tag:</li><li><a href="/listtag/4/kuliner"># kuliner</a></li></ul></div>
<section><div class="label-to"><h2>Berita Terkait</h2></div>
<div class="media-body media-content media-middle"><h2 class="media-heading">
<a href="/gaya-hidup/read/100014/batik-tulis">Batik Tulis</a></h2></div></section>
</div></section></div></body></html>"""


def test_current_layout_is_read_as_disway2024_with_fields_out_of_the_body() -> None:
    page = Page.from_html(CURRENT, f"{HOST}/read/100012/pasar-kotagede-lama")
    assert pick_generation(page).name == "disway2024"
    got = read_article_page(page)
    assert got.title == "Pasar Kotagede Ramai"
    assert (got.date_text, got.date_structured) == ("Senin 26-08-2024,16:46 WIB", "2024-08-26T16:46:00+0700")
    assert (got.reporter, got.editor, got.category) == ("Sri Lestari", "Agus Salim", "Gaya Hidup")
    assert got.tags == ["kuliner"]
    assert (got.image_url, got.image_caption) == (
        f"{HOST}/upload/abc123.jpg",
        "Suasana pasar. -Hermas Purwadi-",
    )
    assert got.paragraphs == [
        "KOTAGEDE, diswayjogja.com – Pasar makin ramai.",
        "Baris pertama.",
        "Baris kedua di sini.",
        "Penutup berita.",
        "Cek Berita dan Artikel lainnya di Google News",
        "Sumber: nakita.id",
    ]
    assert got.related_urls == [f"{HOST}/read/100013/kuliner-malam", f"{HOST}/read/100014/batik-tulis"]
    assert got.canonical_url == f"{HOST}/gaya-hidup/read/100012/pasar-kotagede-ramai"


def test_data_layer_is_a_layer_of_its_own() -> None:
    bare = re.sub(r'<script type="application/ld\+json">.*?</script>', "", CURRENT, flags=re.S)
    bare = re.sub(r'<div class="post-info">.*?</div></div>', "", bare, flags=re.S)
    bare = bare.replace("/listtag/", "/tag/").replace(
        '<meta name="pubdate" content="2024-08-26 16:46:24">', ""
    )
    bare = bare.replace('<ul class="breadcrumb">', '<ul class="crumbs">')
    page = Page.from_html(bare, f"{HOST}/read/100012/x")
    assert page.data_layer["rubrik"] == "Gaya Hidup"
    got = read_article_page(page)
    assert (got.reporter, got.editor, got.category) == ("Sri Lestari", "Agus Salim", "Gaya Hidup")
    assert got.tags == ["kuliner", "pasar"]
    assert (got.date_text, got.date_structured) == (None, "2024-08-26 16:46:24")


def test_data_layer_with_single_quotes_and_push() -> None:
    html = "<script>window.dataLayer = window.dataLayer || []; dataLayer.push({'rubrik': 'Ekonomi', id: 7});</script>"
    assert Page.from_html(html, HOST).data_layer == {"rubrik": "Ekonomi", "id": "7"}
    assert Page.from_html("<p>x</p>", HOST).data_layer == {}


def test_older_layout_and_unknown_layout_are_told_apart() -> None:
    older = (
        '<h1>Judul</h1><div class="post-info">Reporter : A</div><div class="post-content"><p>Isi.</p></div>'
    )
    assert pick_generation(Page.from_html(older, HOST)).name == "disway2022"
    assert (
        pick_generation(Page.from_html('<div class="post text-black-1"><p>Isi.</p></div>', HOST)).name
        == "disway2022"
    )
    unknown = Page.from_html("<main><article><h1>Judul</h1><p>Isi.</p></article></main>", HOST)
    assert pick_generation(unknown).name == "unknown"
    assert read_article_page(unknown).generation == "unknown"


def test_br_nested_in_inline_elements_splits_paragraphs_and_split_words_stay_whole() -> None:
    html = (
        '<div class="post-content"><p><span><strong>Satu</strong><br></span><span>Du</span><span>a '
        "<em>kata<br>Tiga</em></span></p></div>"
    )
    assert extract_body(Page.from_html(html, HOST))[0] == ["Satu", "Dua kata", "Tiga"]


def test_deeply_nested_markup_is_read_without_recursion_limits() -> None:
    html = '<div class="post-content">' + "<div>" * 1500 + "Teks dalam." + "</div>" * 1500 + "</div>"
    assert extract_body(Page.from_html(html, HOST))[0] == ["Teks dalam."]


@pytest.mark.parametrize(
    ("lede", "place", "rest"),
    [
        ("SLEMAN, diswayjogja.com - Warga", "SLEMAN", "Warga"),
        ("BANTUL, DISWAYJOGJA.COM – Warga", "BANTUL", "Warga"),
        ("KULON PROGO, diswayjogja.com—Warga", "KULON PROGO", "Warga"),
        ("JAKARTA, DISWAY.ID -Pemerintah", "JAKARTA", "Pemerintah"),
        ("GUNUNGKIDUL,diswayjogja.com -Ada", "GUNUNGKIDUL", "Ada"),
        ("PEMALANG, radartegal.com – Bupati", "PEMALANG", "Bupati"),
        ("TANJUNGPANDAN, BELITONGEKSPRES.COM -- Dinas", "TANJUNGPANDAN", "Dinas"),
        ("diswayjogja.com - Mencari kos", None, "Mencari kos"),
        ("radartegal.com–Kabar", None, "Kabar"),
        ("Warga Sleman, kata dia - tetap", None, "Warga Sleman, kata dia - tetap"),
        ("Harga naik 2,5 persen - kata BPS", None, "Harga naik 2,5 persen - kata BPS"),
    ],
)
def test_every_watermark_form(lede: str, place: str | None, rest: str) -> None:
    assert split_dateline(lede) == (place, rest)


def test_nothing_in_the_code_is_specific_to_one_paper() -> None:
    """Only the default base_url (and the bundled mirror's origin) may name a host."""
    package = Path(__file__).resolve().parent.parent / "belitong_crawler"
    allowed = {"arguments.py", "mirror_server.py"}
    for path in package.rglob("*.py"):
        if path.name in allowed:
            continue
        code = re.sub(r'""".*?"""|#[^\n]*', "", path.read_text("utf-8"), flags=re.S)  # not docs or comments
        assert not re.search(r"belitong.{0,6}ekspres|jogja", code, re.I), path.name


@pytest.mark.parametrize(
    "headline",
    [
        "Lomba Administrasi Desa Digelar di Sleman",
        "Turnamen Badminton Antarkampung",
        "Disway Awards 2024 Digelar di Jogja",
        "Redaksi Kami Pindah Kantor",
    ],
)
def test_headlines_with_publisher_words_are_headlines(headline: str) -> None:
    html = f'<html><head><meta property="og:site_name" content="Disway Jogja"></head><body><h1>{headline}</h1></body></html>'
    assert read_article_page(Page.from_html(html, HOST)).title == headline


@pytest.mark.parametrize(
    ("head", "logo"),
    [
        ('<meta property="og:site_name" content="Disway Jogja">', ""),
        ("", '<a class="navbar-brand" href="/"><img src="/logo.png" alt="Disway Jogja"></a>'),
    ],
)
def test_a_page_titled_only_with_the_site_name_has_no_title(head: str, logo: str) -> None:
    html = f"<html><head>{head}<title>Disway Jogja</title></head><body>{logo}<p>x</p></body></html>"
    assert read_article_page(Page.from_html(html, HOST)).title is None


@pytest.mark.parametrize(
    "picture",
    [
        '<div class="bottom-15"><img src="/upload/a.jpg"><p class="text-grey"><small>Keterangan.</small></p>'
        "<p>SLEMAN, diswayjogja.com - Isi berita.</p></div>",
        '<img src="/upload/a.jpg"><p class="text-grey">Keterangan.</p><p>SLEMAN, diswayjogja.com - Isi berita.</p>',
        '<div class="bottom-15"><img src="/upload/a.jpg"><p class="text-grey"><small>Keterangan.</small></p>'
        "<p>SLEMAN, diswayjogja.com - Isi berita.</p>",  # the picture's div never closed
    ],
)
def test_the_caption_leaves_the_body_wherever_the_picture_sits(picture: str) -> None:
    html = (
        f'<div class="post text-black-1"><h1 class="text-black">Judul</h1><div class="post-info">'
        f'<span class="date">Senin 26-08-2024,16:46 WIB</span></div>{picture}</div>'
    )
    got = read_article_page(Page.from_html(html, HOST))
    assert got.generation == "disway2024"
    assert got.paragraphs == ["SLEMAN, diswayjogja.com - Isi berita."]
    assert got.image_caption == "Keterangan."


def test_a_body_of_grey_paragraphs_beside_an_inline_image_stays() -> None:
    html = (
        '<div class="post text-black-1"><div class="post-info">Reporter: A</div><div>'
        '<p class="text-grey">Satu.</p><img src="/upload/b.jpg"><p class="text-grey">Dua.</p>'
        '<p class="text-grey">Tiga.</p></div></div>'
    )
    assert read_article_page(Page.from_html(html, HOST)).paragraphs == ["Satu.", "Tiga."]


def test_links_to_this_site_take_the_pages_origin_and_other_sites_stay_out() -> None:
    html = (
        '<div class="post-content"><p>Isi.</p>'
        '<p>BACA JUGA: <a href="http://jogja.disway.id/read/77/judul-a">A</a></p>'
        '<p>BACA JUGA: <a href="https://jogja.disway.id:443/read/78/judul-b">B</a></p>'
        '<p>BACA JUGA: <a href="https://jogja.disway.id.evil.com/read/79/c">C</a></p></div>'
    )
    assert extract_body(Page.from_html(html, f"{HOST}/read/1/x"))[1] == [
        f"{HOST}/read/77/judul-a",
        f"{HOST}/read/78/judul-b",
    ]
    listing = (
        '<div class="media-body"><h2 class="media-heading"><a href="http://jogja.disway.id/ekonomi/read/80/d">'
        "D</a></h2></div>"
    )
    assert [e.url for e in extract_listing(Page.from_html(listing, f"{HOST}/kategori/ekonomi"))] == [
        f"{HOST}/ekonomi/read/80/d"
    ]


def test_data_layer_is_the_articles_object_not_an_event_or_a_nested_one() -> None:
    html = (
        "<script>dataLayer.push({'event': 'page_view', 'page_type': 'article'});</script>"
        '<script>dataLayer = [{"user": {"penulis": "admin-user", "id": 9}, "rubrik": "Ekonomi",'
        ' "penulis": "Sri Lestari", "tag": ["pasar", "cabai"], "id": 100052}];</script>'
    )
    assert Page.from_html(html, HOST).data_layer == {
        "rubrik": "Ekonomi",
        "penulis": "Sri Lestari",
        "tag": "pasar,cabai",
        "id": "100052",
    }
