"""Each extraction layer on small HTML strings, no crawl."""

from __future__ import annotations

import json

import pytest

from belitong_crawler.extraction import (
    extract_body,
    extract_categories,
    extract_category,
    extract_date,
    extract_editor,
    extract_image,
    extract_listing,
    extract_next_page,
    extract_related_blocks,
    extract_reporter,
    extract_tags,
    extract_title,
)
from belitong_crawler.page import Page

BASE = "https://belitongekspres.com/read/100/judul-berita"


def page(head: str = "", body: str = "", url: str = BASE) -> Page:
    return Page.from_html(f"<html><head>{head}</head><body>{body}</body></html>", url)


def ld(**fields: object) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


# --- JSON-LD ----------------------------------------------------------------------------------


def test_json_ld_found_inside_graph_after_broken_block() -> None:
    sel = page(
        head='<script type="application/ld+json">{broken</script>'
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite"},'
        ' {"@type": ["NewsArticle"], "headline": "Dari Graph"}]}</script>'
    )
    assert sel.json_ld["headline"] == "Dari Graph"


def test_json_ld_with_half_an_emoji_reads_as_text_a_file_can_hold() -> None:
    # A headline cut inside an emoji by a script: "\ud83d" alone, a lone surrogate once decoded, which
    # neither the UTF-8 feeds nor SQLite can store; it reads as U+FFFD, as HTML's &#xD83D; does.
    sel = page(
        head='<script type="application/ld+json">{"@type": "NewsArticle", "headline":'
        ' "Juara \\ud83d", "author": [{"name": "Ani \\udc00"}], "about": "\\ud83d\\ude00"}</script>'
    )
    assert sel.json_ld == {
        "@type": "NewsArticle",
        "headline": "Juara \ufffd",
        "author": [{"name": "Ani \ufffd"}],
        "about": "\U0001f600",
    }
    assert extract_title(sel) == "Juara \ufffd"
    assert extract_title(sel).encode("utf-8")


def test_json_ld_absent_is_empty() -> None:
    assert page(body="<p>x</p>").json_ld == {}


# --- title ------------------------------------------------------------------------------------


def test_title_from_json_ld_first() -> None:
    sel = page(
        head=ld(headline="Judul  JSON-LD") + '<meta property="og:title" content="Judul OG">',
        body="<h1>Judul H1</h1>",
    )
    assert extract_title(sel) == "Judul JSON-LD"


SITE_NAME = '<meta property="og:site_name" content="Belitong Ekspres">'  # how a page names its paper


def test_title_from_og_title_with_site_suffix_removed() -> None:
    sel = page(head=SITE_NAME + '<meta property="og:title" content="Harga Lada Naik - Belitong Ekspres">')
    assert extract_title(sel) == "Harga Lada Naik"
    sel = page(head='<meta property="og:title" content="Harga Lada Naik | belitongekspres.com">')
    assert extract_title(sel) == "Harga Lada Naik"


def test_title_from_h1_then_title_tag() -> None:
    assert (
        extract_title(page(body="<h1 class='text-black'> Banjir\n di  Manggar </h1>")) == "Banjir di Manggar"
    )
    assert (
        extract_title(page(head=SITE_NAME + "<title>Banjir di Manggar | Belitong Ekspres</title>"))
        == "Banjir di Manggar"
    )


def test_title_truncated_json_ld_loses_to_full_headline() -> None:
    sel = page(
        head=ld(headline="Pemkab Belitung Gelar Rapat Koordinasi Penanganan...")
        + '<meta property="og:title" content="Pemkab Belitung Gelar Rapat Koordinasi Penanganan Banjir">'
    )
    assert extract_title(sel) == "Pemkab Belitung Gelar Rapat Koordinasi Penanganan Banjir"


def test_title_keeps_a_colon_that_is_part_of_the_headline() -> None:
    sel = page(body="<h1>HUT ke-20: Belitong Ekspres Gelar Lomba Menulis</h1>")
    assert extract_title(sel) == "HUT ke-20: Belitong Ekspres Gelar Lomba Menulis"


def test_no_title_anywhere() -> None:
    assert extract_title(page(body="<p>Tanpa judul</p>")) is None


# --- date -------------------------------------------------------------------------------------


def test_date_visible_text_and_structured() -> None:
    sel = page(
        head=ld(datePublished="2024-10-01T18:56:00+07:00"),
        body='<div class="post-info"><span class="date">Selasa 01 Oct 2024 - 18:56 WIB</span></div>',
    )
    assert extract_date(sel) == ("Selasa 01 Oct 2024 - 18:56 WIB", "2024-10-01T18:56:00+07:00")


def test_date_only_in_meta() -> None:
    sel = page(head='<meta property="article:published_time" content="2024-10-03T08:15:00+07:00">')
    assert extract_date(sel) == (None, "2024-10-03T08:15:00+07:00")


def test_date_by_text_pattern_in_post_info() -> None:
    sel = page(body='<div class="post-info">Diterbitkan Rabu, 02 Oktober 2024 | 09:10 WIB oleh Redaksi</div>')
    assert extract_date(sel)[0] == "Rabu, 02 Oktober 2024 | 09:10 WIB"


def test_sidebar_dates_are_not_the_article_date() -> None:
    sel = page(body='<div class="sidebar"><span class="date">Senin 30 Sep 2024 - 10:00 WIB</span></div>')
    assert extract_date(sel) == (None, None)


# --- reporter, editor -------------------------------------------------------------------------

CREDITS = (
    '<div class="post-info"><span class="date">Selasa 01 Oct 2024 - 18:56 WIB</span>'
    '<span class="author">Reporter : <a href="/author/31/dodi">Dodi Pratama</a></span>'
    '<span class="author">Editor : <a href="/author/4/yudi">Yudiansyah</a></span></div>'
)


def test_reporter_and_editor_from_labels() -> None:
    sel = page(head=ld(author={"@type": "Person", "name": "Uploader"}), body=CREDITS)
    assert extract_reporter(sel) == "Dodi Pratama"
    assert extract_editor(sel) == "Yudiansyah"


def test_labels_in_one_line_of_text() -> None:
    sel = page(body='<div class="post-info">Reporter: Rina Wulandari | Editor: Hendra</div>')
    assert extract_reporter(sel) == "Rina Wulandari"
    assert extract_editor(sel) == "Hendra"


def test_reporter_from_json_ld_person_but_not_the_publisher() -> None:
    assert extract_reporter(page(head=ld(author=[{"@type": "Person", "name": "Ari Wibowo"}]))) == "Ari Wibowo"
    assert (
        extract_reporter(page(head=ld(author={"@type": "Organization", "name": "Belitong Ekspres"}))) is None
    )
    assert (
        extract_reporter(page(head=ld(author={"@type": "Person", "name": "Redaksi Belitong Ekspres"})))
        is None
    )


def test_reporter_from_meta_author_and_missing() -> None:
    assert extract_reporter(page(head='<meta name="author" content="Sari Dewi">')) == "Sari Dewi"
    assert extract_reporter(page(head='<meta name="author" content="belitongekspres.com">')) is None
    assert extract_reporter(page(body="<p>tanpa nama</p>")) is None
    assert extract_editor(page(body=CREDITS.replace("Editor", "Penyunting"))) is None


def test_reporter_line_inside_body() -> None:
    sel = page(
        body='<div class="post-content"><p>Isi berita.</p><p><strong>Reporter : Andi</strong></p></div>'
    )
    assert extract_reporter(sel) == "Andi"


# --- category, tags ---------------------------------------------------------------------------

NAV = (
    '<nav class="navbar"><ul class="nav"><li><a href="https://belitongekspres.com/kategori/1/belitung">'
    "Belitung</a></li></ul></nav>"
)


def test_category_layers() -> None:
    assert extract_category(page(head=ld(articleSection="Ekonomi"))) == "Ekonomi"
    assert extract_category(page(head='<meta property="article:section" content="Olahraga">')) == "Olahraga"
    shown = '<div class="post-category">Kategori : <a href="/kategori/5/pilkada-2024">Pilkada 2024</a></div>'
    assert extract_category(page(body=NAV + shown)) == "Pilkada 2024"
    assert extract_category(page(body=NAV + '<p class="kategori">Kategori: Hukum</p>')) == "Hukum"
    crumbs = '<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/kategori/7/ekonomi">Ekonomi</a></li></ol>'
    assert extract_category(page(body=NAV + crumbs)) == "Ekonomi"


def test_empty_category_line_and_navigation_give_none() -> None:
    assert extract_category(page(body=NAV + '<div class="post-category">Kategori : </div>')) is None


def test_tags_from_listtag_links_not_footer() -> None:
    body = (
        '<ul class="list-inline"><li><a href="https://belitongekspres.com/listtag/pilkada-belitung">'
        '#Pilkada Belitung</a></li><li><a href="/listtag/asn"># ASN</a></li>'
        '<li><a href="/listtag/asn">#ASN</a></li></ul>'
        '<footer><ul class="list-inline"><li><a href="/listtag/iklan">#Iklan</a></li>'
        '<li><a href="/redaksi">Redaksi</a></li></ul></footer>'
    )
    assert extract_tags(page(body=body)) == ["Pilkada Belitung", "ASN"]


def test_tags_fallbacks() -> None:
    assert extract_tags(page(head=ld(keywords="lada, timah ,  pertanian"))) == ["lada", "timah", "pertanian"]
    assert extract_tags(page(head=ld(keywords=["lada", "timah"]))) == ["lada", "timah"]
    meta = '<meta property="article:tag" content="Lada"><meta property="article:tag" content="Petani">'
    assert extract_tags(page(head=meta)) == ["Lada", "Petani"]
    assert extract_tags(page(body="<p>x</p>")) == []


# --- image ------------------------------------------------------------------------------------


def test_image_from_json_ld_object_with_caption() -> None:
    sel = page(head=ld(image={"@type": "ImageObject", "url": "/upload/a.jpg", "caption": "Petani lada."}))
    assert extract_image(sel) == ("https://belitongekspres.com/upload/a.jpg", "Petani lada.")


def test_image_from_og_with_caption_from_post_image() -> None:
    sel = page(
        head='<meta property="og:image" content="https://belitongekspres.com/upload/b.jpg">',
        body='<div class="post-image"><img src="/upload/b.jpg"><p class="caption">Foto: Dodi</p></div>',
    )
    assert extract_image(sel) == ("https://belitongekspres.com/upload/b.jpg", "Foto: Dodi")


def test_logo_is_not_an_article_image() -> None:
    sel = page(head='<meta property="og:image" content="https://belitongekspres.com/assets/images/logo.png">')
    assert extract_image(sel) == (None, None)


def test_image_from_body_figure_and_missing() -> None:
    sel = page(
        body='<div class="post-content"><figure><img data-src="/upload/c.jpg" src="/lazy.gif">'
        "<figcaption>Pantai Tanjung Tinggi.</figcaption></figure><p>Teks.</p></div>"
    )
    assert extract_image(sel) == ("https://belitongekspres.com/upload/c.jpg", "Pantai Tanjung Tinggi.")
    assert extract_image(page(body="<p>x</p>")) == (None, None)


# --- body -------------------------------------------------------------------------------------

RELATED = "https://belitongekspres.com/read/200/berita-lain"


@pytest.mark.parametrize(
    "container", ['div class="post text-black-1"', 'div class="post-content"', 'div class="post-body"']
)
def test_body_templates(container: str) -> None:
    tag = container.split()[0]
    sel = page(body=f"<{container}><p>Satu  dua.</p><p>&nbsp;</p><p>Tiga\nempat.</p></{tag}>")
    assert extract_body(sel) == (["Satu dua.", "Tiga empat."], [])


def test_body_without_ads_scripts_shares_captions() -> None:
    sel = page(
        body=(
            '<div class="post-content"><p>Awal.</p>'
            '<div class="ads"><ins class="adsbygoogle"></ins><script>(adsbygoogle=[]).push({});</script>'
            "<p>ADVERTISEMENT</p></div>"
            '<script>var x = "bukan teks";</script><style>.a{color:red}</style>'
            '<div id="div-gpt-ad-123"><script>googletag.cmd.push()</script></div>'
            '<figure><img src="/upload/x.jpg"><figcaption>Keterangan foto.</figcaption></figure>'
            '<div class="share-buttons"><a>Facebook</a><a>WhatsApp</a></div>'
            '<ul class="pagination"><li class="active"><a>1</a></li><li><a href="/read/100/judul-berita/2">2</a></li></ul>'
            "<p>Akhir <em>kalimat</em> ini.</p></div>"
            '<div class="comments"><p>Komentar pembaca</p></div>'
        )
    )
    assert extract_body(sel) == (["Awal.", "Akhir kalimat ini."], [])


BACA_JUGA_FORMS = [
    f'<p><strong>BACA JUGA:</strong><a href="{RELATED}">Berita Lain</a></p>',
    f'<p><strong>Baca Juga : <a href="{RELATED}">Berita Lain</a></strong></p>',
    f'<p>baca juga: <a href="{RELATED}">Berita Lain</a></p>',
    f'<p><b>BACA JUGA</b> <a href="{RELATED}">Berita Lain</a></p>',
    f'<p><strong>Baca juga -</strong> <a href="{RELATED}">Berita Lain</a></p>',
    f'<p>BACA JUGA:<a href="{RELATED}">Berita Lain</a></p>',
    f'<div><strong>BACAJUGA</strong>: <a href="{RELATED}?utm_source=dalam">Berita Lain</a></div>',
    f'<p><em>BACA JUGA :</em></p><p><a href="{RELATED}/2">Berita Lain</a></p>',
    f'<div class="baca-juga"><span>Baca Juga</span><ul><li><a href="{RELATED}">Berita Lain</a></li></ul></div>',
    f'<p><strong>Baca Jg: <a href="{RELATED}#x">Berita Lain</a></strong></p>',
]


@pytest.mark.parametrize("markup", BACA_JUGA_FORMS)
def test_baca_juga_any_form_leaves_body_and_gives_related(markup: str) -> None:
    sel = page(body=f'<div class="post-content"><p>Sebelum.</p>{markup}<p>Sesudah.</p></div>')
    assert extract_body(sel) == (["Sebelum.", "Sesudah."], [RELATED])


def test_baca_juga_list_keeps_order_and_drops_offsite() -> None:
    sel = page(
        body=(
            '<div class="post-content"><p>Isi.</p><div class="baca-juga"><span>Baca Juga</span><ul>'
            '<li><a href="/read/300/a">A</a></li><li><a href="https://radarbangka.disway.id/read/9/b">B</a></li>'
            '<li><a href="/read/301/c">C</a></li></ul></div></div>'
        )
    )
    assert extract_body(sel)[1] == [
        "https://belitongekspres.com/read/300/a",
        "https://belitongekspres.com/read/301/c",
    ]


def test_link_only_paragraph_without_label_is_body() -> None:
    sel = page(body=f'<div class="post-content"><p><a href="{RELATED}">Tautan dalam teks</a></p></div>')
    assert extract_body(sel) == (["Tautan dalam teks"], [])


def test_br_separated_paragraphs_and_loose_text() -> None:
    sel = page(body='<div class="post-body">Baris satu.<br><br>Baris <b>dua</b>.<br>Baris tiga.</div>')
    assert extract_body(sel)[0] == ["Baris satu.", "Baris dua.", "Baris tiga."]


def test_body_falls_back_to_json_ld_article_body() -> None:
    sel = page(head=ld(articleBody="Paragraf satu.\n\nParagraf  dua."))
    assert extract_body(sel) == (["Paragraf satu.", "Paragraf dua."], [])


def test_related_block_after_body_and_inside_body() -> None:
    block = (
        '<div class="related-post"><h3 class="title">Berita Terkait</h3><div class="media">'
        '<div class="media-body"><h4 class="media-heading"><a href="/read/400/terkait">T</a></h4></div>'
        "</div></div>"
    )
    sidebar = (
        '<div class="sidebar"><h3>Terpopuler</h3><h4 class="media-heading">'
        '<a href="/read/500/populer">P</a></h4></div>'
    )
    sel = page(body=f'<div class="post-content"><p>Isi.</p>{block}</div>{sidebar}')
    assert extract_body(sel)[0] == ["Isi."]
    assert extract_related_blocks(sel) == ["https://belitongekspres.com/read/400/terkait"]


# --- pagination, listings, navigation ---------------------------------------------------------

PAGINATION = (
    '<ul class="pagination"><li class="active"><a href="#">{active}</a></li>'
    '<li><a href="/kategori/1/belitung/5" data-ci-pagination-page="2">2</a></li>'
    '<li><a href="/kategori/1/belitung/10" data-ci-pagination-page="3">3</a></li>{next}</ul>'
)


def test_next_page_by_rel_next_then_by_number() -> None:
    listing = "https://belitongekspres.com/kategori/1/belitung"
    with_rel = PAGINATION.format(
        active=1, next='<li><a href="/kategori/1/belitung/5" rel="next">&gt;</a></li>'
    )
    assert extract_next_page(page(body=with_rel, url=listing)) == listing + "/5"
    without_rel = PAGINATION.format(active=2, next="")
    assert extract_next_page(page(body=without_rel, url=listing + "/5")) == listing + "/10"
    assert extract_next_page(page(body=PAGINATION.format(active=3, next=""), url=listing + "/10")) is None
    assert extract_next_page(page(body="<p>x</p>", url=listing)) is None


def test_listing_entries_not_sidebar() -> None:
    body = (
        '<div class="media"><div class="media-content"><h2 class="media-heading">'
        '<a href="/read/1/satu?utm_source=x">Satu</a></h2><span class="date">Selasa 01 Oct 2024 - 18:56 WIB'
        '</span></div></div><div class="media-body"><h2 class="media-heading"><a href="/read/2/dua">Dua</a>'
        '</h2></div><div class="sidebar"><div class="media-body"><h4 class="media-heading">'
        '<a href="/read/3/tiga">Tiga</a></h4></div></div>'
    )
    entries = extract_listing(page(body=body, url="https://belitongekspres.com/kategori/1/belitung"))
    assert [(e.url, e.date_text) for e in entries] == [
        ("https://belitongekspres.com/read/1/satu", "Selasa 01 Oct 2024 - 18:56 WIB"),
        ("https://belitongekspres.com/read/2/dua", None),
    ]


def test_categories_from_navigation_only_on_site() -> None:
    body = (
        '<nav class="navbar"><ul class="nav"><li><a href="/">Home</a></li>'
        '<li><a href="https://belitongekspres.com/kategori/1/belitung">Belitung</a></li>'
        '<li><a href="/kategori/5/pilkada-2024">Pilkada</a></li><li><a href="/redaksi">Redaksi</a></li>'
        '<li><a href="https://other.disway.id/kategori/9/luar">Luar</a></li>'
        '<li><a href="/kategori/1/belitung/5">Belitung lagi</a></li></ul></nav>'
    )
    assert extract_categories(page(body=body, url="https://belitongekspres.com/")) == [
        ("belitung", "https://belitongekspres.com/kategori/1/belitung"),
        ("pilkada-2024", "https://belitongekspres.com/kategori/5/pilkada-2024"),
    ]


# --- harder layouts ---------------------------------------------------------------------------


def test_related_block_inside_a_wrapper_keeps_the_body() -> None:
    sel = page(
        body='<div class="post-content"><div><p>A.</p><p>B.</p><div class="box"><h3>Berita Terkait</h3>'
        '<ul><li><a href="/read/2/y">J</a></li></ul></div></div></div>'
    )
    assert extract_body(sel) == (["A.", "B."], [])
    sel = page(body='<div class="post-content"><div><h4>Baca Juga Tips Berikut</h4><p>A.</p></div></div>')
    assert extract_body(sel) == (["A."], [])  # a "Baca Juga" line is never body, the rest stays


def test_baca_juga_then_br_keeps_the_next_sentence() -> None:
    sel = page(
        body='<div class="post-content"><p>BACA JUGA: <a href="/read/2/y">J1</a><br>Teks asli paragraf berikutnya.</p></div>'
    )
    assert extract_body(sel) == (["Teks asli paragraf berikutnya."], ["https://belitongekspres.com/read/2/y"])


def test_baca_juga_at_the_end_of_a_paragraph() -> None:
    sel = page(
        body='<div class="post-content"><p>Kalimat terakhir. <strong>BACA JUGA:</strong> <a href="/read/2/y">Judul</a></p></div>'
    )
    assert extract_body(sel) == (["Kalimat terakhir."], ["https://belitongekspres.com/read/2/y"])


def test_baca_juga_label_then_several_link_paragraphs_with_punctuation() -> None:
    sel = page(
        body='<div class="post-content"><p><em>BACA JUGA:</em></p><p><a href="/read/2/y">J</a>.</p>'
        '<p><a href="/read/3/z">K</a></p><p>Lanjut.</p><p><a href="/read/4/w">Tautan dalam teks</a></p></div>'
    )
    assert extract_body(sel) == (
        ["Lanjut.", "Tautan dalam teks"],
        ["https://belitongekspres.com/read/2/y", "https://belitongekspres.com/read/3/z"],
    )


def test_tags_not_from_sidebar_tag_cloud() -> None:
    body = (
        '<div class="col-md-8"><ul class="list-inline"><li><a href="/listtag/pilkada">#Pilkada</a></li></ul></div>'
        '<div class="col-md-4 sidebar"><h3>Tag Populer</h3><ul class="list-inline"><li><a href="/listtag/timnas">#Timnas</a>'
        '</li></ul></div><aside><a href="/listtag/banjir">#Banjir</a></aside>'
    )
    assert extract_tags(page(body=body)) == ["Pilkada"]


def test_related_heading_in_a_flat_column_takes_only_its_own_block() -> None:
    body = (
        '<div class="col-md-8"><h1>Judul</h1><div class="post-content"><p>Isi.</p></div>'
        '<div class="prevnext"><a href="/read/9/sebelumnya">Sebelumnya</a></div><h3>Berita Terkait</h3>'
        '<ul><li><a href="/read/2/y">Y</a></li></ul><h3>Terpopuler</h3><ul><li><a href="/read/7/pop">P</a></li></ul></div>'
    )
    assert extract_related_blocks(page(body=body)) == []  # no container opens with the heading
    boxed = body.replace(
        '<h3>Berita Terkait</h3><ul><li><a href="/read/2/y">Y</a></li></ul>',
        '<div><h3>Berita Terkait</h3><ul><li><a href="/read/2/y">Y</a></li></ul></div>',
    )
    assert extract_related_blocks(page(body=boxed)) == ["https://belitongekspres.com/read/2/y"]


def test_lazy_image_placeholder_is_not_the_image() -> None:
    for placeholder in ("data:image/gif;base64,R0lGODlhAQABAAAAACw=", "/assets/lazy.gif"):
        sel = page(
            body=f'<div class="post-image"><img src="{placeholder}" data-src="https://belitongekspres.com/upload/foto.jpg"></div>'
        )
        assert extract_image(sel)[0] == "https://belitongekspres.com/upload/foto.jpg"
    sel = page(body='<div class="post-image"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></div>')
    assert extract_image(sel) == (None, None)


def test_json_ld_with_odd_types_does_not_break_reading() -> None:
    sel = page(
        head='<script type="application/ld+json">{"@type": {"x": 1}, "headline": "A"}</script>'
        + ld(headline="Berita B")
    )
    assert extract_title(sel) == "Berita B"


def test_credit_line_inside_a_wrapped_body_takes_only_its_own_paragraph() -> None:
    sel = page(
        body='<div class="post-content"><div><p>Isi satu.</p><p>Reporter : Andi</p><p>Isi dua panjang.</p>'
        "<p>Editor: Budi</p></div></div>"
    )
    assert (extract_reporter(sel), extract_editor(sel)) == ("Andi", "Budi")
