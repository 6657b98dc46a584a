"""The HTML page a browser gets for an IRI under /id/: plain, correct and self-contained (no
scripts, no external styles or fonts). Everything taken from the data is HTML-escaped, and only
http(s) IRIs become links, so a label or an IRI cannot inject markup or a `javascript:` link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from html import escape

from entente.ontology.vocab import ENT, ID_BASE, SCHEMA
from entente.service.query.iri_description import Description, best_label
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS
from rdflib.term import Node

Linker = Callable[[str], str | None]

WIKIDATA = "http://www.wikidata.org/entity/"
LONG_TEXT = 400  # characters of a literal shown in the properties table

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 58rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d1d1f; }
header, footer { color: #555; font-size: .9rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
.kind { color: #555; margin-top: 0; } code { font-size: .85rem; word-break: break-all; }
.statement { margin: 1rem 0; padding: .5rem 1rem; border-left: 3px solid #bbb; }
blockquote { margin: .4rem 0; font-style: italic; }
.source { font-size: .9rem; color: #444; margin: 0 0 .6rem; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; vertical-align: top;
       padding: .25rem .5rem; border-bottom: 1px solid #eee; }
.lang { color: #777; font-size: .8rem; }
"""

_KIND_NAMES = {
    "entity": "entity",
    "statement": "statement",
    "evidence": "evidence",
    "document": "document",
}


# Shown apart from the roles: the evidence below a statement, its source counts above it.
_NOT_ROLES = (RDF.type, ENT.evidence, ENT.sourceCount, ENT.independentSourceCount)


def render(description: Description, *, link: Linker, formats: Iterable[tuple[str, str]]) -> str:
    page = _Page(description, link)
    return page.render(list(formats))


class _Page:
    def __init__(self, d: Description, link: Linker) -> None:
        self.d = d
        self.g = d.graph
        self.terms = d.term_labels
        self.link = link

    # --- pieces ---------------------------------------------------------------------------------

    def label(self, node: Node) -> str:
        """A node's label, from the description or from the term labels."""
        for graph in (self.g, self.terms):
            found = best_label(graph, node, fallback=False)
            if found:
                return found
        if isinstance(node, URIRef):
            title = best_label_of_document(self.g, node)
            if title:
                return title
        return best_label(self.g, node) or str(node)

    def term(self, node: Node) -> str:
        """A node as HTML: a link with its label for an IRI, escaped text for a literal."""
        if isinstance(node, Literal):
            text = str(node)
            if len(text) > LONG_TEXT:
                text = text[:LONG_TEXT] + f"… ({len(str(node)):,} characters)"
            lang = f' <span class="lang">@{escape(node.language)}</span>' if node.language else ""
            return escape(text) + lang
        if isinstance(node, URIRef):
            href = self.link(str(node))
            label = escape(self.label(node))
            if href is None:
                return label
            return f'<a href="{escape(href, quote=True)}">{label}</a>'
        return escape(str(node))

    def values(self, subject: Node, predicate: Node) -> list[Node]:
        return sorted(self.g.objects(subject, predicate), key=lambda n: (self.label(n), str(n)))

    # --- the page -------------------------------------------------------------------------------

    def render(self, formats: list[tuple[str, str]]) -> str:
        d = self.d
        title = self.title()
        types = [t for t in self.values(d.iri, RDF.type) if t != SKOS.Concept]
        kind = ", ".join(escape(self.label(t)) for t in types) or _KIND_NAMES[d.kind]
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)} · entente</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            '<header><a href="/sparql">entente</a> · linked data</header>',
            "<main>",
            f"<h1>{escape(title)}</h1>",
            f'<p class="kind">{kind}</p>',
            f"<p><code>{escape(str(d.iri))}</code></p>",
        ]
        parts += self.names()
        parts += self.document_section()
        parts += self.statements_section()
        parts += self.mentions_section()
        parts += self.properties_section()
        alternates = " · ".join(
            f'<a href="{escape(href, quote=True)}">{escape(name)}</a>' for name, href in formats
        )
        parts += [
            "</main>",
            f"<footer><p>This description as {alternates}.</p></footer>",
            "</body>",
            "</html>",
        ]
        return "\n".join(parts) + "\n"

    def title(self) -> str:
        d = self.d
        if d.kind == "document":
            return best_label_of_document(self.g, d.iri) or "Document"
        if d.kind == "statement":
            types = self.values(d.iri, RDF.type)
            what = self.label(types[0]) if types else "statement"
            return f"{what[:1].upper()}{what[1:]} statement"
        if d.kind == "evidence":
            return "Evidence"
        return self.label(d.iri)

    def names(self) -> list[str]:
        d = self.d
        out: list[str] = []
        aliases = self.values(d.iri, SKOS.altLabel)
        if aliases:
            items = "".join(f"<li>{self.term(a)}</li>" for a in aliases)
            out += ["<h2>Also known as</h2>", f"<ul>{items}</ul>"]
        same = [o for o in self.values(d.iri, OWL.sameAs) if str(o).startswith(WIKIDATA)]
        if same:
            items = "".join(
                f'<li>Wikidata: <a href="{escape(str(o), quote=True)}">'
                f"{escape(str(o)[len(WIKIDATA) :])}</a></li>"
                for o in same
            )
            out += ["<h2>Identifiers</h2>", f"<ul>{items}</ul>"]
        return out

    def document_section(self) -> list[str]:
        d = self.d
        if d.kind != "document":
            return []
        rows = []
        for name, predicate in (
            ("Title", DCTERMS.title),
            ("URL", SCHEMA.url),
            ("Published", SCHEMA.datePublished),
            ("Language", DCTERMS.language),
            ("sha256", ENT.sha256),
        ):
            for value in self.values(d.iri, predicate):
                rows.append(f"<tr><th>{name}</th><td>{self.term(value)}</td></tr>")
        return ["<h2>Document</h2>", f"<table>{''.join(rows)}</table>"] if rows else []

    def statements_section(self) -> list[str]:
        d = self.d
        if not d.statements:
            return []
        groups: dict[str, list[URIRef]] = defaultdict(list)
        for statement in d.statements:
            types = self.values(statement, RDF.type)
            groups[self.label(types[0]) if types else "statement"].append(statement)
        heading = "Statement" if d.kind == "statement" else "Statements"
        out = [f"<h2>{heading}</h2>"]
        if d.truncated:
            out.append("<p>Only the first statements are shown; ask /sparql for all of them.</p>")
        for group in sorted(groups):
            members = groups[group]
            if d.kind != "statement":
                out.append(f"<h3>{escape(group[:1].upper() + group[1:])} ({len(members)})</h3>")
            out += [self.statement(s) for s in members]
        return out

    def statement(self, statement: URIRef) -> str:
        roles = []
        for predicate in sorted(
            {p for p in self.g.predicates(statement) if p not in _NOT_ROLES},
            key=lambda p: self.label(p),
        ):
            values = ", ".join(self.term(v) for v in self.values(statement, predicate))
            roles.append(f"{escape(self.label(predicate))}: {values}")
        href = self.link(str(statement))
        head = ""
        if href is not None and statement != self.d.iri:
            head = f' <small>(<a href="{escape(href, quote=True)}">statement</a>)</small>'
        parts = ['<div class="statement">', f"<p>{'; '.join(roles) or 'no roles'}{head}</p>"]
        parts += self.source_counts(statement)
        for evidence in self.values(statement, ENT.evidence):
            parts.append(self.evidence(evidence))
        parts.append("</div>")
        return "\n".join(parts)

    def source_counts(self, statement: URIRef) -> list[str]:
        """'4 sources, 2 independent' (docs/corroboration.md), when the counts are known."""
        total = self.values(statement, ENT.sourceCount)
        independent = self.values(statement, ENT.independentSourceCount)
        if not total:
            return []
        text = f"{escape(str(total[0]))} source(s)"
        if independent:
            text += f", {escape(str(independent[0]))} independent"
        return [f'<p class="sources">{text}</p>']

    def evidence(self, evidence: Node) -> str:
        sentences = self.values(evidence, ENT.sentence)
        quote = "".join(f"<blockquote>{self.term(s)}</blockquote>" for s in sentences)
        sources = []
        for doc in self.values(evidence, ENT.document):
            text = self.term(doc)
            for url in self.values(doc, SCHEMA.url):
                href = self.link(str(url))
                if href is not None:
                    text += f' (<a href="{escape(href, quote=True)}">source</a>)'
            for date in self.values(doc, SCHEMA.datePublished):
                text += f", {escape(str(date))}"
            sources.append(text)
        details = []
        for name, predicate in (("confidence", ENT.confidence), ("extractor", ENT.extractor)):
            details += [f"{name} {escape(str(v))}" for v in self.values(evidence, predicate)]
        evidence_link = self.link(str(evidence))
        if evidence_link is not None and evidence != self.d.iri:
            details.append(f'<a href="{escape(evidence_link, quote=True)}">evidence</a>')
        source = f"— {'; '.join(sources)}" if sources else ""
        return f'{quote}<p class="source">{source} <small>{" · ".join(details)}</small></p>'

    def mentions_section(self) -> list[str]:
        if not self.d.mentioned_in:
            return []
        items = "".join(f"<li>{self.term(doc)}</li>" for doc in self.d.mentioned_in)
        return ["<h2>Mentioned in</h2>", f"<ul>{items}</ul>"]

    def properties_section(self) -> list[str]:
        d = self.d
        rows = []
        for predicate in sorted(set(self.g.predicates(d.iri)), key=lambda p: self.label(p)):
            values = "<br>".join(self.term(v) for v in self.values(d.iri, predicate))
            rows.append(f"<tr><th>{escape(self.label(predicate))}</th><td>{values}</td></tr>")
        if not rows:
            return []
        return ["<h2>All properties</h2>", f"<table>{''.join(rows)}</table>"]


def best_label_of_document(graph: Graph, node: URIRef) -> str | None:
    for title in graph.objects(node, DCTERMS.title):
        return str(title)
    return None


def local_link(base: str) -> Linker:
    """Links for IRIs on a page served at `base` (this server's /id/ URL): entente's own IRIs
    point to this server, other http(s) IRIs to themselves, anything else is not a link."""

    def link(iri: str) -> str | None:
        if iri.startswith(ID_BASE):
            return base + iri[len(ID_BASE) :]
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    return link
