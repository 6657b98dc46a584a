"""The generated state names (ontology/territory-names.ttl) stay in step with their generator."""

from __future__ import annotations

from entente.ontology.gazetteer import Gazetteer
from entente.ontology.resources import gazetteer_path, territory_names_path
from entente.ontology.territory_names import generate, german_declensions, territory_codes


def test_shipped_file_is_what_the_generator_writes() -> None:
    gazetteer = Gazetteer.load([gazetteer_path()])
    assert territory_names_path().read_text(encoding="utf-8") == generate(gazetteer)


def test_every_state_of_the_gazetteer_has_a_territory() -> None:
    _, missing = territory_codes(Gazetteer.load([gazetteer_path()]))
    assert missing == []


def test_german_adjectival_names_are_declined() -> None:
    assert german_declensions("Vereinigte Staaten") == ["Vereinigten Staaten"]
    assert german_declensions("Vereinigtes Königreich") == ["Vereinigten Königreich"]
    assert german_declensions("Vereinigte Arabische Emirate") == [
        "Vereinigten Arabischen Emirate",
        "Vereinigten Arabischen Emiraten",
    ]
    assert german_declensions("Deutschland") == []
    assert german_declensions("Neuseeland") == []


def test_cldr_display_names_are_made_writable() -> None:
    from entente.ontology.territory_names import written_forms

    assert written_forms("Antigua & Barbuda", "en") == ["Antigua & Barbuda", "Antigua and Barbuda"]
    assert written_forms("Antigua & Barbuda", "sv") == ["Antigua & Barbuda", "Antigua och Barbuda"]
    assert written_forms("Myanmar (Burma)", "en") == ["Myanmar", "Burma"]
    assert written_forms("Congo - Kinshasa", "fr") == ["Congo-Kinshasa"]
    assert written_forms("St. Lucia", "en")[-1] == "Saint Lucia"


def test_dependencies_are_not_states() -> None:
    from entente.ontology.territory_names import other_states

    others = other_states({})
    assert "NA" in others and "KZ" in others
    assert not {"GL", "PR", "HK", "EU", "UN"} & set(others)
