"""Cleaning: the seeds lose exactly their page chrome, every gold evidence string and mention
survives verbatim, HTML goes through main-content extraction, and the filter's general signals
work on text that is not a seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ingest.model import CleanedText, Document
from entente.ingest.read import clean as clean_module
from entente.ingest.read.clean import BoilerplateLexicon, clean, split_units
from entente.ingest.read.reader import read_path

MAX = 10_000_000


def seed(articles_dir: Path, prefix: str) -> tuple[Document, CleanedText]:
    path = next(articles_dir.glob(f"{prefix}_*.txt"))
    doc = read_path(path, max_bytes=MAX)[0]
    return doc, clean(doc)


def paragraphs(cleaned: CleanedText) -> list[str]:
    return cleaned.text.split("\n\n")


def removed_texts(cleaned: CleanedText) -> list[str]:
    return [text for _, text in cleaned.removed]


def text_doc(text: str, **kw: str) -> Document:
    return Document(text=text, source="<test>", **kw)  # type: ignore[arg-type]


BODY_1 = (
    "The European Union is looking to cooperate more closely with Japan on key technologies "
    "such as artificial intelligence, the bloc's industry chief said on Monday."
)
BODY_2 = (
    "Breton told reporters that the two sides would work together to monitor the chip supply "
    "chain and exchange researchers and engineers over the coming years."
)
BODY_3 = (
    "Japan has been offering subsidies to revitalise its chip industry, which retains an edge "
    "in materials and equipment but has lost overall global market share."
)

SV_BODY = (
    "EU och Japan ska samarbeta kring halvledare och artificiell intelligens, sade "
    "EU-kommissionären på måndagen i Tokyo."
)


# --- the seeds ---------------------------------------------------------------------------------


def test_every_kept_paragraph_is_verbatim_from_the_source(articles_dir: Path) -> None:
    for prefix in ["000", "001", "002", "003", "004"]:
        doc, cleaned = seed(articles_dir, prefix)
        for para in paragraphs(cleaned):
            assert para and para == para.strip()
            assert para in doc.text, (prefix, para[:60])


def test_seed_000_loses_only_the_photo_credit(articles_dir: Path) -> None:
    doc, cleaned = seed(articles_dir, "000")
    assert cleaned.removed == (("photo_credit", "Angel Garcia | Bloomberg | Getty Images"),)
    originals = [p for p in doc.text.split("\n\n") if p.strip()]
    assert paragraphs(cleaned) == [p.strip() for p in originals if "Getty Images" not in p]


def test_seed_001_loses_credit_comment_form_and_repeated_headline(articles_dir: Path) -> None:
    _, cleaned = seed(articles_dir, "001")
    reasons = dict((t, r) for r, t in cleaned.removed)
    assert reasons["Angel Garcia | Bloomberg | Getty Images"] == "photo_credit"
    assert reasons["Leave a Reply"] == "comment_form"
    assert (
        reasons["Your email address will not be published. Required fields are marked *"]
        == "comment_form"
    )
    headline = "EU, Japan look to partner on A.I., chips amid China ‘de-risking’ push"
    assert paragraphs(cleaned)[0] == headline  # the first copy stays
    assert cleaned.text.count(headline) == 1
    assert len(cleaned.removed) == 4
    assert paragraphs(cleaned)[-1].startswith("The Netherlands is home to")


def test_seed_002_keeps_everything_and_splits_at_layout_spaces(articles_dir: Path) -> None:
    doc, cleaned = seed(articles_dir, "002")
    assert cleaned.removed == ()
    assert "\u00a0" in cleaned.text  # no-break spaces inside sentences are untouched
    paras = paragraphs(cleaned)
    assert paras[0].startswith("EU to Beef Up Japan Ties") and paras[0].endswith("supply chains")
    assert paras[1].startswith("The European Union (EU) will improve")
    assert len(paras) == 5
    # nothing but whitespace runs between paragraphs was touched
    assert "".join(cleaned.text.split()) == "".join(doc.text.split())


def test_seed_003_loses_navigation_section_label_fragment_and_author_bio(
    articles_dir: Path,
) -> None:
    _, cleaned = seed(articles_dir, "003")
    got = {t[:40]: r for r, t in cleaned.removed}
    assert got == {
        "Anslut dig till vårt nätverk!": "call_to_action",
        "Artificiell intelligens": "section_label",
        "mm": "fragment",
        "Alex McFarland är en AI-journalist och f": "author_bio",
    }
    assert "Alex McFarland" not in cleaned.text and "Han har samarbetat" not in cleaned.text
    assert paragraphs(cleaned)[0] == (
        "Europeiska unionen och Japan utforskar strategiskt samarbete inom AI och halvledare"
    )
    assert paragraphs(cleaned)[-1].startswith("EU:s satsning på ett närmare samarbete")


def test_seed_004_loses_breadcrumb_credit_teasers_and_comment_form(articles_dir: Path) -> None:
    doc, cleaned = seed(articles_dir, "004")
    removed = removed_texts(cleaned)
    for junk in [
        "HomeIn-depthUS and Japan Boost...",
        "Photo: Microsoft Bing",
        "Most Popular",
        "LEAVE A REPLY",
        "Please enter your comment!",
        "Please enter your name here",
        "More from Author",
        "Read Now",
    ]:
        assert junk in removed
        assert junk not in cleaned.text
    for name in [
        "Pauline Jacobs",
        "Kelly Laurence",
        "Andreea Martini",
        "Laura Parks",
        "France",
        "Paris",
        "Seine",
        "San Francisco",
        "pollution",
    ]:
        assert name not in cleaned.text, name
    paras = paragraphs(cleaned)
    assert (
        paras[0]
        == "US and Japan Boost AI, Semiconductor Alliance; EU Eyes Reduction in China Dependence"
    )
    assert paras[-1].startswith("These developments mark a significant shift")
    assert len(paras) + len(removed) == len(split_units(doc.text))


def test_gold_evidence_and_mentions_are_in_the_cleaned_text(
    articles_dir: Path, gold_dir: Path
) -> None:
    gold_files = sorted(gold_dir.glob("*.json"))
    assert len(gold_files) == 5
    checked = 0
    for gold_path in gold_files:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        _, cleaned = seed(articles_dir, gold_path.stem[:3])
        for fact in gold["facts"]:
            assert fact["evidence"] in cleaned.text, (gold_path.stem, fact["evidence"][:70])
            checked += 1
        for entity in gold["entities"]:
            for mention in entity["mentions"]:
                assert mention in cleaned.text, (gold_path.stem, mention)
    assert checked == 92  # the gold README's total


# --- HTML --------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>EU and Japan deepen chip ties | Tech Daily</title>
  <meta property="og:title" content="EU and Japan deepen chip ties">
  <script>window.dataLayer = [];</script>
  <style>body { font-family: sans-serif; }</style>
</head>
<body>
  <header><nav><ul>
    <li><a href="/">Home</a></li><li><a href="/tech">Technology</a></li>
    <li><a href="/world">World</a></li>
  </ul></nav></header>
  <main>
    <article>
      <h1>EU and Japan deepen chip ties</h1>
      <p class="byline">By Jane Doe</p>
      <p>The European Union and Japan agreed on Tuesday to cooperate more closely on
      semiconductors and artificial intelligence, officials said after a meeting in Tokyo.</p>
      <p>Under the plan, the two sides will monitor the chip supply chain together and exchange
      researchers, according to a joint statement released after the talks.</p>
      <figure><img src="x.jpg" alt=""><figcaption>Photo: Reuters</figcaption></figure>
      <p>Japan has been offering subsidies to revive its domestic chip industry, while the EU
      wants to reduce its reliance on China for critical technologies.</p>
    </article>
    <aside class="related"><h3>Related</h3><ul>
      <li><a href="/a">Paris fashion week opens with a splash</a></li>
      <li><a href="/b">Yoga retreats along the Seine</a></li>
    </ul></aside>
    <section id="comments" class="comments">
      <h3>Leave a Reply</h3>
      <form><p>Your email address will not be published. Required fields are marked *</p>
      <textarea></textarea></form>
      <div class="comment">
        <p>Great article, Pauline Jacobs says she agrees with every word of it.</p>
      </div>
    </section>
  </main>
  <footer><p>© 2023 Tech Daily. All rights reserved.</p>
  <a href="/privacy">Privacy policy</a></footer>
</body>
</html>
"""


def test_html_main_content_is_extracted_without_chrome(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = read_path(path, max_bytes=MAX)[0]
    cleaned = clean(doc)
    paras = paragraphs(cleaned)
    assert paras[0] == "EU and Japan deepen chip ties"  # the title is kept, once
    assert cleaned.text.count("EU and Japan deepen chip ties") == 1
    assert any(p.startswith("The European Union and Japan agreed on Tuesday") for p in paras)
    assert any("reduce its reliance on China" in p for p in paras)
    for junk in [
        "Technology",
        "World",
        "Related",
        "Paris",
        "Seine",
        "Leave a Reply",
        "email address",
        "Pauline",
        "©",
        "Privacy",
        "dataLayer",
        "font-family",
        "Jane Doe",
    ]:
        assert junk not in cleaned.text, junk


def test_html_title_from_metadata_is_prepended_when_the_body_lacks_it() -> None:
    html = "<html><body><article><p>" + BODY_1 + "</p><p>" + BODY_2 + "</p></article></body></html>"
    cleaned = clean(
        Document(text=html, source="<t>", media_type="text/html", title="EU looks to Japan")
    )
    assert paragraphs(cleaned)[0] == "EU looks to Japan"
    assert BODY_1 in cleaned.text and BODY_2 in cleaned.text


def test_html_falls_back_to_block_text_when_extraction_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    html = (
        "<html><body><nav><a>Home</a> <a>World</a></nav><div><p>"
        + BODY_1
        + "</p><div>"
        + BODY_2
        + "</div></div><script>var x = 1;</script><footer>Footer text</footer></body></html>"
    )
    cleaned = clean(Document(text=html, source="<t>", media_type="text/html"))
    assert paragraphs(cleaned) == [BODY_1, BODY_2]


def test_html_with_no_text_at_all_is_e012() -> None:
    with pytest.raises(EntenteError) as exc:
        clean(
            Document(
                text="<html><body><script>x()</script></body></html>",
                source="p.html",
                media_type="text/html",
            )
        )
    assert exc.value.code == "E012" and exc.value.where == "p.html"


# --- the filter's general signals --------------------------------------------------------------


def test_all_boilerplate_is_e012_with_reasons() -> None:
    with pytest.raises(EntenteError) as exc:
        clean(text_doc("Subscribe\n\nLeave a Reply\n\nPhoto: Getty Images\n\nmm\n"))
    assert exc.value.code == "E012"
    assert "call_to_action" in exc.value.message and exc.value.where == "<test>"


def test_hard_wrapped_paragraph_stays_one_unit_with_its_newlines() -> None:
    wrapped = (
        "The European Union is looking to cooperate more closely with Japan on\n"
        "key technologies such as artificial intelligence, the bloc's industry\n"
        "chief said, as the coalition looks to reduce its reliance on China."
    )
    cleaned = clean(text_doc(f"EU looks to Japan\n\n{wrapped}\n"))
    assert paragraphs(cleaned) == ["EU looks to Japan", wrapped]


def test_layout_spaces_split_paragraphs_but_not_sentences() -> None:
    text = (
        "A headline without a stop  The first sentence of the body, with a  double space "
        "inside.  The second sentence.   Third paragraph starts here.\tFourth after a tab."
    )
    assert [u.text for u in split_units(text)] == [
        "A headline without a stop",
        "The first sentence of the body, with a  double space inside.",
        "The second sentence.",
        "Third paragraph starts here.",
        "Fourth after a tab.",
    ]


def test_lines_that_are_separate_items_become_separate_paragraphs() -> None:
    cleaned = clean(text_doc(f"EU looks to Japan\nA subheading without a full stop\n{BODY_1}\n"))
    assert paragraphs(cleaned) == ["EU looks to Japan", "A subheading without a full stop", BODY_1]


def test_teaser_box_in_the_middle_ends_when_the_article_resumes() -> None:
    text = "\n\n".join(
        [
            BODY_1,
            "Related Articles",
            "Yoga along the Seine in Paris",
            "Fashion week opens...",
            BODY_2,
            BODY_3,
        ]
    )
    cleaned = clean(text_doc(text))
    assert paragraphs(cleaned) == [BODY_1, BODY_2, BODY_3]
    assert ("teaser_list", "Related Articles") in cleaned.removed
    assert ("teaser_list_zone", "Yoga along the Seine in Paris") in cleaned.removed


def test_teaser_zone_does_not_resume_on_alternating_titles_and_blurbs() -> None:
    blurb = (
        "A long teaser blurb that reads like prose, telling the reader about some other story "
        "on the site in great detail."
    )
    text = "\n\n".join(
        [
            BODY_1,
            BODY_2,
            "You may also like",
            "Other headline one",
            blurb,
            "Other headline two",
            blurb + " Again.",
        ]
    )
    cleaned = clean(text_doc(text))
    assert paragraphs(cleaned) == [BODY_1, BODY_2]


def test_comment_section_ends_the_page_even_for_long_comments() -> None:
    text = "\n\n".join([BODY_1, "Comments", BODY_2, BODY_3])
    assert paragraphs(clean(text_doc(text))) == [BODY_1]


def test_comment_marker_above_the_article_does_not_swallow_it() -> None:
    text = "\n\n".join(["Comments", "EU looks to Japan", BODY_1, BODY_2])
    cleaned = clean(text_doc(text))
    assert paragraphs(cleaned) == ["EU looks to Japan", BODY_1, BODY_2]


def test_swedish_comment_form_and_calls_to_action() -> None:
    text = "\n\n".join(
        [
            "Prenumerera på vårt nyhetsbrev!",
            "EU och Japan fördjupar samarbetet",
            SV_BODY,
            "Lämna ett svar",
            "Din e-postadress kommer inte publiceras. Obligatoriska fält är märkta *",
            "Läs mer: Japan satsar på chip",
        ]
    )
    cleaned = clean(text_doc(text))
    assert paragraphs(cleaned) == [
        "EU och Japan fördjupar samarbetet",
        SV_BODY,
    ]


def test_photo_credits_in_several_shapes() -> None:
    credits = [
        "Kiyoshi Ota/Bloomberg via Getty Images",
        "Foto: TT",
        "Photo by Jane Doe",
        "Angel Garcia | Bloomberg | Getty Images",
        "(Photo: AFP)",
    ]
    cleaned = clean(text_doc("\n\n".join([BODY_1, *credits, BODY_2])))
    assert paragraphs(cleaned) == [BODY_1, BODY_2]
    assert {r for r, _ in cleaned.removed} == {"photo_credit"}


def test_a_sentence_naming_an_agency_is_not_a_credit() -> None:
    sentence = "Breton told Reuters | Getty Images had the photos, and the talks went on."
    assert paragraphs(clean(text_doc(f"{BODY_1}\n\n{sentence}"))) == [BODY_1, sentence]


def test_ellipsis_stubs_go_but_quotes_trailing_off_stay() -> None:
    stub = "The increase in overall pollution that the planet has seen during..."
    title = "Japan unveils a new plan for its chip industry…"
    quote = "“I will engage with the Japanese government …”"
    inner = (
        "“I will engage with [the] Japanese government … on how we can organize our digital "
        "space,” Breton said."
    )
    cleaned = clean(text_doc("\n\n".join([BODY_1, stub, quote, title, inner])))
    assert paragraphs(cleaned) == [BODY_1, quote, inner]
    assert ("teaser_stub", stub) in cleaned.removed and ("teaser_stub", title) in cleaned.removed


def test_glued_and_written_out_breadcrumbs() -> None:
    text = "\n\n".join(
        [
            "HomeTechnologyEU and Japan...",
            "Home > Technology > Semiconductors",
            "EU looks to Japan",
            BODY_1,
        ]
    )
    cleaned = clean(text_doc(text))
    assert paragraphs(cleaned) == ["EU looks to Japan", BODY_1]
    assert {r for r, _ in cleaned.removed} == {"breadcrumb"}


def test_section_label_only_above_a_headline() -> None:
    # A lone topic word above a headline is a label ...
    assert paragraphs(
        clean(text_doc(f"Geopolitics\n\nEU and Japan deepen their chip ties\n\n{BODY_1}"))
    ) == [
        "EU and Japan deepen their chip ties",
        BODY_1,
    ]
    # ... but a short headline with nothing above it stays.
    assert paragraphs(clean(text_doc(f"Chip diplomacy\n\n{BODY_1}"))) == ["Chip diplomacy", BODY_1]


def test_author_bio_only_at_the_end() -> None:
    bio = (
        "Jane Doe is an award-winning technology reporter based in Tokyo who covers chips "
        "and trade."
    )
    more = "She has previously worked for several newspapers in Asia and Europe."
    at_end = clean(text_doc("\n\n".join([BODY_1, BODY_2, bio, more])))
    assert paragraphs(at_end) == [BODY_1, BODY_2]
    assert ("author_bio", bio) in at_end.removed and ("author_bio", more) in at_end.removed
    mid = clean(text_doc("\n\n".join([BODY_1, bio, BODY_2])))
    assert paragraphs(mid) == [BODY_1, bio, BODY_2]


def test_byline_fragments_and_trailing_chrome() -> None:
    text = "\n\n".join(
        [
            "EU looks to Japan",
            "By Jane Doe and John Smith",
            BODY_1,
            "•",
            "12",
            BODY_2,
            "Tags: AI, chips, Japan",
            "Share this article",
        ]
    )
    cleaned = clean(text_doc(text))
    assert paragraphs(cleaned) == ["EU looks to Japan", BODY_1, BODY_2]
    reasons = {t: r for r, t in cleaned.removed}
    assert reasons["By Jane Doe and John Smith"] == "byline"
    assert reasons["•"] == "fragment" and reasons["12"] == "fragment"
    assert reasons["Tags: AI, chips, Japan"] == "navigation"


def test_a_heading_after_the_last_paragraph_is_trailing_chrome() -> None:
    cleaned = clean(text_doc(f"{BODY_1}\n\n{BODY_2}\n\nWhat happens next for the alliance"))
    assert paragraphs(cleaned) == [BODY_1, BODY_2]
    assert cleaned.removed == (("trailing_chrome", "What happens next for the alliance"),)


def test_headline_only_text_is_kept() -> None:
    assert clean(text_doc("EU and Japan sign chip pact")).text == "EU and Japan sign chip pact"


def test_markers_are_whole_paragraphs_not_substrings() -> None:
    sentence = (
        "Officials said they would subscribe to the view that related measures are popular "
        "in Japan."
    )
    assert paragraphs(clean(text_doc(f"{BODY_1}\n\n{sentence}"))) == [BODY_1, sentence]


def test_crlf_input_is_cleaned_like_lf() -> None:
    lf = clean(text_doc(f"EU looks to Japan\n\n{BODY_1}\n\nLeave a Reply\n"))
    crlf = clean(text_doc(f"EU looks to Japan\r\n\r\n{BODY_1}\r\n\r\nLeave a Reply\r\n"))
    assert lf == crlf


def test_cjk_text_survives() -> None:
    text = (
        "日本と欧州連合は半導体と人工知能の分野で協力を強化することで合意した。"
        "双方は研究者の交流も進める。"
    )
    assert clean(text_doc(text)).text == text


def test_large_text_is_cleaned_quickly() -> None:
    import time

    text = "\n\n".join([BODY_1, BODY_2, BODY_3] * 3000)  # ~1.4 MB of distinct-looking paragraphs
    start = time.perf_counter()
    cleaned = clean(text_doc(text))
    assert time.perf_counter() - start < 5
    assert paragraphs(cleaned) == [BODY_1, BODY_2, BODY_3]  # the rest are duplicates


# --- the lexicon is data -----------------------------------------------------------------------


def test_custom_lexicon_adds_a_phrase(tmp_path: Path) -> None:
    shipped = (Path(clean_module.__file__).parents[1] / "lexicons" / "boilerplate.toml").read_text(
        encoding="utf-8"
    )
    custom = shipped.replace(
        '"Anslut dig till vårt nätverk",', '"Anslut dig till vårt nätverk", "Bli en insider",'
    )
    path = tmp_path / "boilerplate.toml"
    path.write_text(custom, encoding="utf-8")
    text = f"Bli en insider\n\n{BODY_1}"
    assert paragraphs(clean(text_doc(text))) == ["Bli en insider", BODY_1]
    assert paragraphs(clean(text_doc(text), lexicon=BoilerplateLexicon.load(path))) == [BODY_1]


@pytest.mark.parametrize(
    "toml",
    [
        "this is not toml = = =",
        "[categories.x]\nreason = 'x'\n[en.x]\nregex = ['(unclosed']\n",
        "[categories.x]\nreason = 'x'\n[en.x]\nexact = 'not a list'\n",
        "[categories.x]\nreason = 'x'\n[en.x]\nexcat = ['typo']\n",
        "[categories.x]\nreason = 'x'\nzone = 'sometimes'\n",
        "[categories.x]\nreason = 'x'\nfollows = 'nothing'\n",
        "[categories.x]\nmax_words = 3\n",
    ],
)
def test_malformed_lexicon_is_e104(tmp_path: Path, toml: str) -> None:
    with pytest.raises(EntenteError) as missing:
        BoilerplateLexicon.load(tmp_path / "missing.toml")
    assert missing.value.code == "E104"
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(EntenteError) as exc:
        BoilerplateLexicon.load(path)
    assert exc.value.code == "E104" and str(path) in (exc.value.where or "")
