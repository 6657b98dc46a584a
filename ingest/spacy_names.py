"""Names shared by entente's spaCy components: the component names (registered with a version
suffix, so a changed behaviour gets a new name) and the span ids by which one component tells
a later one where a span came from. The components live in nlp.py (ruler, compound linker,
sentence breaks, lemma case) and link/linker.py (the linker); both read these names here.
"""

from __future__ import annotations

RULER = "entente_gazetteer_ruler"
COMPOUNDS = "entente_compound_linker"
LINKER = "entente_linker"
LEMMA_CASE = "entente_lemma_case"
# Sentence starts at line breaks and run-together headlines, set before the parser so that a
# headline is never parsed as part of the lede (headlines yield mentions, not facts).
BREAKS = "entente_breaks"
# Marks a ruler span that is a class epithet ('the bloc'): the linker resolves it in context.
EPITHET_ID = "entente:epithet"
# Marks a span the compound linker made, so the linker knows it came from a word part.
COMPOUND_ID = "entente:compound"
# Doc extension the linker fills with every linked entity IRI; the extractor reads it back.
ENTITIES_ATTR = "entente_entities"
