"""Finding a character by a name as people type it (the rule the curated queries share)."""

import pytest

from kg.errors import InputError
from kg.lookup import Known, find_character

CAST = [
    Known("Fitzwilliam Darcy", ("Darcy", "Mr. Darcy"), 0.2),
    Known("Elizabeth Bennet", ("Lizzy", "Eliza", "Miss Bennet"), 0.3),
    Known("Jane Bennet", ("Miss Bennet", "Jane"), 0.1),
    Known("Darcy", (), 0.01),  # a full name that is someone else's alias wins over the alias
]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Fitzwilliam Darcy", "Fitzwilliam Darcy"),
        ("  elizabeth BENNET ", "Elizabeth Bennet"),
        ("lizzy", "Elizabeth Bennet"),
        ("MR. DARCY", "Fitzwilliam Darcy"),
        ("darcy", "Darcy"),
        ("Miss Bennet", "Elizabeth Bennet"),  # shared alias: the more central character
    ],
)
def test_a_name_or_alias_in_any_case_finds_the_character(typed: str, found: str) -> None:
    assert find_character(typed, CAST) == found


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Darsy", "no character is called 'Darsy' (did you mean 'Fitzwilliam Darcy' or 'Darcy'?)"),
        (
            "bennet",
            "no character is called 'bennet' (did you mean 'Elizabeth Bennet' or 'Jane Bennet'?)",
        ),
        ("Wickham", "no character is called 'Wickham'"),
    ],
)
def test_no_match_names_the_nearest_characters(typed: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        find_character(typed, CAST)
    assert str(error.value) == message
