"""Gender and marriage inferred for a names-only character list, on text written for these tests."""

from kg.gender import infer
from kg.records import Character

STORY = """\
Mr. and Mrs. Marlowe kept the inn. Aunt Petunia Rudd came on Sunday, and Aunt Petunia
always brought cake.

Captain Brack came in from the rain. He shook his coat. Captain Brack sat by the fire and
he lit his pipe. Everyone knew Captain Brack; his ship was in the bay.

Nell Ashdown brought the soup. She smiled at the Captain.
"""


def _facts(characters: list[Character], text: str = STORY) -> dict[str, tuple[object, ...]]:
    return {
        c.name: (c.gender, c.gender_source, c.married, c.married_source)
        for c in infer(characters, text)
    }


def test_each_source_of_gender_in_order() -> None:
    characters = [
        Character("Owen Marlowe", gender="Male"),  # the list wins and is normalised
        Character("Mrs. Marlowe"),  # the title of the listed name
        Character("Petunia Rudd"),  # no gazetteer entry, but "Aunt Petunia" in the book
        Character("Nell Ashdown"),  # the first-name gazetteer
        Character("Captain Brack"),  # a title without gender: the pronouns that follow
        Character("Quentin"),  # one word, never in the book: unknown
    ]
    assert _facts(characters) == {
        "Owen Marlowe": ("male", "list", True, "inferred:couple"),
        "Mrs. Marlowe": ("female", "inferred:name-title", True, "inferred:name-title"),
        "Petunia Rudd": ("female", "inferred:book-title", None, None),
        "Nell Ashdown": ("female", "inferred:first-name", None, None),
        "Captain Brack": ("male", "inferred:pronouns", None, None),
        "Quentin": (None, None, None, None),
    }


def test_pronouns_need_several_agreeing_votes() -> None:
    once = "Dr. Brack came in. He sat down."
    assert _facts([Character("Dr. Brack")], once)["Dr. Brack"][0] is None
    twice = "Dr. Brack came in. He sat down. Dr. Brack rose; he left."
    assert _facts([Character("Dr. Brack")], twice)["Dr. Brack"][:2] == ("male", "inferred:pronouns")
    mixed = "Dr. Brack came; he sat. Dr. Brack rose; she left. Dr. Brack: he, he."
    assert _facts([Character("Dr. Brack")], mixed)["Dr. Brack"][0] is None


def test_one_pronoun_decides_a_first_name_given_to_both_genders() -> None:
    once = '"Leslie Crane? Is that his name?" asked the clerk.'
    assert _facts([Character("Leslie Crane")], once)["Leslie Crane"][:2] == (
        "male",
        "inferred:pronouns",
    )
    assert _facts([Character("Lowther Crane")], once)["Lowther Crane"][0] is None  # no first name
    assert _facts([Character("Nell Crane")], once)["Nell Crane"][:2] == (
        "female",
        "inferred:first-name",
    )


def test_a_pronoun_past_a_quotation_mark_is_the_speakers() -> None:
    text = "\u201cI see Leslie Crane is not coming,\u201d she said. " * 3
    assert _facts([Character("Leslie Crane")], text)["Leslie Crane"][0] is None
    straight = '"Leslie Crane is late," he said. ' * 3
    assert _facts([Character("Leslie Crane")], straight)["Leslie Crane"][0] is None
    told = "Leslie Crane is late, and he knows it. " * 3
    assert _facts([Character("Leslie Crane")], told)["Leslie Crane"][0] == "male"


def test_a_pronoun_after_another_name_or_paragraph_is_not_counted() -> None:
    text = "Dr. Brack met Nell Ashdown and she smiled.\n\nShe left. " * 4
    facts = _facts([Character("Dr. Brack"), Character("Nell Ashdown")], text)
    assert facts["Dr. Brack"][0] is None


def test_an_object_pronoun_or_a_name_after_a_preposition_says_nothing() -> None:
    assert _facts([Character("Dr. Brack")], "Dr. Brack sang to him. " * 3)["Dr. Brack"][0] is None
    father = "The father of Dr. Brack came in. He sat down. " * 3
    assert _facts([Character("Dr. Brack")], father)["Dr. Brack"][0] is None
    subject = "Dr. Brack came in. He sat down. " * 3
    assert _facts([Character("Dr. Brack")], subject)["Dr. Brack"][0] == "male"


def test_a_military_rank_is_a_man_unless_the_pronouns_say_otherwise() -> None:
    once = "Captain Brack came in. He sat down."
    assert _facts([Character("Captain Brack")], once)["Captain Brack"][:2] == (
        "male",
        "inferred:rank",
    )
    never = "Colonel Vane was expected."
    assert _facts([Character("Colonel Vane")], never)["Colonel Vane"][0] == "male"
    for short in ("Col. Vane", "Lieut. Vane", "Reverend Vane"):  # the rank's other forms
        assert _facts([Character(short)], f"{short} was expected.")[short][0] == "male"
    her = "Major Quill came; she sat. Major Quill rose; she left. Major Quill: he."
    assert _facts([Character("Major Quill")], her)["Major Quill"][0] is None
    assert _facts([Character("Dr. Brack")], once.replace("Captain", "Dr."))["Dr. Brack"][0] is None


def test_a_couple_gives_the_family_its_missing_man_and_marries_its_only_woman() -> None:
    characters = [Character("Mrs. Marlowe"), Character("Corin Marlowe")]
    # "Corin" is not in the gazetteer: the couple says the other Marlowe is the man
    facts = _facts(characters, "Mr. and Mrs. Marlowe kept the inn.")
    assert facts["Corin Marlowe"] == ("male", "inferred:couple", True, "inferred:couple")


def test_couples_one_after_another_and_only_after_a_word_boundary() -> None:
    characters = [Character("Mrs. Marlowe"), Character("Corin Marlowe"), Character("Mrs. Quarry")]
    characters.append(Character("Wystan Quarry"))
    facts = _facts(characters, "Mr. and Mrs. Quarry met Mr. and Mrs. Marlowe at the inn.")
    assert facts["Corin Marlowe"][1] == facts["Wystan Quarry"][1] == "inferred:couple"
    glued = _facts(characters, "Mr. and Mrs. Quarry met XMr. and Mrs. Marlowe at the inn.")
    assert glued["Corin Marlowe"][1] is None
    assert glued["Wystan Quarry"][1] == "inferred:couple"


def test_marriage_from_the_list_and_from_titles() -> None:
    characters = [
        Character("Lady Rudd"),
        Character("Miss Jane Rudd"),
        Character("Tom Rudd", married=False),
        Character("Ann Rudd", married=True, married_source="list"),
    ]
    facts = _facts(characters, "")
    assert [f[2:] for f in facts.values()] == [
        (True, "inferred:name-title"),  # a "Lady" is not a "Miss"
        (False, "inferred:name-title"),
        (False, "list"),
        (True, "list"),
    ]


def test_a_discovered_characters_gender_says_so() -> None:
    found = infer([Character("Mrs. Long", gender="female", discovered=True)], "")
    assert (found[0].gender, found[0].gender_source) == ("female", "discovery")


def test_the_mrs_of_a_family_is_the_woman_never_named_beside_her() -> None:
    text = (
        "Mrs. Quarry told Rose to sit. Rose sat, and Mrs. Quarry smiled. Hilda Quarry was "
        "her name before the war.\n\nMrs. Quarry gave Rose some bread. Then Mrs. Quarry "
        "and Rose went out. Mr. Quarry stayed in."
    )
    women = [Character("Hilda Quarry"), Character("Rose Quarry"), Character("Ned Quarry")]
    facts = _facts(women, text)
    assert facts["Hilda Quarry"][2:] == (True, "inferred:title-apart")
    assert facts["Rose Quarry"][2:] == (None, None)
    assert facts["Ned Quarry"][2:] == (None, None)  # the only man: nobody to tell apart
    few = text.split("\n\n")[0]  # two sentences with "Mrs. Quarry" are too few
    assert _facts(women, few)["Hilda Quarry"][2:] == (None, None)


def test_the_titles_of_the_aliases_give_a_gender_when_they_agree() -> None:
    # "Dorran" is no first name and the book never writes "Mr. Dorran": only the alias says
    characters = [
        Character("Fitz Dorran", aliases=("Mr. Dorran", "Dorran")),
        Character("Wren Abbot", aliases=("Mr. Abbot", "Mrs. Abbot")),
    ]
    assert _facts(characters, "") == {
        "Fitz Dorran": ("male", "inferred:name-title", None, None),
        "Wren Abbot": (None, None, None, None),
    }
