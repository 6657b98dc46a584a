"""`entente eval`: gold loading, entity alignment, fact matching, scores and the report.

Analyses are built by hand (no spaCy); only the test marked `model` runs the real pipeline.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from entente.errors import EntenteError
from entente.ingest.evaluate.gold import GoldArticle, load_gold, parse_gold
from entente.ingest.evaluate.run import evaluate, evaluate_analyses, pair_files, score_article
from entente.ingest.model import (
    Analysis,
    CleanedText,
    Document,
    Entity,
    Evidence,
    Mention,
    Statement,
)
from entente.ontology.iris import entity_iri
from entente.ontology.vocab import ENT

# --- builders -------------------------------------------------------------------------------


def gold(
    entities: list[dict[str, Any]], facts: list[dict[str, Any]], stem: str = "a1"
) -> GoldArticle:
    data = {"id": stem, "language": "en", "entities": entities, "facts": facts}
    return parse_gold(data, stem=stem, path=Path(f"{stem}.json"))


def ge(
    key: str, name: str, type_: str, qid: str | None = None, mentions: list[str] | None = None
) -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "type": type_,
        "wikidata": qid,
        "mentions": mentions or [name],
    }


EU = ge("eu", "European Union", "Bloc", "Q458", ["European Union", "EU", "the bloc"])
JAPAN = ge("japan", "Japan", "State", "Q17", ["Japan", "Tokyo"])
CHINA = ge("china", "People's Republic of China", "State", "Q148", ["China"])
USA = ge("usa", "United States", "State", "Q30", ["U.S."])
KOREA = ge("south_korea", "South Korea", "State", "Q884", ["South Korea"])
AI = ge("ai", "artificial intelligence", "Technology", "Q11660", ["AI"])
CHIPS = ge("semiconductors", "semiconductors", "Technology", None, ["chips", "semiconductors"])
HPC = ge("hpc", "high-performance computing", "Technology", None, ["high-performance computing"])
DPC = ge(
    "eu_japan_dpc",
    "EU-Japan Digital Partnership Council",
    "Forum",
    None,
    ["EU-Japan Digital Partnership council"],
)
ENTITIES = [EU, JAPAN, CHINA, USA, KOREA, AI, CHIPS, HPC, DPC]

S1 = "The EU and Japan will cooperate on AI and chips."
S2 = "There will be an EU-Japan Digital Partnership council on high-performance computing."
S3 = "The bloc wants to de-risk from China."
S4 = "The U.S. has restricted exports of chips to China."

FACTS = [
    {
        "type": "Cooperation",
        "args": {"parties": ["eu", "japan"], "technologies": ["ai", "semiconductors"]},
        "evidence": S1,
    },
    {
        "type": "Agreement",
        "args": {
            "kind": "DigitalPartnershipCouncil",
            "parties": ["eu", "japan"],
            "technologies": ["hpc"],
            "status": "planned",
        },
        "evidence": S2,
    },
    {
        "type": "PolicyStance",
        "args": {"actor": "eu", "policy": "DeRisking", "target": "china", "technology": None},
        "evidence": S3,
    },
    {
        "type": "ExportControl",
        "args": {
            "imposer": "usa",
            "technology": "semiconductors",
            "target": "china",
            "status": "in_force",
        },
        "evidence": S4,
    },
]


class System:
    """A hand-built Analysis: entities with mentions, statements with evidence."""

    def __init__(self, text: str = "text") -> None:
        self.analysis = Analysis(
            document=Document(text=text, source="test"), cleaned=CleanedText(text), language="en"
        )

    def entity(
        self,
        type_: str,
        label: str,
        *mentions: str,
        qid: str | None = None,
        aliases: tuple[str, ...] = (),
    ) -> str:
        iri = str(entity_iri(type_, label))
        self.analysis.entities[iri] = Entity(
            iri, label, type_, wikidata=qid, aliases=tuple((a, "en") for a in aliases)
        )
        for m in mentions:
            self.analysis.mentions.append(Mention(iri, 0, len(m), m))
        return iri

    def fact(
        self,
        type_: str,
        sentence: str,
        values: dict[str, tuple[Any, ...]] | None = None,
        **roles: Any,
    ) -> None:
        norm = {k: tuple(v) if isinstance(v, list | tuple) else (v,) for k, v in roles.items()}
        self.analysis.statements.append(
            Statement(
                type_, norm, Evidence(sentence, 0, len(sentence), 0.9, "test.v1"), values or {}
            )
        )


def standard_system() -> tuple[System, dict[str, str]]:
    """A system that gets FACTS and the scored entities of ENTITIES exactly right."""
    s = System()
    e = {
        "eu": s.entity("Bloc", "European Union", "EU", "the bloc", qid="Q458"),
        "japan": s.entity("State", "Japan", "Japan", qid="Q17"),
        "china": s.entity("State", "People's Republic of China", "China", qid="Q148"),
        "usa": s.entity("State", "United States", "U.S.", qid="Q30"),
        "south_korea": s.entity("State", "South Korea", "South Korea", qid="Q884"),
        "ai": s.entity("Technology", "artificial intelligence", "AI", qid="Q11660"),
        "semiconductors": s.entity("Technology", "semiconductors", "chips"),
        "hpc": s.entity("Technology", "high-performance computing", "high-performance computing"),
    }
    s.fact(
        "Cooperation", S1, party=[e["japan"], e["eu"]], technology=[e["ai"], e["semiconductors"]]
    )
    s.fact(
        "DigitalPartnershipCouncil",
        S2,
        party=[e["eu"], e["japan"]],
        technology=[e["hpc"]],
        status=str(ENT.Planned),
    )
    s.fact("DeRisking", S3, actor=e["eu"], target=e["china"])
    s.fact(
        "ExportControl",
        S4,
        actor=e["usa"],
        technology=e["semiconductors"],
        target=e["china"],
        status=str(ENT.InForce),
    )
    return s, e


def score(
    system: System,
    facts: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
):  # type: ignore[no-untyped-def]
    return score_article(
        gold(entities or ENTITIES, FACTS if facts is None else facts), system.analysis
    )


# --- the perfect system, on the shipped gold files ---------------------------------------------

AGREEMENT_CLASS = {
    "Framework": "CooperationFramework",
    "MoU": "MemorandumOfUnderstanding",
    "Other": "Agreement",
}
STATUS = {
    "planned": "Planned",
    "announced": "Announced",
    "established": "Established",
    "signed": "Signed",
    "in_force": "InForce",
    "proposed": "Proposed",
    "agreed": "Agreed",
    "completed": "Completed",
}


def oracle(article: GoldArticle) -> Analysis:
    """What a perfect extractor would produce for a gold file, written from the vocabulary
    contract independently of the scorer's own mapping tables."""
    s = System()
    iri = {}
    for g in article.entities.values():
        if g.type != "Forum":
            iri[g.key] = s.entity(g.type, g.name, *g.mentions, qid=g.wikidata)

    def keys(fact: Any, role: str) -> list[str]:
        return [iri[k] for k in fact.keys(role)]

    for f in article.facts:
        a, ev = f.args, f.evidence
        status = {"status": str(ENT[STATUS[a["status"]]])} if a.get("status") else {}
        if f.type == "Cooperation":
            s.fact("Cooperation", ev, party=keys(f, "parties"), technology=keys(f, "technologies"))
        elif f.type == "Agreement":
            cls = AGREEMENT_CLASS.get(a["kind"], a["kind"])
            s.fact(cls, ev, party=keys(f, "parties"), technology=keys(f, "technologies"), **status)
        elif f.type == "Meeting":
            s.fact("Meeting", ev, participant=keys(f, "participants"), location=keys(f, "location"))
        elif f.type == "ExportControl":
            s.fact(
                "ExportControl",
                ev,
                actor=keys(f, "imposer"),
                technology=keys(f, "technology"),
                target=keys(f, "target"),
                **status,
            )
        elif f.type == "PolicyStance":
            cls = "IndustrialPolicy" if a["policy"] == "Other" else a["policy"]
            s.fact(
                cls,
                ev,
                actor=keys(f, "actor"),
                target=keys(f, "target"),
                technology=keys(f, "technology"),
            )
        elif f.type == "Dependency":
            s.fact(
                "Dependency",
                ev,
                dependent=keys(f, "dependent"),
                dependsOn=keys(f, "on"),
                technology=keys(f, "technology"),
            )
        elif f.type == "Acquisition":
            amounts = [Decimal(str(a[k])) for k in ("amount", "alt_amount") if a.get(k) is not None]
            currencies = [a[k] for k in ("currency", "alt_currency") if a.get(k)]
            s.fact(
                "Acquisition",
                ev,
                {"amount": tuple(amounts), "currency": tuple(currencies)},
                acquirer=keys(f, "acquirer"),
                acquired=keys(f, "target"),
                **status,
            )
        elif f.type == "Support":
            s.fact(
                "Support", ev, supporter=keys(f, "supporter"), beneficiary=keys(f, "beneficiary")
            )
        elif f.type == "Position":
            s.fact(
                "Position",
                ev,
                {"title": (a["title"],)},
                holder=keys(f, "person"),
                organization=keys(f, "organization"),
            )
        elif f.type == "Pressure":
            s.fact(
                "Pressure",
                ev,
                {"aim": (a["aim"],)},
                actor=keys(f, "actor"),
                target=keys(f, "target"),
            )
    return s.analysis


def test_perfect_system_scores_one_on_every_shipped_gold_file(gold_dir: Path) -> None:
    articles = [load_gold(p) for p in sorted(gold_dir.glob("*.json"))]
    assert len(articles) == 5
    report = evaluate_analyses((a, oracle(a)) for a in articles)
    for s in (report.entities, report.facts, report.facts_lenient):
        assert (s.precision, s.recall, s.f1, s.fp, s.fn) == (1.0, 1.0, 1.0, 0, 0)
    assert report.facts.tp == 92  # the gold README's count
    assert report.entities.tp == sum(
        1 for a in articles for e in a.entities.values() if e.type != "Forum"
    )
    assert all(ok == total for ok, total in report.values.values())
    assert report.evidence == (92, 92)
    assert report.errors == []
    assert set(report.fact_types) == {
        "Cooperation",
        "Agreement",
        "Meeting",
        "ExportControl",
        "PolicyStance",
        "Dependency",
        "Acquisition",
        "Support",
        "Position",
        "Pressure",
    }


def test_standard_system_is_perfect() -> None:
    system, _ = standard_system()
    result = score(system)
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (8, 0, 0)
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (4, 0, 0)
    assert result.findings == []


# --- fact scores --------------------------------------------------------------------------------


def test_missing_fact_lowers_recall_only() -> None:
    system, _ = standard_system()
    del system.analysis.statements[2]  # the DeRisking stance
    result = score(system)
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (3, 0, 1)
    assert result.facts.precision == 1.0
    assert result.facts.recall == 0.75
    missed = [f for f in result.findings if f.kind == "missed"]
    assert len(missed) == 1
    assert missed[0].type == "PolicyStance"
    assert missed[0].roles["actor"] == ["European Union"]
    assert missed[0].evidence == S3


def test_extra_fact_lowers_precision_only() -> None:
    system, e = standard_system()
    system.fact("Support", "Japan backs the U.S.", supporter=e["japan"], beneficiary=e["usa"])
    result = score(system)
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (4, 1, 0)
    assert result.facts.precision == 0.8
    assert result.facts.recall == 1.0
    fp = [f for f in result.findings if f.kind == "false_positive"]
    assert [(f.type, f.roles["supporter"], f.evidence) for f in fp] == [
        ("Support", ["Japan"], "Japan backs the U.S.")
    ]


def test_party_order_and_duplicate_values_are_irrelevant() -> None:
    system, e = standard_system()
    system.analysis.statements[0] = Statement(
        "Cooperation",
        {"party": (e["japan"], e["eu"], e["japan"]), "technology": (e["semiconductors"], e["ai"])},
        Evidence(S1, 0, 1, 0.9, "t"),
    )
    assert score(system).facts.fn == 0


def test_restatement_of_a_matched_fact_is_neither_tp_nor_fp() -> None:
    system, e = standard_system()
    system.fact(
        "DeRisking", "We just want to de-risk, Breton said.", actor=e["eu"], target=e["china"]
    )
    result = score(system)
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (4, 0, 0)
    assert result.duplicates == 1


def test_partial_restatement_from_an_alternative_evidence_sentence_is_ignored() -> None:
    alt = "Japan and the EU are set to expand cooperation in fields including AI."
    facts = [{**FACTS[0], "alternative_evidence": [alt]}, *FACTS[1:]]
    system, e = standard_system()
    system.fact("Cooperation", alt, party=[e["eu"], e["japan"]], technology=[e["ai"]])
    result = score(system, facts)
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (4, 0, 0)
    assert result.duplicates == 1
    # The same partial fact from any other sentence is a false positive.
    system.analysis.statements[-1] = Statement(
        "Cooperation",
        {"party": (e["eu"], e["japan"]), "technology": (e["ai"],)},
        Evidence("Another sentence.", 0, 1, 0.9, "t"),
    )
    assert score(system, facts).facts.fp == 1


def test_wrong_party_is_a_miss_and_a_false_positive_with_the_closest_fact_named() -> None:
    system, e = standard_system()
    system.analysis.statements[0] = Statement(
        "Cooperation",
        {"party": (e["south_korea"], e["eu"]), "technology": (e["ai"], e["semiconductors"])},
        Evidence(S1, 0, 1, 0.9, "t"),
    )
    result = score(system)
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (3, 1, 1)
    missed = next(f for f in result.findings if f.kind == "missed")
    assert (
        missed.note is not None
        and "differs in parties" in missed.note
        and "South Korea" in missed.note
    )


def test_cooperation_technologies_strict_versus_lenient() -> None:
    system, e = standard_system()
    system.analysis.statements[0] = Statement(
        "Cooperation",
        {"party": (e["eu"], e["japan"]), "technology": (e["ai"],)},
        Evidence(S1, 0, 1, 0.9, "t"),
    )
    result = score(system)
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (3, 1, 1)
    assert (result.facts_lenient.tp, result.facts_lenient.fp, result.facts_lenient.fn) == (4, 0, 0)
    missed = next(f for f in result.findings if f.kind == "missed")
    assert missed.note is not None and missed.note.startswith("matched leniently")
    # No technology in common is a miss in both.
    system.analysis.statements[0] = Statement(
        "Cooperation",
        {"party": (e["eu"], e["japan"]), "technology": (e["hpc"],)},
        Evidence(S1, 0, 1, 0.9, "t"),
    )
    assert score(system).facts_lenient.fn == 1


def test_optional_target_is_compared_only_when_the_gold_has_one() -> None:
    facts = [
        {
            "type": "ExportControl",
            "args": {"imposer": "usa", "technology": "semiconductors", "target": None},
            "evidence": S4,
        }
    ]
    system, e = standard_system()
    system.analysis.statements = system.analysis.statements[
        3:
    ]  # the ExportControl, with target China
    assert score(system, facts).facts.tp == 1
    # The gold names a target the system omits: a miss.
    system.analysis.statements = []
    system.fact("ExportControl", S4, actor=e["usa"], technology=e["semiconductors"])
    result = score(system)
    assert result.fact_types["ExportControl"].fn == 1
    assert result.fact_types["ExportControl"].fp == 1


def test_several_values_in_a_single_valued_role_read_as_one_fact_each() -> None:
    facts = [
        {
            "type": "Dependency",
            "args": {"dependent": "eu", "on": "china", "technology": None},
            "evidence": S3,
        },
        {
            "type": "Dependency",
            "args": {"dependent": "japan", "on": "china", "technology": None},
            "evidence": S3,
        },
    ]
    system, e = standard_system()
    system.analysis.statements = []
    system.fact("Dependency", S3, dependent=[e["eu"], e["japan"]], dependsOn=e["china"])
    result = score(system, facts)
    assert (result.facts.tp, result.facts.fp, result.facts.fn) == (2, 0, 0)


# --- mappings: Forum, Agreement kinds, PolicyStance Other --------------------------------------


def test_forum_is_scored_as_its_agreement_not_as_an_entity() -> None:
    system, e = standard_system()
    # The system also names the council as an organisation: not an entity false positive.
    system.entity(
        "OtherOrganization",
        "EU-Japan Digital Partnership council",
        "EU-Japan Digital Partnership council",
    )
    result = score(system)
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (8, 0, 0)
    assert result.fact_types["Agreement"].tp == 1
    # A council reported as plain cooperation is not the agreement.
    system.analysis.statements[1] = Statement(
        "Cooperation",
        {"party": (e["eu"], e["japan"]), "technology": (e["hpc"],)},
        Evidence(S2, 0, 1, 0.9, "t"),
    )
    result = score(system)
    assert result.fact_types["Agreement"].fn == 1
    assert result.fact_types["Cooperation"].fp == 1


@pytest.mark.parametrize(
    ("gold_kind", "system_class", "strict", "lenient"),
    [
        ("DigitalPartnershipCouncil", "DigitalPartnershipCouncil", True, True),
        ("Framework", "CooperationFramework", True, True),
        ("MoU", "MemorandumOfUnderstanding", True, True),
        ("Other", "Agreement", True, True),
        ("JointStatement", "Agreement", False, True),  # the generic class: lenient only
        ("Other", "JointStatement", False, True),
        ("JointStatement", "DigitalPartnershipCouncil", False, False),
    ],
)
def test_agreement_kind_mapping(
    gold_kind: str, system_class: str, strict: bool, lenient: bool
) -> None:
    facts = [
        {
            "type": "Agreement",
            "args": {"kind": gold_kind, "parties": ["eu", "japan"]},
            "evidence": S2,
        }
    ]
    system, e = standard_system()
    system.analysis.statements = []
    system.fact(system_class, S2, party=[e["eu"], e["japan"]])
    result = score(system, facts)
    assert (result.facts.tp == 1, result.facts_lenient.tp == 1) == (strict, lenient)


@pytest.mark.parametrize(
    ("policy", "system_class", "strict", "lenient"),
    [
        ("Other", "IndustrialPolicy", True, True),  # the gold README: Other is ent:IndustrialPolicy
        ("Other", "Policy", False, True),  # ARCHITECTURE: Other -> any ent:Policy
        ("Other", "Subsidy", False, True),
        ("Subsidy", "Subsidy", True, True),
        ("Subsidy", "Policy", False, True),
        ("Subsidy", "IndustrialPolicy", False, False),
        ("DeRisking", "Decoupling", False, False),
        ("Other", "ExportControl", False, False),  # a separate gold fact type
    ],
)
def test_policy_stance_mapping(policy: str, system_class: str, strict: bool, lenient: bool) -> None:
    facts = [
        {
            "type": "PolicyStance",
            "args": {"actor": "japan", "policy": policy, "technology": "semiconductors"},
            "evidence": S1,
        }
    ]
    system, e = standard_system()
    system.analysis.statements = []
    system.fact(system_class, S1, actor=e["japan"], technology=e["semiconductors"])
    result = score(system, facts)
    assert (result.facts.tp == 1, result.facts_lenient.tp == 1) == (strict, lenient)


# --- entities --------------------------------------------------------------------------------


def test_wrong_type_entity_counts_as_miss_and_false_positive() -> None:
    system, _ = standard_system()
    korea = str(entity_iri("State", "South Korea"))
    system.analysis.entities[korea] = Entity(korea, "South Korea", "Company", "Q884")
    result = score(system)
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (7, 1, 1)
    wrong = [f for f in result.findings if f.kind == "wrong_type"]
    assert len(wrong) == 1 and wrong[0].roles["name"] == ["South Korea"]
    assert result.entity_types["State"].fn == 1 and result.entity_types["Company"].fp == 1


def test_entities_match_by_qid_by_name_or_alias_and_by_mention() -> None:
    entities = [
        ge("eu", "European Union", "Bloc", "Q458", ["the coalition"]),
        ge("jsr", "JSR Corporation", "Company", None, ["JSR"]),
        ge(
            "fund",
            "Japanese government-backed fund",
            "OtherOrganization",
            None,
            ["a fund backed by the Japanese government"],
        ),
        ge("breton", "Thierry Breton", "Person", None, ["Breton"]),
        ge("imec", "IMEC", "ResearchOrganization", None, ["IMEC"]),
    ]
    s = System()
    s.entity("Bloc", "EU", "EU", qid="http://www.wikidata.org/entity/Q458")  # QID, as an IRI
    s.entity("Company", "JSR Corp", "JSR Corp", aliases=("JSR Corporation",))  # an alias
    s.entity("OtherOrganization", "fund", "a fund backed by the Japanese government")  # a mention
    s.entity("Person", "Thierry  Breton", "Thierry Breton")  # the name, spacing normalised
    s.entity("Company", "Intel", "Intel")  # not in the gold
    result = score_article(gold(entities, []), s.analysis)
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (4, 1, 1)
    assert {(f.kind, f.roles["name"][0]) for f in result.findings} == {
        ("false_positive", "Intel"),
        ("missed", "IMEC"),
    }


class Entry:
    def __init__(self, *names: str) -> None:
        self.names = tuple((n, "en") for n in names)


class Names:
    """Stands in for the gazetteer: more names for some IRIs."""

    def __init__(self, names: dict[str, Entry]) -> None:
        self.entries = names

    def get(self, iri: str) -> Entry | None:
        return self.entries.get(iri)


def test_entities_match_by_gazetteer_name() -> None:
    entities = [ge("jsr", "JSR Corporation", "Company", None, ["JSR Corp."])]
    s = System()
    jsr = s.entity("Company", "JSR", "JSR")
    assert score_article(gold(entities, []), s.analysis).entities.tp == 0
    names = Names({jsr: Entry("JSR Corporation", "JSR")})
    assert score_article(gold(entities, []), s.analysis, names).entities.tp == 1


def test_places_and_unmentioned_entities_are_not_scored() -> None:
    system, _ = standard_system()
    system.entity("Place", "Tokyo", "Tokyo")  # a place; also a gold mention of Japan
    system.entity("Company", "Rapidus")  # no mention: only facts could name it
    result = score(system)
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (8, 0, 0)
    assert result.unscored == ["Tokyo (Place)"]  # shown in the report, so junk places are visible


def test_a_split_entity_costs_an_entity_fp_but_its_facts_still_resolve() -> None:
    system, e = standard_system()
    bloc = system.entity("Bloc", "the bloc", "the bloc")  # a second EU, from the epithet
    system.analysis.statements[2] = Statement(
        "DeRisking", {"actor": (bloc,), "target": (e["china"],)}, Evidence(S3, 0, 1, 0.9, "t")
    )
    result = score(system)
    assert (result.entities.tp, result.entities.fp) == (8, 1)
    assert result.facts.tp == 4


# --- values and evidence --------------------------------------------------------------------------


def test_value_accuracy_and_evidence_agreement_on_matched_facts() -> None:
    system, e = standard_system()
    system.analysis.statements[1] = Statement(
        "DigitalPartnershipCouncil",
        {
            "party": (e["eu"], e["japan"]),
            "technology": (e["hpc"],),
            "status": (str(ENT.Announced),),
        },
        Evidence("Breton also said so.", 0, 1, 0.9, "t"),
    )
    result = score(system)
    assert result.facts.tp == 4  # values do not decide the match
    assert result.values["Agreement.status"] == [0, 1]
    assert result.values["Agreement.technologies"] == [1, 1]
    assert result.values["ExportControl.status"] == [1, 1]
    assert (result.evidence_agreeing, result.evidence_checked) == (3, 4)
    wrong = [f for f in result.findings if f.kind == "wrong_value"]
    assert len(wrong) == 1 and wrong[0].note == "status: gold Planned, system Announced"


def test_titles_compare_case_insensitively_and_show_as_written() -> None:
    entities = [EU, ge("breton", "Thierry Breton", "Person")]
    facts = [
        {
            "type": "Position",
            "args": {
                "person": "breton",
                "title": "Internal Market Commissioner",
                "organization": "eu",
            },
            "evidence": "x",
        }
    ]
    s = System()
    eu, breton = (
        s.entity("Bloc", "European Union", "EU"),
        s.entity("Person", "Thierry Breton", "Breton"),
    )
    s.fact(
        "Position",
        "x",
        {"title": ("internal market commissioner",)},
        holder=breton,
        organization=eu,
    )
    assert score_article(gold(entities, facts), s.analysis).values == {"Position.title": [1, 1]}
    s.analysis.statements[0] = Statement(
        "Position",
        {"holder": (breton,), "organization": (eu,)},
        Evidence("x", 0, 1, 0.9, "t"),
        {"title": ("Industry Chief",)},
    )
    result = score_article(gold(entities, facts), s.analysis)
    assert result.values == {"Position.title": [0, 1]}
    (finding,) = result.findings
    assert finding.note == "title: gold Internal Market Commissioner, system Industry Chief"
    assert finding.roles["title"] == ["Internal Market Commissioner"]


def test_evidence_may_contain_or_lie_inside_the_gold_sentence() -> None:
    system, e = standard_system()
    system.analysis.statements[2] = Statement(
        "DeRisking",
        {"actor": (e["eu"],), "target": (e["china"],)},
        Evidence("wants to de-risk from China", 0, 1, 0.9, "t"),
    )
    assert score(system).evidence_agreeing == 4


def test_acquisition_amounts_pair_with_their_currencies() -> None:
    entities = [JAPAN, ge("jsr", "JSR", "Company"), ge("fund", "fund", "OtherOrganization")]
    facts = [
        {
            "type": "Acquisition",
            "args": {
                "acquirer": "fund",
                "target": "jsr",
                "amount": 903.9e9,
                "currency": "JPY",
                "alt_amount": 6.3e9,
                "alt_currency": "USD",
                "status": "proposed",
            },
            "evidence": "x",
        }
    ]
    s = System()
    fund, jsr = s.entity("OtherOrganization", "fund", "fund"), s.entity("Company", "JSR", "JSR")
    s.entity("State", "Japan", "Japan")
    s.fact(
        "Acquisition",
        "x",
        {"amount": (Decimal("903.9E9"), Decimal("6.3E9")), "currency": ("JPY", "USD")},
        acquirer=fund,
        acquired=jsr,
        status=str(ENT.Proposed),
    )
    result = score_article(gold(entities, facts), s.analysis)
    assert result.values == {
        "Acquisition.amount": [1, 1],
        "Acquisition.alt_amount": [1, 1],
        "Acquisition.status": [1, 1],
    }
    # Swapped currencies: the amounts are wrong.
    s.analysis.statements[0] = Statement(
        "Acquisition",
        {"acquirer": (fund,), "acquired": (jsr,)},
        Evidence("x", 0, 1, 0.9, "t"),
        {"amount": (Decimal("903.9E9"), Decimal("6.3E9")), "currency": ("USD", "JPY")},
    )
    result = score_article(gold(entities, facts), s.analysis)
    assert result.values["Acquisition.amount"] == [0, 1]
    wrong = next(f for f in result.findings if f.kind == "wrong_value")
    assert wrong.roles["amount"] == ["903,900,000,000 JPY"]
    assert wrong.note is not None and "system 6,300,000,000 JPY, 903,900,000,000 USD" in wrong.note


# --- the report -------------------------------------------------------------------------------


def test_report_json_keys_and_rendering() -> None:
    system, e = standard_system()
    system.fact("Support", "Japan backs the U.S.", supporter=e["japan"], beneficiary=e["usa"])
    report = evaluate_analyses(
        [
            (gold(ENTITIES, FACTS, "a1"), system.analysis),
            (gold(ENTITIES, FACTS, "a2"), standard_system()[0].analysis),
        ]
    )
    data = report.as_dict()
    json.dumps(data)  # serialisable as is
    assert {"entities", "facts", "per_type", "per_article"} <= set(data)
    for key in ("entities", "facts", "facts_lenient"):
        assert set(data[key]) == {"precision", "recall", "f1", "tp", "fp", "fn"}
    assert data["facts"]["tp"] == 8 and data["facts"]["fp"] == 1  # micro-averaged over articles
    assert data["facts"]["precision"] == round(8 / 9, 4)
    assert set(data["per_article"]) == {"a1", "a2"}
    assert set(data["per_article"]["a1"]) >= {"entities", "facts"}
    assert data["per_type"]["Support"]["fp"] == 1
    assert data["per_type"]["Support"]["lenient"]["fp"] == 1
    assert data["errors"] == [
        {
            "article": "a1",
            "category": "fact",
            "kind": "false_positive",
            "type": "Support",
            "roles": {"supporter": ["Japan"], "beneficiary": ["United States"]},
            "evidence": "Japan backs the U.S.",
            "note": None,
        }
    ]
    text = report.render()
    assert (
        "facts (strict)" in text and "Per article" in text and "FALSE POSITIVE fact Support" in text
    )
    assert "Japan backs the U.S." in text


def test_scores_with_nothing_to_find_and_nothing_found() -> None:
    report = evaluate_analyses([(gold([], []), System().analysis)])
    assert (report.facts.precision, report.facts.recall, report.facts.f1) == (1.0, 1.0, 1.0)
    silent = evaluate_analyses([(gold(ENTITIES, FACTS), System().analysis)])
    assert (silent.facts.precision, silent.facts.recall, silent.facts.f1) == (1.0, 0.0, 0.0)


# --- gold files and folders ----------------------------------------------------------------------


def _write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([], "expected a JSON object"),
        ({"entities": [], "facts": {}}, "'facts' must be a list"),
        ({"entities": [ge("eu", "EU", "Country")], "facts": []}, "'type' is 'Country'"),
        ({"entities": [EU, EU], "facts": []}, "used twice"),
        ({"entities": [ge("eu", "EU", "Bloc", "458")], "facts": []}, "QID"),
        (
            {
                "entities": [EU],
                "facts": [
                    {"type": "Cooperation", "args": {"parties": ["eu", "mars"]}, "evidence": "x"}
                ],
            },
            "'mars'",
        ),
        (
            {
                "entities": [EU, JAPAN],
                "facts": [{"type": "Cooperation", "args": {"parties": ["eu"]}, "evidence": "x"}],
            },
            "at least 2",
        ),
        (
            {"entities": [EU, JAPAN], "facts": [{"type": "Alliance", "args": {}, "evidence": "x"}]},
            "'Alliance'",
        ),
        (
            {
                "entities": [EU, JAPAN],
                "facts": [
                    {
                        "type": "Agreement",
                        "args": {"kind": "Treaty", "parties": ["eu", "japan"]},
                        "evidence": "x",
                    }
                ],
            },
            "'Treaty'",
        ),
        (
            {
                "entities": [EU, JAPAN],
                "facts": [
                    {
                        "type": "Agreement",
                        "args": {"kind": "MoU", "parties": ["eu", "japan"], "status": "done"},
                        "evidence": "x",
                    }
                ],
            },
            "'done'",
        ),
        (
            {
                "entities": [EU, JAPAN],
                "facts": [
                    {
                        "type": "Meeting",
                        "args": {"participants": ["eu", "japan"], "venue": None},
                        "evidence": "x",
                    }
                ],
            },
            "unknown role",
        ),
        (
            {
                "entities": [EU, JAPAN],
                "facts": [{"type": "Meeting", "args": {"participants": ["eu", "japan"]}}],
            },
            "'evidence'",
        ),
        (
            {
                "entities": [EU],
                "facts": [{"type": "Support", "args": {"supporter": "eu"}, "evidence": "x"}],
            },
            "'beneficiary' is required",
        ),
        ({"id": "other", "entities": [], "facts": []}, "file stem"),
    ],
)
def test_malformed_gold_is_an_error_naming_the_file(
    tmp_path: Path, data: Any, fragment: str
) -> None:
    path = _write(tmp_path / "a1.json", data)
    with pytest.raises(EntenteError) as err:
        load_gold(path)
    assert err.value.code == "E013"
    assert err.value.where == str(path)
    assert fragment in err.value.message


def test_gold_that_is_not_json_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "a1.json", "{not json")
    with pytest.raises(EntenteError) as err:
        load_gold(path)
    assert (err.value.code, err.value.where) == ("E005", str(path))


def test_pairing_by_stem(tmp_path: Path) -> None:
    articles, golds = tmp_path / "articles", tmp_path / "gold"
    articles.mkdir()
    golds.mkdir()
    _write(articles / "a1.txt", "text")
    _write(articles / "a1.meta.json", {"published": "2023-07-03"})
    _write(articles / "b2.html", "<p>text</p>")
    _write(articles / "c3.txt", "not annotated")
    _write(golds / "a1.json", {"entities": [], "facts": []})
    _write(golds / "b2.json", {"entities": [], "facts": []})
    pairs, unannotated = pair_files(articles, golds)
    assert [(g.name, a.name) for g, a in pairs] == [("a1.json", "a1.txt"), ("b2.json", "b2.html")]
    assert unannotated == ["c3"]

    _write(golds / "d4.json", {"entities": [], "facts": []})
    with pytest.raises(EntenteError) as err:
        pair_files(articles, golds)
    assert (
        err.value.code == "E009"
        and "d4.json" in err.value.message
        and err.value.where == str(golds / "d4.json")
    )

    (golds / "d4.json").unlink()
    _write(articles / "a1.html", "<p>again</p>")
    with pytest.raises(EntenteError) as err:
        pair_files(articles, golds)
    assert err.value.code == "E013" and "a1.html" in err.value.message


def test_missing_folders_and_empty_gold_folder(tmp_path: Path) -> None:
    with pytest.raises(EntenteError) as err:
        pair_files(tmp_path / "nope", tmp_path)
    assert err.value.code == "E009"
    with pytest.raises(EntenteError) as err:
        pair_files(tmp_path, tmp_path)
    assert err.value.code == "E009" and "no gold files" in err.value.message


class FakePipeline:
    """Answers with prepared analyses, keyed by the article's file name."""

    def __init__(
        self, analyses: dict[str, Analysis | EntenteError], gazetteer: Names | None = None
    ) -> None:
        self.analyses = analyses
        self.gazetteer = gazetteer
        self.seen: list[Document] = []

    def analyze(self, document: Document) -> Analysis:
        self.seen.append(document)
        answer = self.analyses[Path(document.source).name]
        if isinstance(answer, EntenteError):
            raise answer
        return answer


def test_evaluate_reads_pairs_and_scores_with_any_pipeline(tmp_path: Path) -> None:
    articles, golds = tmp_path / "articles", tmp_path / "gold"
    articles.mkdir()
    golds.mkdir()
    _write(articles / "a1.txt", "The EU and Japan will cooperate on AI and chips.")
    _write(articles / "a1.meta.json", {"published": "2023-07-03", "title": "T"})
    _write(articles / "b2.txt", "Another article.")
    _write(articles / "c3.txt", "No gold for this one.")
    _write(golds / "a1.json", {"id": "a1", "entities": ENTITIES, "facts": FACTS})
    _write(
        golds / "b2.json",
        {
            "entities": [EU, JAPAN],
            "facts": [
                {"type": "Cooperation", "args": {"parties": ["eu", "japan"]}, "evidence": S1}
            ],
        },
    )
    pipeline = FakePipeline(
        {"a1.txt": standard_system()[0].analysis, "b2.txt": EntenteError("E012", "all boilerplate")}
    )
    seen: list[str] = []
    report = evaluate(articles, golds, pipeline, progress=seen.append)
    assert seen == ["a1", "b2"]
    assert (
        pipeline.seen[0].published is not None and str(pipeline.seen[0].published) == "2023-07-03"
    )
    assert report.skipped == ["c3"]
    a1, b2 = report.articles
    assert a1.facts.f1 == 1.0 and a1.failure is None
    assert b2.failure is not None and "E012" in b2.failure
    assert (b2.entities.fn, b2.facts.fn, b2.facts_lenient.fn) == (2, 1, 1)
    assert report.facts.tp == 4 and report.facts.fn == 1
    assert "FAILED" in report.render()


def test_evaluate_uses_the_pipelines_gazetteer_for_names(tmp_path: Path) -> None:
    _write(tmp_path / "a1.txt", "JSR.")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    _write(
        gold_dir / "a1.json",
        {"entities": [ge("jsr", "JSR Corporation", "Company", None, ["JSR Corp."])], "facts": []},
    )
    s = System()
    jsr = s.entity("Company", "JSR", "JSR")
    plain = evaluate(tmp_path, gold_dir, FakePipeline({"a1.txt": s.analysis}))
    assert plain.entities.tp == 0
    named = evaluate(
        tmp_path,
        gold_dir,
        FakePipeline({"a1.txt": s.analysis}, Names({jsr: Entry("JSR Corporation")})),
    )
    assert named.entities.tp == 1


def test_evaluate_refuses_an_unreadable_article_before_running_the_pipeline(tmp_path: Path) -> None:
    articles, golds = tmp_path / "articles", tmp_path / "gold"
    articles.mkdir()
    golds.mkdir()
    _write(articles / "a1.txt", "Fine.")
    _write(articles / "b2.txt", "")
    for stem in ("a1", "b2"):
        _write(golds / f"{stem}.json", {"entities": [], "facts": []})
    pipeline = FakePipeline({})
    with pytest.raises(EntenteError) as err:
        evaluate(articles, golds, pipeline)
    assert err.value.code == "E001" and "b2.txt" in str(err.value.where)
    assert pipeline.seen == []


def test_evaluate_refuses_bad_gold_before_running_the_pipeline(tmp_path: Path) -> None:
    _write(tmp_path / "a1.txt", "text")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    _write(gold_dir / "a1.json", {"entities": [], "facts": [{"type": "Nope"}]})
    pipeline = FakePipeline({})
    with pytest.raises(EntenteError) as err:
        evaluate(tmp_path, gold_dir, pipeline)
    assert err.value.code == "E013" and err.value.where == str(gold_dir / "a1.json")
    assert pipeline.seen == []


# --- the real pipeline on the seed articles ---------------------------------------------------


def _pipeline_or_skip() -> Any:
    """The real pipeline, or a skip naming the part that is not built yet."""
    for module in (
        "entente.ingest.pipeline",
        "entente.ontology.gazetteer",
        "entente.ingest.extract",
    ):
        pytest.importorskip(module, reason=f"{module} is not built yet")
    extract = pytest.importorskip("entente.ingest.extract.statements")
    if not hasattr(extract, "extract_statements"):
        pytest.skip("entente.ingest.extract.statements.extract_statements is not built yet")
    from entente.ingest.pipeline import Pipeline, PipelineConfig

    return Pipeline(PipelineConfig())


@pytest.mark.model
def test_real_pipeline_on_the_seed_articles(articles_dir: Path, gold_dir: Path) -> None:
    report = evaluate(articles_dir, gold_dir, _pipeline_or_skip())
    print()
    print(report.render())
    assert len(report.articles) == 5
    assert all(a.failure is None for a in report.articles), [a.failure for a in report.articles]
    assert report.entities.f1 > 0
    assert report.facts.f1 > 0


def test_report_gives_the_reliability_of_emitted_confidences() -> None:
    system, e = standard_system()  # four right facts at 0.9
    system.fact("Support", "Japan backs the U.S.", supporter=e["japan"], beneficiary=e["usa"])
    report = evaluate_analyses([(gold(ENTITIES, FACTS, "a1"), system.analysis)])
    points = report.articles[0].calibration
    assert sorted((p.confidence, p.family, p.correct) for p in points) == [
        (0.9, "test.v1", False),  # an extractor name without a family keeps its name
        *[(0.9, "test.v1", True)] * 4,
    ]
    data = report.as_dict()["calibration"]
    assert (data["statements"], data["right"]) == (5, 4)
    top = data["buckets"][-1]
    assert (top["statements"], top["right"], top["precision"]) == (5, 4, 0.8)
    assert data["expected_calibration_error"] == pytest.approx(0.1)
    assert "Confidence reliability" in report.render()


def test_a_wrong_value_makes_a_matched_fact_wrong_for_calibration() -> None:
    system, _ = standard_system()
    st = system.analysis.statements[3]  # the export control, gold in force
    system.analysis.statements[3] = Statement(
        st.type, {**st.roles, "status": (str(ENT.Planned),)}, st.evidence, st.values
    )
    report = evaluate_analyses([(gold(ENTITIES, FACTS, "a1"), system.analysis)])
    assert report.facts.tp == 4
    assert sum(p.correct for p in report.articles[0].calibration) == 3


def test_metadata_index_reads_a_list_of_records_and_names_bad_ones(tmp_path: Path) -> None:
    from entente.ingest.evaluate.run import read_metadata_index

    good = tmp_path / "sources.json"
    good.write_text(
        '[{"id": "a1", "published": "2024-02-29", "language": "sv", "outlet": "x"},'
        ' {"id": "a2", "published": null}]',
        encoding="utf-8",
    )
    index = read_metadata_index(good)
    assert index["a1"].published == date(2024, 2, 29) and index["a1"].language == "sv"
    assert index["a2"].published is None
    bad = tmp_path / "bad.json"
    bad.write_text('[{"published": "2024-01-01"}]', encoding="utf-8")
    with pytest.raises(EntenteError) as err:
        read_metadata_index(bad)
    assert err.value.code == "E010" and "record 0" in str(err.value)
