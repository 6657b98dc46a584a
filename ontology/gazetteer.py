"""The gazetteer as plain data: every known actor, place and technology with the names that
link to it, read once from Turtle (ontology/gazetteer.ttl and ontology/technologies.ttl).

rdflib is used only to load; what is kept is frozen dataclasses and dicts, cheap to hold in
every worker process and to pickle. Adding a name is a Turtle edit: nothing here lists names.

Which names count in which language (`names_for`): names tagged with the text's language; names
with no language tag; and, for actors and places, their English names too, because proper
names such as "Japan", "EU" or "ASML" are written the same way in Swedish or German news.
Technology names are common nouns and stay in their own language ("chips" is listed once for
English and once for Swedish; an English-only alias such as "semiconductor" is not a Swedish
word), except a name spelt the same in two or more languages ("gallium", "5G"), which is
international and counts in every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from entente.errors import EntenteError
from entente.ontology.resources import (
    gazetteer_path,
    technologies_path,
    technology_labels_path,
    territory_names_path,
)
from entente.ontology.vocab import ENT, WD
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS, Namespace
from rdflib.plugins.parsers.notation3 import BadSyntax

# The ent: classes an entity is typed with (docs/architecture.md, vocabulary contract), plus Place.
ENTITY_TYPES: tuple[str, ...] = (
    "Person",
    "State",
    "Bloc",
    "GovernmentBody",
    "Company",
    "ResearchOrganization",
    "OtherOrganization",
    "Technology",
    "Place",
)
ACTOR_TYPES: frozenset[str] = frozenset(ENTITY_TYPES) - {"Technology", "Place"}
_ORG_TYPES: frozenset[str] = ACTOR_TYPES - {"Person"}

_ENT_NS = str(ENT)
ORG = Namespace("http://www.w3.org/ns/org#")
_WD_NS = str(WD)
_QID = re.compile(r"Q[1-9][0-9]*")
# Name properties, in the order their names are listed: the canonical label first.
_NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)

Names = tuple[tuple[str, str], ...]  # (surface, BCP-47 language or "" when untagged)


@dataclass(frozen=True)
class GazetteerEntry:
    iri: str
    type: str  # local name of the entity's ent: class, e.g. "State"
    label: str  # English canonical name (rdfs:label @en)
    wikidata: str | None  # QID such as "Q17", from owl:sameAs
    names: Names  # every surface form with its language, the label first
    epithets: Names = ()
    compound_forms: Names = ()
    capital_of: str | None = None  # for a Place: the actor it stands for when used as one
    # For a Person: the organisations they belong to (org:memberOf), sorted. With exactly one, a
    # title without a named organisation ('Prime Minister Fumio Kishida') is read as a post there.
    member_of: tuple[str, ...] = ()

    @property
    def is_actor(self) -> bool:
        return self.type in ACTOR_TYPES


def parse_turtle(paths: Sequence[Path], *, what: str = "gazetteer") -> Graph:
    """Parse Turtle files into one graph; a file that cannot be read or parsed raises E103
    naming the file and, for a syntax error, the line."""
    graph = Graph()
    for path in paths:
        try:
            text = Path(path).read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise EntenteError("E103", f"{what} file not found", where=str(path)) from None
        except OSError as exc:
            message = f"cannot read {what} file: {exc.strerror}"
            raise EntenteError("E103", message, where=str(path)) from None
        except UnicodeDecodeError as exc:
            message = f"{what} file is not UTF-8 ({exc.reason} at byte {exc.start})"
            raise EntenteError("E103", message, where=str(path)) from None
        try:
            graph.parse(data=text, format="turtle", publicID=Path(path).resolve().as_uri())
        except BadSyntax as exc:
            line = int(getattr(exc, "lines", 0)) + 1  # rdflib counts lines from 0
            message = f"Turtle syntax error: {getattr(exc, '_why', exc)}"
            raise EntenteError("E103", message, where=f"{path}:{line}") from None
        except Exception as exc:  # rdflib raises several unrelated types for malformed input
            raise EntenteError("E103", f"Turtle does not parse: {exc}", where=str(path)) from None
    return graph


def default_paths() -> list[Path]:
    """The shipped files: the gazetteer with its generated state names, the technology scheme
    with its French, Dutch and German names."""
    return [gazetteer_path(), territory_names_path(), technologies_path(), technology_labels_path()]


def language_of(tag: str) -> str:
    """'sv-SE' -> 'sv': names are keyed by the primary language subtag."""
    return tag.split("-", 1)[0].lower()


class Gazetteer:
    """Known entities by IRI, with per-language name lists for the entity ruler and linker."""

    def __init__(
        self,
        entries: dict[str, GazetteerEntry],
        class_epithets: dict[str, Names] | None = None,
    ) -> None:
        self.entries = entries
        self.class_epithets: dict[str, Names] = class_epithets or {}
        self._names: dict[str, list[tuple[str, str]]] = {}

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None) -> Gazetteer:
        """Read the gazetteer; by default the shipped gazetteer.ttl and technologies.ttl."""
        files = list(paths) if paths is not None else default_paths()
        where = ", ".join(str(p) for p in files) or "<no files>"
        return cls.from_graph(parse_turtle(files), where=where)

    @classmethod
    def from_graph(cls, graph: Graph, *, where: str = "<graph>") -> Gazetteer:
        """Build from an rdflib graph (e.g. the gazetteer graph read back from a store)."""
        entries: dict[str, GazetteerEntry] = {}
        for subject in sorted(_typed_subjects(graph, where), key=str):
            entry = _entry(graph, subject, where)
            entries[entry.iri] = entry
        for entry in entries.values():
            if entry.capital_of is not None and entry.capital_of not in entries:
                message = f"{entry.iri} is ent:capitalOf {entry.capital_of}, not in the gazetteer"
                raise EntenteError("E103", message, where=where)
            for org in entry.member_of:
                target = entries.get(org)
                if entry.type != "Person" or target is None or target.type not in _ORG_TYPES:
                    message = (
                        f"{entry.iri} is org:memberOf {org}: only a person can be, and only of "
                        "an organisation, state or bloc in the gazetteer"
                    )
                    raise EntenteError("E103", message, where=where)
        return cls(entries, _class_epithets(graph))

    def get(self, iri: str) -> GazetteerEntry | None:
        return self.entries.get(str(iri))

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, iri: object) -> bool:
        return str(iri) in self.entries

    def of_type(self, entity_type: str) -> list[GazetteerEntry]:
        return [e for e in self.entries.values() if e.type == entity_type]

    def names_for(self, lang: str) -> list[tuple[str, str]]:
        """(surface, iri) pairs valid in text of language `lang` (see the module docstring)."""
        key = language_of(lang)
        if key not in self._names:
            self._names[key] = list(_names_in(self.entries.values(), key))
        return list(self._names[key])


def _international(entry: GazetteerEntry) -> set[str]:
    """A technology name spelt the same in two or more languages ('gallium', '5G', 'AI') is
    international: it names the technology in any language's text."""
    tags: dict[str, set[str]] = {}
    for surface, tag in entry.names:
        tags.setdefault(surface.casefold(), set()).add(language_of(tag))
    return {surface for surface, langs in tags.items() if len(langs) >= 2}


def _names_in(entries: Iterable[GazetteerEntry], lang: str) -> Iterable[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        shared = _international(entry) if entry.type == "Technology" else set()
        for surface, tag in entry.names:
            tag = language_of(tag)
            if (
                tag in (lang, "")
                or (tag == "en" and entry.type != "Technology")
                or surface.casefold() in shared
            ):
                pair = (surface, entry.iri)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def _typed_subjects(graph: Graph, where: str) -> set[URIRef]:
    subjects: set[URIRef] = set()
    for entity_type in ENTITY_TYPES:
        for subject in graph.subjects(RDF.type, ENT[entity_type]):
            if not isinstance(subject, URIRef):
                message = f"a blank node is typed ent:{entity_type}; give it an IRI"
                raise EntenteError("E103", message, where=where)
            subjects.add(subject)
    return subjects


def _literals(graph: Graph, subject: URIRef, prop: URIRef, where: str) -> Names:
    out: list[tuple[str, str]] = []
    for value in graph.objects(subject, prop):
        if not isinstance(value, Literal):
            message = f"{subject} has a non-literal {graph.qname(prop)}: {value}"
            raise EntenteError("E103", message, where=where)
        out.append((str(value), (value.language or "").lower()))
    # rdflib returns objects in no fixed order; sort for a stable result across runs.
    return tuple(sorted(set(out), key=lambda pair: (pair[1], pair[0])))


def _entry(graph: Graph, subject: URIRef, where: str) -> GazetteerEntry:
    iri = str(subject)
    types = sorted(t for t in ENTITY_TYPES if (subject, RDF.type, ENT[t]) in graph)
    if len(types) != 1:
        message = f"{iri} has {len(types)} entity types ({', '.join(types)}); give it one"
        raise EntenteError("E103", message, where=where)
    labels = _literals(graph, subject, RDFS.label, where)
    english = [surface for surface, lang in labels if language_of(lang) == "en"]
    if len(english) != 1:
        message = f"{iri} needs exactly one English rdfs:label, has {len(english)}"
        raise EntenteError("E103", message, where=where)
    label = english[0]

    names: list[tuple[str, str]] = [(label, "en")]
    for prop in _NAME_PROPERTIES:
        for pair in _literals(graph, subject, prop, where):
            if pair not in names:
                names.append(pair)

    qids = []
    for same in graph.objects(subject, OWL.sameAs):
        text = str(same)
        if isinstance(same, URIRef) and text.startswith(_WD_NS):
            qid = text[len(_WD_NS) :]
            if not _QID.fullmatch(qid):
                message = f"{iri} has a malformed Wikidata IRI {text}"
                raise EntenteError("E103", message, where=where)
            qids.append(qid)
    if len(qids) > 1:
        message = f"{iri} has {len(qids)} Wikidata IRIs ({', '.join(sorted(qids))}); keep one"
        raise EntenteError("E103", message, where=where)

    capitals = [str(o) for o in graph.objects(subject, ENT.capitalOf)]
    if len(capitals) > 1:
        message = f"{iri} is ent:capitalOf {len(capitals)} actors; give one"
        raise EntenteError("E103", message, where=where)

    return GazetteerEntry(
        iri=iri,
        type=types[0],
        label=label,
        wikidata=qids[0] if qids else None,
        names=tuple(names),
        epithets=_literals(graph, subject, ENT.epithet, where),
        compound_forms=_literals(graph, subject, ENT.compoundForm, where),
        capital_of=capitals[0] if capitals else None,
        member_of=tuple(sorted(str(o) for o in graph.objects(subject, ORG.memberOf))),
    )


def _class_epithets(graph: Graph) -> dict[str, Names]:
    """Epithets attached to an ent: class ('the bloc' on ent:Bloc), keyed by its local name."""
    out: dict[str, Names] = {}
    for subject in set(graph.subjects(ENT.epithet, None)):
        text = str(subject)
        if isinstance(subject, URIRef) and text.startswith(_ENT_NS):
            out[text[len(_ENT_NS) :]] = _literals(graph, subject, ENT.epithet, "<class epithets>")
    return dict(sorted(out.items()))
