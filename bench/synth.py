"""Synthetic knowledge graphs in the shape of the vocabulary contract, at a chosen size.

Benchmarks need stores of 10k to 1M+ triples that look like what `entente ingest` writes: one
named graph per document holding its ent:Document node (metadata, cleaned and raw text,
ent:mentions), the entities it mints (typed, labelled), its statements (all ten fact types, with
valid roles) and one ent:Evidence per statement (sentence, offsets, confidence, extractor).
Actors and technologies come from the shipped gazetteer, as in real ingests, plus a growing pool
of minted companies, people and organisations that recur across documents; popular statements
(the EU and Japan cooperating on semiconductors) are reported by many documents and so share one
node, as real statements do (deterministic IRIs from entente.ontology.iris).

The graphs conform to the shipped shapes: a store built here validates with warnings only
(minted entities without a Wikidata link, a few low-confidence evidence nodes).

    generate(n_triples, seed=0)          -> (document graph IRI, rdflib Graph) pairs, ~n triples
    build_store(path, n_triples, seed=0) -> an OxigraphStore holding the reference graphs plus
                                            documents, ~n_triples distinct accepted triples

build_store writes the documents with pyoxigraph's bulk loader (N-Quads, named graph and default
graph mirror at once), which is an order of magnitude faster than one transaction per document;
the store it leaves is an ordinary entente store (same layout, same default-graph invariant).

    .venv/bin/python bench/synth.py STORE_DIR 1000000     # build a 1M-triple store
"""

from __future__ import annotations

import hashlib
import io
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox
from entente.ingest.extract.registry import statement_iri
from entente.ontology import iris
from entente.ontology.classes import policy_classes
from entente.ontology.vocab import ENT, ID_BASE, SCHEMA
from entente.service.store.oxigraph import OxigraphStore
from rdflib import Graph

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS_ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"
SKOS_CONCEPT = "<http://www.w3.org/2004/02/skos/core#Concept>"
DCT = "http://purl.org/dc/terms/"
PROV_AT = "<http://www.w3.org/ns/prov#generatedAtTime>"
XSD = "http://www.w3.org/2001/XMLSchema#"


@cache
def _e(name: str) -> str:
    return f"<{ENT[name]}>"  # ENT is closed: a typo raises


@cache
def _s(name: str) -> str:
    return f"<{SCHEMA[name]}>"


def _lit(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{XSD}{datatype}>'
    return f'"{escaped}"'


# --- the entities documents talk about -------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    iri: str
    type: str  # ent: class local name
    label: str
    minted: bool  # True: the document writes its type and label (not in the gazetteer)


ACTOR_TYPES = (
    "State",
    "Bloc",
    "GovernmentBody",
    "Company",
    "ResearchOrganization",
    "OtherOrganization",
    "Person",
)


@lru_cache(maxsize=1)
def gazetteer_entities() -> dict[str, tuple[Entity, ...]]:
    """Typed, labelled entities of the shipped gazetteer and technology scheme, by type."""
    by_type: dict[str, list[Entity]] = {}
    labels: dict[str, str] = {}
    types: dict[str, str] = {}
    ent_ns = str(ENT._NS)
    for name in ("gazetteer.ttl", "technologies.ttl"):
        data = files("entente.ontology").joinpath(name).read_bytes()
        for triple in ox.parse(data, format=ox.RdfFormat.TURTLE):
            s = triple.subject
            if not isinstance(s, ox.NamedNode) or not s.value.startswith(ID_BASE):
                continue
            p, o = triple.predicate.value, triple.object
            if p.endswith("#type") and isinstance(o, ox.NamedNode) and o.value.startswith(ent_ns):
                kind = o.value[len(ent_ns) :]
                if kind in (*ACTOR_TYPES, "Technology", "Place"):
                    types[s.value] = kind
            elif p.endswith("#label") and isinstance(o, ox.Literal):
                labels[s.value] = o.value
    for iri, kind in sorted(types.items()):
        if iri in labels:
            by_type.setdefault(kind, []).append(Entity(iri, kind, labels[iri], minted=False))
    return {k: tuple(v) for k, v in by_type.items()}


_PREFIXES = ("Nordic", "Baltic", "Pacific", "Alpine", "Atlas", "Delta", "Helix", "Lumen", "Vertex")
_SUFFIXES = ("Photonics", "Semiconductor", "Quantum", "Robotics", "Systems", "Microdevices")
_FORMS = ("AB", "GmbH", "Ltd", "Inc", "SA", "KK")
_GIVEN = ("Anna", "Lars", "Mei", "Kenji", "Sofia", "Pieter", "Amira", "Jonas", "Elena", "Hiro")
_FAMILY = ("Lindqvist", "Tanaka", "Verhoeven", "Okafor", "Moreau", "Schmidt", "Park", "Novak")
_INSTITUTES = ("Institute for Advanced Materials", "Centre for Chip Design", "AI Safety Lab")


def minted_entity(n: int) -> Entity:
    """The n-th minted entity: deterministic, so every document that names it writes the same
    type and label (as the real linker does for a name it mints)."""
    kind = ("Company", "Company", "Company", "Person", "Person", "ResearchOrganization")[n % 6]
    if kind == "Company":
        label = (
            f"{_PREFIXES[n % 9]} {_SUFFIXES[(n // 9) % 6]} {_FORMS[(n // 54) % 6]} {n // 324 or ''}"
        ).strip()
    elif kind == "Person":
        label = f"{_GIVEN[n % 10]} {_FAMILY[(n // 10) % 8]}" + (f" {n // 80}" if n >= 80 else "")
    else:
        label = f"{_PREFIXES[n % 9]} {_INSTITUTES[(n // 9) % 3]}" + (
            f" {n // 27}" if n >= 27 else ""
        )
    return Entity(str(iris.entity_iri(kind, label)), kind, label, minted=True)


# Types cycle every six minted indices (see minted_entity): the first index of each kind.
_MINTED_OFFSET = {"Company": 0, "Person": 3, "ResearchOrganization": 5}


# --- statements ------------------------------------------------------------------------------

AGREEMENT_KINDS = (
    "Agreement",
    "DigitalPartnershipCouncil",
    "JointStatement",
    "TradeAndTechnologyCouncil",
    "CooperationFramework",
    "MemorandumOfUnderstanding",
)
POLICY_KINDS = policy_classes()
STATUSES = ("Planned", "Announced", "Established", "Signed", "InForce", "Proposed", "Agreed")
CURRENCIES = (("USD", "$"), ("EUR", "€"), ("JPY", "yen "), ("SEK", "SEK "), ("KRW", "won "))
# (family, weight): roughly the mix the extractor produces on news about technology geopolitics.
FAMILIES = (
    ("Cooperation", 25),
    ("Agreement", 10),
    ("Meeting", 8),
    ("Policy", 25),
    ("Dependency", 7),
    ("Acquisition", 7),
    ("Support", 8),
    ("Position", 6),
    ("Pressure", 4),
)


@dataclass
class _Statement:
    type: str
    roles: dict[str, tuple[str, ...]]
    values: list[tuple[str, str]]  # (predicate N-Triples term, object term)
    sentence: str
    figures: list[tuple[str, str]]  # (amount, currency code)


class _World:
    """Chooses entities with a skewed popularity (a few actors are in most stories)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        gaz = gazetteer_entities()
        self.states = gaz.get("State", ())
        self.blocs = gaz.get("Bloc", ())
        self.bodies = gaz.get("GovernmentBody", ())
        self.companies = gaz.get("Company", ())
        self.people = gaz.get("Person", ())
        self.research = gaz.get("ResearchOrganization", ())
        self.technologies = gaz.get("Technology", ())
        self.places = gaz.get("Place", ())
        self.minted: dict[str, int] = {}  # minted entities of each kind so far

    def pick(self, pool: tuple[Entity, ...]) -> Entity:
        # Pareto-like: index ~ floor(len * u^3) favours the first (alphabetical) entries.
        return pool[int(len(pool) * self.rng.random() ** 3)]

    def actor(self) -> Entity:
        r = self.rng.random()
        if r < 0.45:
            return self.pick(self.states)
        if r < 0.6:
            return self.pick(self.blocs)
        if r < 0.7:
            return self.pick(self.bodies)
        if r < 0.85:
            return self.company()
        return self.pick(self.research) if r < 0.92 else self.new_entity("Company")

    def company(self) -> Entity:
        return self.pick(self.companies) if self.rng.random() < 0.6 else self.new_entity("Company")

    def person(self) -> Entity:
        return self.pick(self.people) if self.rng.random() < 0.5 else self.new_entity("Person")

    def new_entity(self, kind: str) -> Entity:
        """A minted entity of `kind`: mostly one seen before (skewed towards the first minted),
        sometimes a new one, so the pool of minted names grows with the corpus."""
        offset = _MINTED_OFFSET[kind]
        seen = self.minted.get(kind, 0)
        if seen == 0 or self.rng.random() < 0.3:
            seen = self.minted[kind] = seen + 1
        k = int(seen * self.rng.random() ** 2)
        return minted_entity(6 * k + offset)

    def two_actors(self) -> tuple[Entity, Entity]:
        a = self.actor()
        b = self.actor()
        while b.iri == a.iri:
            b = self.actor()
        return a, b

    def statement(self) -> tuple[_Statement, list[Entity]]:
        rng = self.rng
        family = rng.choices([f for f, _ in FAMILIES], weights=[w for _, w in FAMILIES])[0]
        roles: dict[str, tuple[str, ...]]
        tech = self.pick(self.technologies)
        status = (_e("status"), _e(rng.choice(STATUSES)))
        if family == "Cooperation":
            a, b = self.two_actors()
            roles = {"party": (a.iri, b.iri), "technology": (tech.iri,)}
            sentence = f"{a.label} and {b.label} agreed to deepen cooperation on {tech.label}."
            return _Statement("Cooperation", roles, [], sentence, []), [a, b, tech]
        if family == "Agreement":
            a, b = self.two_actors()
            kind = rng.choice(AGREEMENT_KINDS)
            roles = {"party": (a.iri, b.iri), "technology": (tech.iri,)}
            sentence = f"{a.label} and {b.label} signed a {kind} covering {tech.label}."
            return _Statement(kind, roles, [status], sentence, []), [a, b, tech]
        if family == "Meeting":
            a, b = self.two_actors()
            place = self.pick(self.places)
            roles = {"participant": (a.iri, b.iri), "location": (place.iri,)}
            sentence = f"Officials of {a.label} and {b.label} met in {place.label} on Monday."
            return _Statement("Meeting", roles, [], sentence, []), [a, b, place]
        if family == "Policy":
            kind = rng.choice(POLICY_KINDS)
            actor, target = self.two_actors()
            roles = {"actor": (actor.iri,), "technology": (tech.iri,)}
            named = [actor, tech]
            if rng.random() < 0.6:
                roles["target"] = (target.iri,)
                named.append(target)
            values = [status]
            if rng.random() < 0.3:
                day = date(2022, 1, 1) + timedelta(days=rng.randrange(900))
                values.append((_e("date"), _lit(day.isoformat(), datatype="date")))
            aimed = f" aimed at {target.label}" if "target" in roles else ""
            sentence = f"{actor.label} announced a {kind} on {tech.label}{aimed}."
            return _Statement(kind, roles, values, sentence, []), named
        if family == "Dependency":
            a, b = self.two_actors()
            roles = {"dependent": (a.iri,), "dependsOn": (b.iri,), "technology": (tech.iri,)}
            sentence = f"{a.label} remains heavily dependent on {b.label} for {tech.label}."
            return _Statement("Dependency", roles, [], sentence, []), [a, b, tech]
        if family == "Acquisition":
            buyer, bought = self.company(), self.company()
            while bought.iri == buyer.iri:
                bought = self.company()
            code, sign = rng.choice(CURRENCIES)
            amount = f"{rng.randrange(1, 999)}{rng.choice(('000000', '500000000', '000000000'))}.0"
            roles = {"acquirer": (buyer.iri,), "acquired": (bought.iri,)}
            values = [
                status,
                (_e("amount"), _lit(amount, datatype="decimal")),
                (_e("currency"), _lit(code)),
            ]
            sentence = f"{buyer.label} agreed to buy {bought.label} for {sign}{amount[:-2]}."
            return (
                _Statement("Acquisition", roles, values, sentence, [(amount, code)]),
                [buyer, bought],
            )
        if family == "Support":
            a, b = self.two_actors()
            roles = {"supporter": (a.iri,), "beneficiary": (b.iri,)}
            sentence = f"{a.label} pledged funding to {b.label} for {tech.label} research."
            return _Statement("Support", roles, [], sentence, []), [a, b, tech]
        if family == "Position":
            holder = self.person()
            org = self.pick(self.bodies) if rng.random() < 0.6 else self.company()
            title = rng.choice(("minister", "chief executive", "commissioner", "director"))
            roles = {"holder": (holder.iri,), "organization": (org.iri,)}
            values = [(_e("title"), _lit(title))]
            sentence = f"{holder.label}, {title} of {org.label}, said the plan was on track."
            return _Statement("Position", roles, values, sentence, []), [holder, org]
        a, b = self.two_actors()
        roles = {"actor": (a.iri,), "target": (b.iri,)}
        aim = rng.choice(("restrict chip exports", "open its market", "drop the tariffs"))
        values = [(_e("aim"), _lit(aim))]
        sentence = f"{a.label} urged {b.label} to {aim}."
        return _Statement("Pressure", roles, values, sentence, []), [a, b]


# --- documents -------------------------------------------------------------------------------


def _document(world: _World, index: int) -> tuple[str, list[str]]:
    """One document's graph IRI and its N-Triples lines (no duplicates)."""
    rng = world.rng
    statements = [world.statement() for _ in range(rng.randint(6, 16))]
    sentences = [s.sentence for s, _ in statements]
    filler = (
        "The announcement follows months of talks.",
        "Analysts expect further steps next year.",
        "Industry groups welcomed the move.",
    )
    body: list[str] = []
    offsets: list[tuple[int, int]] = []
    position = 0
    for n, sentence in enumerate(sentences):
        if n % 3 == 2:
            extra = filler[n % 3] + " "
            body.append(extra)
            position += len(extra)
        offsets.append((position, position + len(sentence)))
        body.append(sentence + " ")
        position += len(sentence) + 1
    text = "".join(body).strip() + f" (report {index})"
    raw = text + "\n\nMore from this author\nSubscribe to our newsletter"
    sha = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    graph = str(iris.document_graph(sha))
    doc = f"<{iris.document_iri(sha)}>"
    published = date(2021, 1, 1) + timedelta(days=rng.randrange(1400))
    lang = "en" if rng.random() < 0.85 else "sv"
    title = f"{statements[0][0].sentence.split(' ', 3)[-1].rstrip('.')} ({index})"
    lines = [
        f"{doc} {RDF_TYPE} {_e('Document')}",
        f"{doc} <{DCT}title> {_lit(title)}",
        f"{doc} <{DCT}language> {_lit(lang)}",
        f"{doc} {_s('url')} <https://news.example.org/{published.year}/story-{index}>",
        f"{doc} {_s('datePublished')} {_lit(published.isoformat(), datatype='date')}",
        f"{doc} {_e('sha256')} {_lit(sha)}",
        f"{doc} {PROV_AT} {_lit(published.isoformat() + 'T12:00:00+00:00', datatype='dateTime')}",
        f"{doc} {_e('text')} {_lit(text)}",
        f"{doc} {_e('rawText')} {_lit(raw)}",
    ]
    mentioned: dict[str, Entity] = {}
    for (statement, named), (start, end) in zip(statements, offsets, strict=True):
        for entity in named:
            mentioned[entity.iri] = entity
        node = f"<{statement_iri(statement.type, statement.roles)}>"
        lines.append(f"{node} {RDF_TYPE} {_e(statement.type)}")
        for role, values in statement.roles.items():
            for value in values:
                lines.append(f"{node} {_e(role)} <{value}>")
        for predicate, term in statement.values:
            lines.append(f"{node} {predicate} {term}")
        for amount, code in statement.figures:
            key = f"{Decimal(amount).normalize():f}|{code}"  # as entente.ingest.map names figures
            figure = f"<{ID_BASE}amount/{hashlib.sha256(key.encode()).hexdigest()[:16]}>"
            lines.append(f"{node} {_e('statedAmount')} {figure}")
            lines.append(f"{figure} {RDF_TYPE} {_s('MonetaryAmount')}")
            lines.append(f"{figure} {_s('value')} {_lit(amount, datatype='decimal')}")
            lines.append(f"{figure} {_s('currency')} {_lit(code)}")
        evidence = f"<{iris.evidence_iri(node[1:-1], sha, start, end)}>"
        confidence = rng.choice(("0.95", "0.9", "0.85", "0.8", "0.7", "0.6", "0.45", "0.25"))
        extractor = f"entente.extract.{statement.type.lower()}/0.3.0"
        lines += [
            f"{node} {_e('evidence')} {evidence}",
            f"{evidence} {RDF_TYPE} {_e('Evidence')}",
            f"{evidence} {_e('document')} {doc}",
            f"{evidence} {_e('sentence')} {_lit(statement.sentence)}",
            f"{evidence} {_e('charStart')} {_lit(str(start), datatype='integer')}",
            f"{evidence} {_e('charEnd')} {_lit(str(end), datatype='integer')}",
            f"{evidence} {_e('confidence')} {_lit(confidence, datatype='decimal')}",
            f"{evidence} {_e('extractor')} {_lit(extractor)}",
        ]
    for entity in mentioned.values():
        lines.append(f"{doc} {_e('mentions')} <{entity.iri}>")
        if entity.minted:
            lines.append(f"<{entity.iri}> {RDF_TYPE} {_e(entity.type)}")
            lines.append(f"<{entity.iri}> {RDFS_LABEL} {_lit(entity.label, lang='en')}")
            if entity.type == "Company" and rng.random() < 0.3:
                short = entity.label.rsplit(" ", 1)[0]
                lines.append(f"<{entity.iri}> {SKOS_ALT} {_lit(short, lang=lang)}")
    return graph, list(dict.fromkeys(lines))


def document_lines(
    n_triples: int, *, seed: int = 0, distinct: bool = False
) -> Iterator[tuple[str, list[str]]]:
    """(graph IRI, N-Triples lines without the final ' .') per document, until about n_triples
    triples have been produced (the last document may overshoot by one document's worth).
    Documents share triples (a popular statement's type and roles, a minted entity's label):
    with distinct=True the count is of distinct triples, i.e. of the merged default graph."""
    world = _World(random.Random(seed))
    seen: set[int] = set()
    produced = 0
    index = 0
    while produced < n_triples:
        graph, lines = _document(world, index)
        if distinct:
            before = len(seen)
            seen.update(hash(line) for line in lines)
            produced += len(seen) - before
        else:
            produced += len(lines)
        index += 1
        yield graph, lines


def generate(n_triples: int, *, seed: int = 0) -> Iterator[tuple[str, Graph]]:
    """Document graphs totalling about n_triples triples, as (graph IRI, rdflib Graph)."""
    from entente.service.store.terms import to_rdflib
    from rdflib import URIRef

    for graph, lines in document_lines(n_triples, seed=seed):
        g = Graph(identifier=URIRef(graph))
        data = (" .\n".join(lines) + " .\n").encode("utf-8")
        # pyoxigraph's parser is about twice as fast as rdflib's N-Triples parser.
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        yield graph, g


def build_store(path: Path | None, n_triples: int, *, seed: int = 0) -> OxigraphStore:
    """An entente store at `path` (None: in memory) with the reference graphs and synthetic
    documents, about n_triples accepted triples in all. `path` must be new or empty."""
    from entente.service.store.bootstrap import ensure_reference_graphs

    store = OxigraphStore(path)
    ensure_reference_graphs(store)
    remaining = n_triples - store.stats().triples
    if path is not None:
        store.close()  # the bulk loader needs the database to itself
        engine = ox.Store(str(path / "accepted"))
    else:
        engine = store._accepted  # the in-memory engine, for small bench stores
        assert engine is not None
    if remaining > 0:
        stream = cast(IO[bytes], _Stream(_nquads(remaining, seed)))
        engine.bulk_load(stream, format=ox.RdfFormat.N_QUADS)
    if path is not None:
        del engine
        store = OxigraphStore(path)
    return store


def _nquads(n_triples: int, seed: int) -> Iterator[bytes]:
    """N-Quads for the documents: each triple in its document graph and in the default graph
    (entente keeps the default graph equal to the merge of the named graphs)."""
    for graph, lines in document_lines(n_triples, seed=seed, distinct=True):
        chunk = [f"{line} <{graph}> .\n{line} .\n" for line in lines]
        yield "".join(chunk).encode("utf-8")


class _Stream(io.RawIOBase):
    """A read-only binary stream over an iterator of chunks: the bulk loader parses while the
    generator writes, so a 1M-triple load never holds its N-Quads text in memory."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: bench/synth.py STORE_DIR N_TRIPLES", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with build_store(Path(argv[0]), int(argv[1])) as store:
        stats = store.stats()
    elapsed = time.perf_counter() - started
    print(f"{stats.triples:,} triples in {stats.documents:,} documents, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
