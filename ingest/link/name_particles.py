"""Lowercase particles that open a family name ('Ursula von der Leyen' -> 'von der Leyen',
'Charles de Gaulle', 'Karl van der Berg'): Dutch, German, French, Italian, Spanish and
Portuguese names carry them. Inside a name they are part of it; after the given name they
start the surname a later mention repeats ('Von der Leyen said')."""

from __future__ import annotations

NAME_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "du", "des", "di", "da", "dos", "das", "del", "la", "le"}
    | {"ten", "ter", "zu", "vom", "zum", "d'", "d’"}
)
