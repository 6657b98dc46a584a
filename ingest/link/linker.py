"""Spans -> entities. After this component, every `doc.ents` span has `label_` = an ent: class
local name and `kb_id_` = the entity IRI, and `doc._.entente_entities` maps each IRI to its
Entity (from the gazetteer, or minted for a name the gazetteer lacks).

The order of the rules matters and is the order of `Linker.link`; docs/linking.md explains each.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from entente.ingest.link.abbreviations import link_abbreviations
from entente.ingest.link.administrations import find_administrations, leaders_by_surname
from entente.ingest.link.candidates import (
    Candidate,
    GazetteerIndex,
    fold,
    is_capitalised,
    local_name,
    non_overlapping,
    token_indices,
)
from entente.ingest.link.company_names import SOURCE as COMPANY_NAME
from entente.ingest.link.company_names import (
    before_company_title,
    find_coordinated_companies,
    find_titled_companies,
    find_trade_names,
    link_company_names,
)
from entente.ingest.link.company_nouns import (
    COMPLEMENT_PREPS,
    after_company_noun,
    after_subsidiary_noun,
    before_company_noun,
)
from entente.ingest.link.context_words import LinkLexicon
from entente.ingest.link.coref import link_surnames, relink_capitals, resolve_epithets
from entente.ingest.link.described import definite_references, find_described
from entente.ingest.link.institutions import SOURCE as INSTITUTION
from entente.ingest.link.institutions import find_institutions
from entente.ingest.link.institutions import name_key as institution_key
from entente.ingest.link.org_names import (
    COMPOUND_COMPANY,
    find_compound_companies,
    find_exchanges,
    find_presidencies,
    join_trade_names,
    retype_listed,
)
from entente.ingest.link.parties import SOURCE as PARTY
from entente.ingest.link.parties import find_parties
from entente.ingest.link.portfolio_ministries import SOURCE as PORTFOLIO
from entente.ingest.link.portfolio_ministries import find_portfolio_ministries
from entente.ingest.link.research_orgs import SOURCE as RESEARCH
from entente.ingest.link.research_orgs import find_research_orgs
from entente.ingest.link.role_phrases import apply_roles, fuzzy_person
from entente.ingest.link.speakers import find_speakers
from entente.ingest.link.unnamed_parties import SOURCE as UNNAMED
from entente.ingest.link.unnamed_parties import find_unnamed
from entente.ingest.model import Entity, Mention
from entente.ingest.spacy_names import COMPOUND_ID, ENTITIES_ATTR, EPITHET_ID, LINKER
from entente.ontology import iris
from entente.ontology.territory_names import NOT_STATES
from spacy.language import Language
from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from entente.ontology.gazetteer import Gazetteer

# Every linked mention, nested ones included (the state inside 'a fund backed by the Japanese
# government'); doc.ents holds only the outermost. The extractor reads both.
MENTIONS_GROUP = "entente_mentions"
# person IRI -> (organisation IRI, its class) for linked gazetteer persons with one org:memberOf.
AFFILIATIONS_ATTR = "entente_affiliations"
# Statistical labels that can name an actor, when the language's lexicon does not list them.
DEFAULT_NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT"})
# A compound whose part after the technology stem is this long is another head noun
# ('-industrin', '-jätten'), not an inflection ('-arna', '-en'): see Linker.is_head_compound.
_HEAD_MIN_CHARS = 6
# Marks such a span in the mentions group: linked for the extractor, not reported as a mention.
HEAD_COMPOUND_ID = "entente:head-compound"
# Marks a company named by the part of a token before its hyphen ('Kalo' of 'Kalo-Konzerns'):
# its mention is that part, as the annotation conventions take a name out of a fused token.
NAME_PART_ID = "entente:name-part"
# Spans longer than this are run-together headlines or lists, not names.
MAX_NAME_TOKENS = 8
# Gazetteer surnames shorter than this link only after a title or a full mention.
_MIN_KNOWN_SURNAME = 5


def register_extensions() -> None:
    """Doc._.entente_entities; called by the linker factory, never at import."""
    for attr in (ENTITIES_ATTR, AFFILIATIONS_ATTR):
        if not Doc.has_extension(attr):
            Doc.set_extension(attr, default=None)


class Linker:
    def __init__(self, nlp: Language, name: str, language: str):
        self.name = name
        self.language = language
        self.lexicon = LinkLexicon(language=language)
        self.index: GazetteerIndex | None = None
        self._countries: frozenset[str] = frozenset()
        self._leaders: dict[str, str] = {}
        self._surnames: dict[str, str] = {}

    def configure(self, gazetteer: Gazetteer, lexicon: LinkLexicon) -> None:
        self.index = GazetteerIndex.build(gazetteer)
        self.lexicon = lexicon
        self._countries = country_names(self.language)
        self._leaders = leaders_by_surname(self.index)
        self._surnames = persons_by_surname(self.index)

    def __call__(self, doc: Doc) -> Doc:
        if self.index is None:
            raise RuntimeError(f"{self.name} was not configured with a gazetteer")
        cands = self.link(doc)
        outer = non_overlapping(cands)
        entities = self.entities(doc, cands)
        doc.ents = [Span(doc, c.start, c.end, label=c.label, kb_id=c.iri or "") for c in outer]
        doc.spans[MENTIONS_GROUP] = [
            Span(
                doc,
                c.start,
                c.end,
                label=c.label,
                kb_id=c.iri or "",
                span_id=self.span_marker(doc, c),
            )
            for c in sorted(cands, key=lambda c: (c.start, -c.end))
            if c.iri
        ]
        doc._.set(ENTITIES_ATTR, entities)
        doc._.set(AFFILIATIONS_ATTR, self.affiliations(entities))
        return doc

    def span_marker(self, doc: Doc, cand: Candidate) -> str | int:
        if cand.source == COMPOUND_COMPANY:
            return NAME_PART_ID
        return HEAD_COMPOUND_ID if self.is_head_compound(doc, cand) else 0

    def is_head_compound(self, doc: Doc, cand: Candidate) -> bool:
        """A compound whose technology stem is followed by another head noun
        ('halvledarindustrin', 'chipjätten', 'Halbleiteranlagenindustrie') names an industry,
        a company or a plant, not the technology: the annotation conventions list only the
        standalone noun, or a compound that names the goods themselves ('halvledarutrustningen':
        the stem plus an inflection). Linked all the same (facts read it), it is no mention."""
        if cand.source != "compound" or cand.label != "Technology" or self.index is None:
            return False
        entry = self.index.entries.get(cand.iri or "")
        if entry is None:
            return False
        lower = doc[cand.start].lower_
        stems = [f.lower() for f, _ in entry.compound_forms if lower.startswith(f.lower())]
        return bool(stems) and len(lower) - max(len(f) for f in stems) >= _HEAD_MIN_CHARS

    def affiliations(self, entities: dict[str, Entity]) -> dict[str, tuple[str, str]]:
        assert self.index is not None
        out: dict[str, tuple[str, str]] = {}
        for iri, entity in entities.items():
            entry = self.index.entries.get(iri)
            if entity.type != "Person" or entry is None or len(entry.member_of) != 1:
                continue
            org = entry.member_of[0]
            org_type = self.index.type_of(org)
            if org_type is not None:
                out[iri] = (org, org_type)
        return out

    # -- the rules, in order ------------------------------------------------------------------

    def link(self, doc: Doc) -> list[Candidate]:
        assert self.index is not None
        index, lexicon = self.index, self.lexicon
        cands = self.candidates(doc)
        cands = join_trade_names(doc, cands, lexicon)
        cands = find_presidencies(doc, cands, lexicon)
        cands = find_exchanges(doc, cands, lexicon)
        cands = self.appositive_names(doc, cands)
        cands = apply_roles(doc, cands, lexicon)
        cands = find_speakers(doc, cands, lexicon)
        cands = find_institutions(doc, cands, lexicon)
        cands = find_research_orgs(doc, cands, lexicon)
        cands = find_coordinated_companies(doc, cands, lexicon)
        cands = find_titled_companies(doc, cands, lexicon)
        cands = find_trade_names(doc, cands, lexicon)
        cands = find_compound_companies(doc, cands, lexicon, index)
        cands = find_administrations(doc, cands, self._leaders, lexicon)
        cands = find_portfolio_ministries(doc, cands, index, lexicon)
        cands = [c for c in (self.link_by_name(doc, c) for c in cands) if c is not None]
        cands = [c for c in (self.type_new(doc, c) for c in cands) if c is not None]
        cands = retype_listed(doc, cands, lexicon, lambda c: self.listed_mistype(doc, c))
        cands = self.unify_types(doc, cands)
        cands = self.merge_new(doc, cands)
        cands = link_surnames(doc, cands)
        cands = self.known_surnames(doc, cands)
        cands = link_abbreviations(doc, cands)
        cands = link_company_names(
            doc,
            cands,
            lexicon,
            lambda c: (
                self.company_cue(doc, c)
                or self.has_legal_suffix(doc, c)
                or before_company_title(doc, c.end, lexicon)
            ),
        )
        cands = find_parties(doc, cands, lexicon.titles)
        cands = relink_capitals(doc, cands, index, lexicon)
        cands = resolve_epithets(cands)
        trusted = sorted(cands, key=lambda c: (c.source == "ner", c.start))
        final: list[Candidate] = non_overlapping(trusted)
        final = self.describe(doc, final)
        unnamed = find_unnamed(doc, final, lexicon.unnamed, index)
        if not unnamed:
            return final
        return sorted([*final, *unnamed], key=lambda c: (c.start, -c.end))

    def known_surnames(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """A bare surname of a gazetteer person ('Scholz sagte'), or its genitive where the
        language writes one with -s ('gegen Habecks Rat'), is that person when no other
        gazetteer person shares the surname. Short surnames (under five letters) are too often
        other words or other people's names ('Son', 'Li') and wait for a full mention."""
        forms: dict[str, str] = {}
        for surname, iri in self._surnames.items():
            if len(surname) >= _MIN_KNOWN_SURNAME and surname.isalpha():
                forms[surname] = iri
                if self.lexicon.genitive:
                    forms.setdefault(surname + "s", iri)
        if not forms:
            return cands
        single = {c.start: c for c in cands if c.end - c.start == 1}
        covered = {i for c in cands for i in range(c.start, c.end)}
        out = list(cands)
        replaced: set[int] = set()
        for i in token_indices(doc, frozenset(forms), "ORTH"):
            cand = single.get(i)
            if cand is None and i in covered:
                continue
            if cand is not None and (cand.iri is not None or cand.source not in ("ner", "role")):
                continue
            if cand is not None:
                replaced.add(id(cand))
            out.append(Candidate(i, i + 1, "Person", forms[doc[i].text], source="surname"))
        kept = [c for c in out if id(c) not in replaced]
        return sorted(kept, key=lambda c: (c.start, -c.end))

    def describe(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """Add organisations known only by a description ('a fund backed by the Japanese
        government') and later definite references to them ('the fund'). The result overlaps:
        a description contains its backer's mention; __call__ keeps the outermost in doc.ents
        and all of them in the MENTIONS_GROUP span group."""
        assert self.index is not None
        lexicon = self.lexicon.described
        found = find_described(doc, cands, lexicon, self.index)
        if not found:
            return cands
        added = [
            Candidate(d.start, d.end, d.type, d.iri, source="described", name=d.label)
            for d in found
        ]
        added += [
            Candidate(s, e, d.type, d.iri, source="described", name=d.label)
            for s, e, d in definite_references(doc, cands, found, lexicon)
        ]
        owner = {i: (c.start, c.end) for c in added for i in range(c.start, c.end)}
        # A candidate partly inside a description (not a whole backer) cannot be nested: drop it.
        kept = [
            c
            for c in cands
            if all(
                s <= c.start and c.end <= e
                for s, e in {owner[i] for i in range(c.start, c.end) if i in owner}
            )
        ]
        return sorted([*added, *kept], key=lambda c: (c.start, -c.end))

    def candidates(self, doc: Doc) -> list[Candidate]:
        """doc.ents as candidates: gazetteer/compound spans as they are, statistical spans
        trimmed ('the University of Tokyo’s' -> 'University of Tokyo') and filtered."""
        out: list[Candidate] = []
        for ent in doc.ents:
            if ent.kb_id_:
                source = "compound" if ent.id_ == COMPOUND_ID else "gazetteer"
                out.append(Candidate(ent.start, ent.end, ent.label_, ent.kb_id_, source=source))
            elif ent.id_ == EPITHET_ID:
                out.append(Candidate(ent.start, ent.end, ent.label_, None, source="epithet"))
            elif ent.label_ in (self.lexicon.ner_actor_labels or DEFAULT_NER_LABELS):
                trimmed = self.trim(doc, ent.start, ent.end)
                if trimmed is not None:
                    out.append(Candidate(trimmed[0], trimmed[1], ent.label_, source="ner"))
        return out

    def appositive_names(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """A capitalised name right after a company noun ('bolaget Vonage', 'chipmaker
        Nexperia') that no other span covers becomes a candidate: the only way a new company
        is found in a language without statistical NER, and a safety net where the model
        missed it. type_new makes it a Company."""
        cues = self.lexicon.company_appositives
        if not cues:
            return cands
        covered = {i for c in cands for i in range(c.start, c.end)}
        added: list[Candidate] = []
        for start in range(1, len(doc)):
            # The name's first word is tested before the (costlier) company noun before it:
            # most tokens are not capitalised, and without a first word there is no name.
            first = doc[start]
            if (
                start in covered
                or not (is_capitalised(first) and (first.is_alpha or first.text.isalnum()))
                or not after_company_noun(doc, start, cues)
            ):
                continue
            end = start
            while end < len(doc) and end - start < 4 and end not in covered:
                word = doc[end]
                if not (is_capitalised(word) and (word.is_alpha or word.text.isalnum())):
                    break
                if doc[end].is_sent_start and end != start:
                    break
                end += 1
            if end > start:
                added.append(Candidate(start, end, "ORG", source="ner"))
                covered.update(range(start, end))
        if not added:
            return cands
        return sorted([*cands, *added], key=lambda c: (c.start, -c.end))

    def trim(self, doc: Doc, start: int, end: int) -> tuple[int, int] | None:
        lexicon = self.lexicon
        while start < end and (
            doc[start].lower_ in lexicon.strip_leading or doc[start].is_space or doc[start].is_punct
        ):
            start += 1
        while end > start and (
            doc[end - 1].lower_ in lexicon.strip_trailing
            or doc[end - 1].is_space
            or doc[end - 1].is_punct
        ):
            end -= 1
        span = doc[start:end]
        text = span.text
        if (
            end <= start
            or end - start > MAX_NAME_TOKENS
            or not any(c.isalpha() for c in text)
            or "\n" in text
            or text == text.lower()
        ):
            return None
        return start, end

    def link_by_name(self, doc: Doc, cand: Candidate) -> Candidate | None:
        """A statistical span whose text is a gazetteer name links to it (the gazetteer's type
        wins: 'Nvidia' GPE is the company). A person name near a gazetteer person links to it."""
        assert self.index is not None
        if cand.source not in ("ner", "role", INSTITUTION, RESEARCH):
            return cand
        text = cand.span_text(doc)
        iri = self.index.exact(text) or self.index.folded(text)
        if iri is not None:
            return Candidate(
                cand.start, cand.end, self.index.type_of(iri) or cand.label, iri, source="gazetteer"
            )
        if cand.label in ("GPE", "LOC") and text in self.lexicon.never_places:
            return None
        if cand.source == "role" and text in self._surnames:
            # 'Bundeskanzler Scholz', 'President Okafor': a title and a bare surname are the one
            # gazetteer person with that surname; the title is how news names a known office
            # holder without the first name.
            return Candidate(
                cand.start, cand.end, "Person", self._surnames[text], source="fuzzy", variant=text
            )
        if cand.label in ("PERSON", "ORG", "GPE") or cand.source == "role":
            person = fuzzy_person(text, self.index)
            if person is not None and (
                cand.label == "PERSON" or cand.source == "role" or len(text.split()) >= 2
            ):
                return Candidate(
                    cand.start, cand.end, "Person", person, source="fuzzy", variant=text
                )
        if cand.label == "NORP":
            return None  # 'Japanese' is an adjective, not a mention of Japan
        return cand

    def type_new(self, doc: Doc, cand: Candidate) -> Candidate | None:
        """Type a statistical span the gazetteer does not know; None drops it."""
        if cand.iri is not None or cand.source in ("epithet", INSTITUTION, RESEARCH):
            return cand
        text = cand.span_text(doc)
        if text in self.lexicon.never_actors:
            return None  # 'a MoU on batteries' names a document, not its signatories
        label = cand.label
        entity_type: str | None
        if label in ("PERSON", "GPE", "LOC", "FAC") and self.place_modifier(doc, cand):
            entity_type = "Place"  # 'a Rotterdam-based supplier': the model's PERSON is wrong
        elif cand.source != "role" and self.is_company_name(doc, cand):
            entity_type = "Company"  # 'equipment maker Nexperia': the model's GPE is wrong
        elif label == "PERSON" or cand.source == "role":
            entity_type = "Person"
        elif label == "ORG" and self.before_title(doc, cand):
            entity_type = None  # 'Foreign Affairs Minister …': a portfolio, no organisation
        elif label == "ORG" and self.titled_apposition(doc, cand):
            entity_type = "Person"  # 'Ama Mensah, Minister of Trade': the model's ORG is wrong
        elif label == "ORG":
            entity_type = self.org_type(doc, cand)
        elif label in ("GPE", "LOC", "FAC") and self.headed_by_org_word(doc, cand):
            entity_type = self.org_type(doc, cand)  # 'Cour d'appel de Lyon' tagged LOC
        elif label == "GPE":
            entity_type = "State" if fold(text) in self._countries else "Place"
        elif label in ("LOC", "FAC"):
            entity_type = "Place"
        else:
            entity_type = None  # NORP, PRODUCT and the rest name no actor we record
        if entity_type is None:
            return None
        return Candidate(cand.start, cand.end, entity_type, None, source=cand.source)

    def place_modifier(self, doc: Doc, cand: Candidate) -> bool:
        """'a Rotterdam-based supplier': the name is glued by a hyphen to a word such as 'based'
        (linking.toml place_suffixes), so it says where something sits."""
        e = cand.end
        return (
            e + 1 < len(doc)
            and not doc[e - 1].whitespace_
            and doc[e].text in ("-", "\u2011")
            and not doc[e].whitespace_
            and doc[e + 1].lower_ in self.lexicon.place_suffixes
        )

    def headed_by_org_word(self, doc: Doc, cand: Candidate) -> bool:
        """A place span of several words that opens or ends with an organisation word of
        [xx.org_types] ('Cour d'appel de Lyon', 'Université de Nantes', 'Kansai Institute') is
        the organisation seated there, not the place."""
        if cand.end - cand.start < 2:
            return False
        cues = {w for _, words in self.lexicon.org_types for w in words}
        if doc[cand.end - 1].lower_ in cues:
            return True
        # An opening cue only before its complement: 'Council Bluffs' is a town.
        return doc[cand.start].lower_ in cues and (
            doc[cand.start + 1].lower_ in COMPLEMENT_PREPS or doc[cand.start + 1].lower_ == "of"
        )

    def before_title(self, doc: Doc, cand: Candidate) -> bool:
        """A span ending in a portfolio word right before a title ('External Affairs Minister')
        is the title's portfolio: 'Kestrel CEO' keeps its company, which is no portfolio."""
        lexicon = self.lexicon
        return (
            cand.end < len(doc)
            and lexicon.is_title(doc[cand.end].lower_)
            and doc[cand.end - 1].lower_ in lexicon.portfolio_words
        )

    def titled_apposition(self, doc: Doc, cand: Candidate) -> bool:
        """Two or three capitalised words, then ', <title> of|for': a person and their post."""
        lexicon = self.lexicon
        words = doc[cand.start : cand.end]
        return (
            2 <= len(words) <= 3
            and all(t.is_alpha and t.text[:1].isupper() for t in words)
            and not any(t.lower_ in lexicon.portfolio_words for t in words)
            and cand.end + 2 < len(doc)
            and doc[cand.end].text == ","
            and lexicon.is_title(doc[cand.end + 1].lower_)
            and doc[cand.end + 2].lower_ in lexicon.portfolio_links
        )

    def org_type(self, doc: Doc, cand: Candidate) -> str | None:
        words = [t.lower_ for t in doc[cand.start : cand.end]]
        lexicon = self.lexicon
        if len(words) >= 2 and words[-1] in lexicon.event_words:
            return None  # 'Mobile World Congress' is an event, not an actor
        if words[-1] in lexicon.forum_heads and any(w in lexicon.forum_qualifiers for w in words):
            return None  # 'Digital Partnership council' is an agreement forum: a statement node
        for cls, cues in lexicon.org_types:
            hits = {w for w in words if w in cues}
            if hits and cls == "ResearchOrganization":
                return self.research_type(doc, cand, hits, words)
            if hits:
                return str(cls)
        return "Company"

    def research_type(self, doc: Doc, cand: Candidate, hits: set[str], words: list[str]) -> str:
        """A research word decides the type unless it is only a name word that the text's
        company evidence overrides ('the chipmaker Orbit Labs'), or an institute a state names
        as its own ('National Institute of Metrology': a government body)."""
        lexicon = self.lexicon
        if hits <= lexicon.research_name_words and self.company_evidence(doc, cand):
            return "Company"
        if hits <= lexicon.state_institute_words and any(w in lexicon.state_markers for w in words):
            return "GovernmentBody"
        return "ResearchOrganization"

    def company_evidence(self, doc: Doc, cand: Candidate) -> bool:
        return (
            self.company_cue(doc, cand)
            or self.has_legal_suffix(doc, cand)
            or before_company_title(doc, cand.end, self.lexicon)
        )

    def listed_mistype(self, doc: Doc, cand: Candidate) -> bool:
        """Types a list of companies overrides (link/org_names.py): the model's person, and a
        research organisation typed only by a name word ('Orbit Lab')."""
        if cand.source != "ner":
            return False
        if cand.label == "Person":
            return True
        if cand.label != "ResearchOrganization":
            return False
        words = {t.lower_ for t in doc[cand.start : cand.end]}
        cues = dict(self.lexicon.org_types).get("ResearchOrganization", frozenset())
        hits = words & cues
        return bool(hits) and hits <= self.lexicon.research_name_words

    def is_company_name(self, doc: Doc, cand: Candidate) -> bool:
        """A statistical span that is a company whatever label the model gave it: a name with a
        legal-form suffix ('Nordvik BV' tagged GPE), or a name a company noun introduces
        ('chipmaker Sophgo' tagged PRODUCT, 'materials maker Corwin' tagged PERSON). A person
        tag yields only for a one-word name: 'rival Ann Lee' stays a person."""
        label = cand.label
        if label in ("ORG", "GPE", "LOC", "FAC", "PERSON") and self.has_legal_suffix(doc, cand):
            return True
        if label not in ("ORG", "GPE", "LOC", "FAC", "PRODUCT", "PERSON"):
            return False
        if label != "PERSON" and before_company_title(doc, cand.end, self.lexicon):
            return True  # 'Orla Materials CEO Dana Reyes'
        if label == "PERSON" and cand.end - cand.start > 1:
            # 'the firm Halvard Stein': only a noun no person is called makes a company of it
            return after_company_noun(doc, cand.start, self.lexicon.company_only_nouns)
        return self.company_cue(doc, cand)

    def has_legal_suffix(self, doc: Doc, cand: Candidate) -> bool:
        last = doc[cand.end - 1]
        return bool(
            cand.end - cand.start >= 2
            and last.lower_ in self.lexicon.company_suffixes
            and is_capitalised(last)
        )

    def company_cue(self, doc: Doc, cand: Candidate) -> bool:
        """A company noun before the name ('chipmaker Nexperia') or heading an apposition after
        it ('Nexperia, a subsidiary of …')."""
        cues = self.lexicon.company_appositives
        return (
            after_company_noun(doc, cand.start, cues)
            or before_company_noun(doc, cand.end, cues)
            or after_subsidiary_noun(doc, cand.start, self.lexicon.subsidiary_nouns)
        )

    def unify_types(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """One name, one type within a document: the model may tag 'Asahi Shimbun' ORG once and
        PERSON once. The type given most often wins; on a tie, the first one. A name that a
        company noun describes once is a company wherever the model took it for a place."""
        votes: dict[str, Counter[str]] = {}
        first: dict[str, dict[str, int]] = {}
        cued: set[str] = set()
        for cand in cands:
            if cand.iri is None and cand.source != "epithet":
                key = self.name_key(doc, cand, strip_suffix=True)
                votes.setdefault(key, Counter())[cand.label] += 1
                first.setdefault(key, {}).setdefault(cand.label, cand.start)
                if cand.label == "Company" and (
                    self.company_cue(doc, cand) or self.has_legal_suffix(doc, cand)
                ):
                    cued.add(key)
        chosen = {
            key: "Company"
            if key in cued and set(counter) <= {"Company", "Place", "Person"}
            else max(counter, key=lambda label: (counter[label], -first[key][label]))
            for key, counter in votes.items()
            if len(counter) > 1
        }
        if not chosen:
            return cands
        out: list[Candidate] = []
        for cand in cands:
            name = None
            if cand.iri is None and cand.source != "epithet":
                name = self.name_key(doc, cand, strip_suffix=True)
            out.append(replace(cand, label=chosen[name]) if name in chosen else cand)
        return out

    def merge_new(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """Give minted entities their IRIs: one per (type, name), where a company name with and
        without its legal suffix ('Rapidus Corp', 'Rapidus') is one name, the fuller one."""
        groups: dict[tuple[str, str], list[Candidate]] = {}
        for cand in cands:
            if cand.iri is None and cand.source != "epithet":
                groups.setdefault((cand.label, self.name_key(doc, cand)), []).append(cand)
        labels = {key: self.fullest(doc, group) for key, group in groups.items()}
        out: list[Candidate] = []
        for cand in cands:
            if cand.iri is not None or cand.source == "epithet":
                out.append(cand)
                continue
            label = labels.get((cand.label, self.name_key(doc, cand)))
            if label is None:
                continue
            out.append(replace(cand, iri=str(iris.entity_iri(cand.label, label))))
        return out

    def name_key(self, doc: Doc, cand: Candidate, *, strip_suffix: bool = False) -> str:
        if cand.source == INSTITUTION:
            return str(fold(institution_key(doc[cand.start : cand.end].text, self.lexicon)))
        words = [t.text for t in doc[cand.start : cand.end]]
        if cand.label == "Company" or strip_suffix:
            while len(words) > 1 and words[-1].lower() in self.lexicon.company_suffixes:
                words.pop()
        return str(fold(" ".join(words)))

    def surface_without_determiner(self, doc: Doc, cand: Candidate) -> str:
        words = doc[cand.start : cand.end]
        if len(words) > 1 and words[0].lower_ in (
            self.lexicon.described.determiners
            | self.lexicon.described.definite_determiners
            | self.lexicon.unnamed.determiners
            | self.lexicon.unnamed.definite_determiners
        ):
            words = words[1:]
        return normalise_space(words.text)

    @staticmethod
    def fullest(doc: Doc, group: Iterable[Candidate]) -> str:
        texts = [normalise_space(c.span_text(doc)) for c in group]
        return max(texts, key=lambda t: (len(t), t))

    # -- entities ----------------------------------------------------------------------------

    def entities(self, doc: Doc, cands: list[Candidate]) -> dict[str, Entity]:
        assert self.index is not None
        out: dict[str, Entity] = {}
        surfaces: dict[str, list[str]] = {}
        for cand in cands:
            if cand.iri is None:
                continue
            entry = self.index.entries.get(cand.iri)
            if entry is not None:
                entity = out.get(cand.iri) or Entity(
                    iri=entry.iri,
                    label=entry.label,
                    type=local_name(entry.type),
                    wikidata=entry.wikidata,
                )
                if cand.variant and (cand.variant, self.language) not in entity.aliases:
                    entity = replace(
                        entity, aliases=(*entity.aliases, (cand.variant, self.language))
                    )
                out[cand.iri] = entity
            elif cand.source in ("described", PORTFOLIO, UNNAMED, COMPOUND_COMPANY) and cand.name:
                alias = (self.surface_without_determiner(doc, cand), self.language)
                entity = out.get(cand.iri) or Entity(
                    iri=cand.iri,
                    label=cand.name,
                    type=cand.label,
                    is_new=True,
                    provisional=cand.source == UNNAMED,
                )
                if alias[0] != cand.name and alias not in entity.aliases:
                    entity = replace(entity, aliases=(*entity.aliases, alias))
                out[cand.iri] = entity
            else:
                if cand.source in (
                    "ner",
                    "role",
                    "fuzzy",
                    INSTITUTION,
                    RESEARCH,
                    PARTY,
                    COMPANY_NAME,
                ):
                    surfaces.setdefault(cand.iri, []).append(normalise_space(cand.span_text(doc)))
                if cand.iri not in out:
                    out[cand.iri] = Entity(iri=cand.iri, label="", type=cand.label, is_new=True)
        for iri, texts in surfaces.items():
            if out[iri].label:
                continue  # a described organisation keeps its composed name
            label = max(texts, key=lambda t: (len(t), t))
            aliases = tuple(sorted({(t, self.language) for t in texts if t != label}))
            out[iri] = replace(out[iri], label=label, aliases=aliases)
        return {iri: e for iri, e in out.items() if e.label}


def persons_by_surname(index: GazetteerIndex) -> dict[str, str]:
    """Surname (as written, one word) -> the one gazetteer person whose full name ends in it; a
    surname two persons share is left out."""
    found: dict[str, set[str]] = {}
    for name, iri in index.person_names:
        words = name.split()
        if len(words) >= 2 and words[-1][:1].isupper():
            found.setdefault(words[-1], set()).add(iri)
    return {surname: next(iter(iris)) for surname, iris in found.items() if len(iris) == 1}


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=16)
def country_names(language: str) -> frozenset[str]:
    """Folded names of the world's states in `language` and English (CLDR data via babel), so a
    statistical GPE the gazetteer lacks is typed State only when it is a country."""
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - babel comes with trafilatura
        return frozenset()
    names: set[str] = set()
    for lang in {language, "en"}:
        try:
            territories = Locale.parse(lang).territories
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha() and code not in NOT_STATES:
                names.add(fold(name))
    return frozenset(names)


def mentions(doc: Doc) -> list[Mention]:
    """Linked spans of a linked doc, nested ones included, as character offsets into its text."""
    spans = doc.spans.get(MENTIONS_GROUP, doc.ents)
    out: list[Mention] = []
    for e in spans:
        if not e.kb_id_ or e.id_ == HEAD_COMPOUND_ID:
            continue
        text = e.text.rpartition("-")[0] if e.id_ == NAME_PART_ID else e.text
        out.append(
            Mention(entity=e.kb_id_, start=e.start_char, end=e.start_char + len(text), text=text)
        )
    return out


def linked_entities(doc: Doc) -> dict[str, Entity]:
    value = doc._.get(ENTITIES_ATTR) if Doc.has_extension(ENTITIES_ATTR) else None
    return dict(value) if value else {}


@Language.factory(f"{LINKER}_v1", default_config={"language": "en"})
def make_linker(nlp: Language, name: str, language: str) -> Linker:
    register_extensions()
    return Linker(nlp, name, language)
