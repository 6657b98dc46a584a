"""Extraction along the dependency parse, on Docs whose parse is written by hand."""

from __future__ import annotations

from datetime import date

import spacy
from entente.ingest.extract.calibration import IDENTITY, load_calibration
from entente.ingest.extract.statements import extract_statements
from entente.ontology.vocab import ENT
from spacy.tokens import Doc, Span

ID = "https://w3id.org/entente/id/"
EU, JAPAN, CHINA, USA = ID + "bloc/eu", ID + "state/japan", ID + "state/china", ID + "state/usa"
FUND, JSR, SEMI = (
    ID + "otherorganization/fund",
    ID + "company/jsr",
    ID + "technology/semiconductors",
)
NLP = spacy.blank("en")


def parsed(
    rows: list[tuple[str, str, str, int, str]], ents: list[tuple[int, int, str, str]]
) -> Doc:
    """rows: (word, lemma, pos, head index, dep); ents: (start, end, class, IRI)."""
    words = [r[0] for r in rows]
    spaces = [i + 1 < len(rows) and rows[i + 1][2] != "PUNCT" for i in range(len(rows))]
    doc = Doc(
        NLP.vocab,
        words=words,
        spaces=spaces,
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        heads=[r[3] for r in rows],
        deps=[r[4] for r in rows],
        sent_starts=[i == 0 for i in range(len(rows))],
    )
    doc.ents = [Span(doc, s, e, label=lab, kb_id=iri) for s, e, lab, iri in ents]
    return doc


def test_conjoined_subject_cooperates_on_a_technology() -> None:
    # "The EU and Japan will cooperate on semiconductors."
    doc = parsed(
        [
            ("The", "the", "DET", 1, "det"),
            ("EU", "EU", "PROPN", 5, "nsubj"),
            ("and", "and", "CCONJ", 1, "cc"),
            ("Japan", "Japan", "PROPN", 1, "conj"),
            ("will", "will", "AUX", 5, "aux"),
            ("cooperate", "cooperate", "VERB", 5, "ROOT"),
            ("on", "on", "ADP", 5, "prep"),
            ("semiconductors", "semiconductor", "NOUN", 6, "pobj"),
            (".", ".", "PUNCT", 5, "punct"),
        ],
        [(1, 2, "Bloc", EU), (3, 4, "State", JAPAN), (7, 8, "Technology", SEMI)],
    )
    (st,) = extract_statements(doc, language="en", published=None, calibration=IDENTITY)
    assert (st.type, st.roles) == ("Cooperation", {"party": (EU, JAPAN), "technology": (SEMI,)})
    assert st.evidence.confidence == 0.9  # the raw prior: every key role from the parse
    (calibrated,) = extract_statements(doc, language="en", published=None)
    shipped = load_calibration()
    assert calibrated.evidence.confidence == shipped.apply(0.9, "cooperation")


def test_xcomp_subject_and_target_verb_give_an_export_control_in_force() -> None:
    # "The U.S. has sought to cut China off from semiconductors through export restrictions."
    doc = parsed(
        [
            ("The", "the", "DET", 1, "det"),
            ("U.S.", "U.S.", "PROPN", 3, "nsubj"),
            ("has", "have", "AUX", 3, "aux"),
            ("sought", "seek", "VERB", 3, "ROOT"),
            ("to", "to", "PART", 5, "aux"),
            ("cut", "cut", "VERB", 3, "xcomp"),
            ("China", "China", "PROPN", 5, "dobj"),
            ("off", "off", "ADP", 5, "prt"),
            ("from", "from", "ADP", 5, "prep"),
            ("semiconductors", "semiconductor", "NOUN", 8, "pobj"),
            ("through", "through", "ADP", 5, "prep"),
            ("export", "export", "NOUN", 12, "compound"),
            ("restrictions", "restriction", "NOUN", 10, "pobj"),
            (".", ".", "PUNCT", 3, "punct"),
        ],
        [(1, 2, "State", USA), (6, 7, "State", CHINA), (9, 10, "Technology", SEMI)],
    )
    (st,) = extract_statements(doc, language="en", published=None)
    assert st.type == "ExportControl"
    assert st.roles == {
        "actor": (USA,),
        "target": (CHINA,),
        "technology": (SEMI,),
        "status": (str(ENT.InForce),),
    }


def test_proposed_to_buy_with_two_currencies_and_last_week() -> None:
    # "Last week, a fund proposed to buy JSR for 903.9 billion yen ($6.3 billion)."
    rows = [
        ("Last", "last", "ADJ", 1, "amod"),
        ("week", "week", "NOUN", 4, "npadvmod"),
        (",", ",", "PUNCT", 4, "punct"),
        ("a fund", "a fund", "NOUN", 4, "nsubj"),
        ("proposed", "propose", "VERB", 4, "ROOT"),
        ("to", "to", "PART", 6, "aux"),
        ("buy", "buy", "VERB", 4, "xcomp"),
        ("JSR", "JSR", "PROPN", 6, "dobj"),
        ("for", "for", "ADP", 6, "prep"),
        ("903.9", "903.9", "NUM", 10, "compound"),
        ("billion", "billion", "NUM", 11, "nummod"),
        ("yen", "yen", "NOUN", 8, "pobj"),
        ("(", "(", "PUNCT", 11, "punct"),
        ("$", "$", "SYM", 14, "nmod"),
        ("6.3", "6.3", "NUM", 15, "compound"),
        ("billion", "billion", "NUM", 11, "appos"),
        (")", ")", "PUNCT", 11, "punct"),
        (".", ".", "PUNCT", 4, "punct"),
    ]
    doc = parsed(rows, [(3, 4, "OtherOrganization", FUND), (7, 8, "Company", JSR)])
    (st,) = extract_statements(doc, language="en", published=date(2023, 7, 3))
    assert st.roles == {"acquirer": (FUND,), "acquired": (JSR,), "status": (str(ENT.Proposed),)}
    assert [str(a) for a in st.values["amount"]] == ["903900000000", "6300000000"]
    assert st.values["currency"] == ("JPY", "USD")
    assert st.values["date"] == (date(2023, 6, 26),)
