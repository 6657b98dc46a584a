"""The `ent:` vocabulary as a closed namespace, plus the IRI bases the project mints under.

`ENT.Cooperaton` (a typo) raises AttributeError instead of silently minting a new term.
tests/ontology/test_vocab_in_step.py keeps this class equal to what ontology/entente.ttl declares.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/entente/ontology"
ID_BASE = "https://w3id.org/entente/id/"
GRAPH_BASE = "https://w3id.org/entente/graph/"

ID = Namespace(ID_BASE)
GRAPH = Namespace(GRAPH_BASE)
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = Namespace("https://schema.org/")


class ENT(DefinedNamespace):
    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Actors and things
    Actor: URIRef
    Person: URIRef
    State: URIRef
    Bloc: URIRef
    GovernmentBody: URIRef
    Company: URIRef
    ResearchOrganization: URIRef
    OtherOrganization: URIRef
    Technology: URIRef
    Place: URIRef
    TechnologyScheme: URIRef
    PolicyTypeScheme: URIRef

    # Statements
    Statement: URIRef
    Cooperation: URIRef
    Agreement: URIRef
    DigitalPartnershipCouncil: URIRef
    JointStatement: URIRef
    TradeAndTechnologyCouncil: URIRef
    CooperationFramework: URIRef
    MemorandumOfUnderstanding: URIRef
    Meeting: URIRef
    Policy: URIRef
    ExportControl: URIRef
    DeRisking: URIRef
    Decoupling: URIRef
    AIRegulation: URIRef
    Subsidy: URIRef
    IndustrialPolicy: URIRef
    SupplyChainSecurity: URIRef
    Onshoring: URIRef
    InvestmentScreening: URIRef
    Dependency: URIRef
    Acquisition: URIRef
    Support: URIRef
    Position: URIRef
    Pressure: URIRef

    # Provenance
    Evidence: URIRef
    Document: URIRef

    # Statuses (individuals of ent:Status)
    Status: URIRef
    Planned: URIRef
    Announced: URIRef
    Established: URIRef
    Signed: URIRef
    InForce: URIRef
    Proposed: URIRef
    Agreed: URIRef
    Completed: URIRef

    # Statement roles
    party: URIRef
    technology: URIRef
    status: URIRef
    participant: URIRef
    location: URIRef
    actor: URIRef
    target: URIRef
    dependent: URIRef
    dependsOn: URIRef
    acquirer: URIRef
    acquired: URIRef
    amount: URIRef
    currency: URIRef
    supporter: URIRef
    beneficiary: URIRef
    holder: URIRef
    title: URIRef
    organization: URIRef
    aim: URIRef
    date: URIRef
    statedAmount: URIRef  # each (amount, currency) figure stated, as a schema:MonetaryAmount

    # Evidence
    evidence: URIRef
    document: URIRef
    sentence: URIRef
    charStart: URIRef
    charEnd: URIRef
    confidence: URIRef
    extractor: URIRef

    # Corroboration (docs/corroboration.md): counts per statement, relations between documents
    sourceCount: URIRef
    independentSourceCount: URIRef
    derivedFrom: URIRef
    translationOf: URIRef
    DocumentDerivation: URIRef
    similarity: URIRef
    detectionMethod: URIRef
    minhashSignature: URIRef
    lshBand: URIRef

    # Document
    sha256: URIRef
    duplicateOf: URIRef
    mentions: URIRef
    text: URIRef
    rawText: URIRef
    replaces: URIRef
    sourcePath: URIRef

    # Gazetteer helpers (data that drives linking; see ontology/gazetteer.ttl)
    capitalOf: URIRef  # a Place that, used as an actor, stands for this State (or Bloc)
    epithet: URIRef  # a conventional epithet ("the bloc"), on an entity or on a class
    compoundForm: URIRef  # a compound-initial stem ("halvledar"@sv) that links a compound word
    policyClass: URIRef  # on a policy-type concept: the ent:Policy subclass it stands for
