"""Name variants, honorifics and the surface-form index: pure functions, no spaCy."""

import pytest

from kg.files import read_nicknames
from kg.names import (
    NICKNAME,
    PART,
    SHORT,
    WHOLE,
    build_index,
    honorific,
    normal_gender,
    strip_article,
    variants,
)
from kg.records import Character, FamilyTie


def test_variants_of_a_full_name_with_a_nickname() -> None:
    found = variants(Character("Ronald Bilius Weasley"), {"Ronald": ("Ron",)})
    assert found == {
        "Ronald Bilius Weasley": WHOLE,
        "Ronald Weasley": SHORT,
        "Ron Weasley": SHORT,
        "Ronald": PART,
        "Weasley": PART,
        "Ron": NICKNAME,
    }


def test_aliases_are_whole_forms_without_their_article() -> None:
    found = variants(Character("Silas Vane", aliases=("The Grey Captain", "the Boatman")), {})
    assert found["Grey Captain"] == WHOLE
    assert found["Boatman"] == WHOLE
    assert "The Grey Captain" not in found
    assert "Grey" not in found and "Captain" not in found  # aliases are not cut in parts


def test_forms_have_single_spaces_whatever_the_record_has() -> None:
    found = variants(Character("Silas  Vane", aliases=("The  Grey\nCaptain", "Sir  Silas")), {})
    assert found == {
        "Silas Vane": WHOLE,
        "Grey Captain": WHOLE,
        "Sir Silas": WHOLE,
        "Sir Silas Vane": WHOLE,
        "Silas": PART,
        "Vane": PART,
    }


def test_mc_mac_and_o_names_are_ordinary_surnames() -> None:
    for name, surname in [
        ("Minerva McGonagall", "McGonagall"),
        ("Fergus MacDougal", "MacDougal"),
        ("Siobhan O'Neill", "O'Neill"),
    ]:
        assert variants(Character(name), {})[surname] == PART


def test_particles_suffixes_and_initials() -> None:
    assert variants(Character("Ludwig van Beethoven"), {}) == {
        "Ludwig van Beethoven": WHOLE,
        "van Beethoven": PART,
        "Beethoven": PART,
        "Ludwig": PART,
    }
    junior = variants(Character("Josiah Hobb Jr."), {})
    assert junior["Josiah Hobb"] == SHORT
    assert "Jr." not in junior
    initials = variants(Character("J. Alfred Prufrock"), {})
    assert initials["Prufrock"] == PART
    assert "J." not in initials and "Alfred" not in initials


def test_a_name_with_an_honorific_gives_the_bare_surname_never_the_lone_honorific() -> None:
    found = variants(Character("Madam Malkin"), {})
    assert found == {"Madam Malkin": WHOLE, "Malkin": PART}
    index = build_index([Character("Madam Malkin")])
    assert "Madam" not in index.forms
    assert index.gender["Madam Malkin"] == "female"


def test_descriptive_names_are_not_cut_in_parts() -> None:
    assert set(variants(Character("The Fat Lady"), {})) == {"The Fat Lady", "Fat Lady"}
    helga = variants(Character("Helga of Hufflepuff"), {})
    assert "Hufflepuff" not in helga  # the house, not the person
    assert helga["Helga"] == PART


def test_quoted_nickname_inside_a_name() -> None:
    found = variants(Character('Alastor "Mad-Eye" Moody'), {})
    assert found["Mad-Eye"] == WHOLE
    assert found["Alastor Moody"] == SHORT
    assert found["Moody"] == PART


def test_titled_alias_joins_the_full_name() -> None:
    found = variants(Character("Bertram Hollis", aliases=("Sir Bertram",)), {})
    assert found["Sir Bertram"] == WHOLE
    assert found["Sir Bertram Hollis"] == WHOLE  # must win over "Sir Bertram" + "Hollis"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Mr.", "Mr"),
        ("Mr", "Mr"),
        ("MRS.", "Mrs"),
        ("Madam", "Madam"),
        ("PROFESSOR", "Professor"),
        ("Capt.", "Capt"),
        ("Uncle", "Uncle"),
        ("Captain.", None),
        ("madam", None),
        ("Will", None),
        ("Ashford", None),
    ],
)
def test_honorific(word: str, expected: str | None) -> None:
    assert honorific(word) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[("Female", "female"), ("f", "female"), ("woman", "female"), ("Male", "male")],
        *[("M", "male"), ("", None), (None, None), ("unknown", None)],
    ],
)
def test_normal_gender(value: str | None, expected: str | None) -> None:
    assert normal_gender(value) == expected


def test_strip_article() -> None:
    assert strip_article("The Dark Lord") == "Dark Lord"
    assert strip_article("Theodore") == "Theodore"
    assert strip_article("The") == "The"


def test_index_shares_surnames_and_keeps_only_the_strongest_owners() -> None:
    molly = Character("Molly Weasley", gender="female", family=(FamilyTie("Arthur", "husband"),))
    ron = Character("Ronald Weasley", gender="male", first_chapter=1)
    hedwig = Character("Hedwig", gender="female")
    hedwig_smith = Character("Hedwig Smith")
    index = build_index([molly, ron, hedwig, hedwig_smith], read_nicknames())
    assert index.forms["Weasley"].candidates == ("Molly Weasley", "Ronald Weasley")
    assert index.forms["Ron"].candidates == ("Ronald Weasley",)
    assert index.forms["Hedwig"].candidates == ("Hedwig",)  # a whole name beats a first name
    assert index.forms["Hedwig"].owners == (("Hedwig", WHOLE), ("Hedwig Smith", PART))
    assert index.married == {
        "Molly Weasley": True,
        "Ronald Weasley": None,  # unknown, not unmarried
        "Hedwig": None,
        "Hedwig Smith": None,
    }
    assert index.first_chapter["Ronald Weasley"] == 1
    assert "WEASLEY" not in index.forms
    capitals = build_index([ron], caps=True)
    assert capitals.forms["WEASLEY"].candidates == ("Ronald Weasley",)
    assert capitals.forms["RONALD WEASLEY"].owners == (("Ronald Weasley", WHOLE),)


def test_married_from_family_or_from_a_mrs_in_the_name() -> None:
    index = build_index(
        [Character("Mrs. Sedley"), Character("Miss Amelia Sedley"), Character("John Sedley")]
    )
    assert index.married == {
        "Mrs. Sedley": True,
        "Miss Amelia Sedley": False,
        "John Sedley": None,
    }
    # "Sedley" is the surname of all three; a bare name in a titled name is no stronger
    assert index.forms["Sedley"].candidates == ("John Sedley", "Miss Amelia Sedley", "Mrs. Sedley")
    assert index.gender["Mrs. Sedley"] == "female"


def test_shipped_nickname_table() -> None:
    table = read_nicknames()
    assert "Ron" in table["Ronald"]
    assert "Kit" in table["Christopher"]
    assert {"Will", "Bill"} <= set(table["William"])
