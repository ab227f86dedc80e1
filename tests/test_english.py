"""The English tables: one honorific table gives each title its gender, class and period."""

from kg.english import ABBREVIATIONS, HONORIFICS, TITLES
from kg.records import FEMALE, MALE


def test_one_row_of_the_honorific_table_gives_gender_class_and_abbreviation() -> None:
    assert HONORIFICS["Madame"] == HONORIFICS["Mrs"] == HONORIFICS["Miss"] == FEMALE
    assert HONORIFICS["Monsieur"] == MALE
    assert HONORIFICS["Doctor"] is None
    assert TITLES["Madame"] == TITLES["Mme"] == TITLES["Mrs"] == "Mrs"
    assert TITLES["Mlle"] == "Miss" != TITLES["Mrs"]
    assert TITLES["Lt"] == TITLES["Lieut"] == "Lieutenant"
    assert TITLES["Judge"] == "Judge"
    assert {"Mr", "Mme", "Lt", "Capt"} <= ABBREVIATIONS
    assert not {"Mister", "Captain", "Miss"} & ABBREVIATIONS


def test_every_title_class_is_an_honorific_of_the_same_gender() -> None:
    for word, title_class in TITLES.items():
        assert HONORIFICS[title_class] == HONORIFICS[word]
    assert set(TITLES) == set(HONORIFICS)
