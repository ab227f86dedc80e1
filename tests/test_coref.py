"""Pronouns, quotations and narrators (kg.coref) on short texts written for these tests."""

import textwrap
from pathlib import Path

import pytest

from kg.book import split_chapters
from kg.cli import app
from kg.coref import find_quotes, find_spouses, hard_wrapped
from kg.errors import InputError
from kg.extract import Extraction, extract
from kg.records import NAME, NARRATOR, PRONOUN, Book, Chapter, Character, Mention

CAST = (
    Character("Arthur Penhale", aliases=("Arthur",), gender="male"),
    Character("Bertram Coyle", aliases=("Bertram",), gender="male"),
    Character("Clara Venn", aliases=("Clara",), gender="female"),
)
WITH_DORA = (*CAST, Character("Dora Mill", aliases=("Dora",), gender="female"))
"""CAST with a second woman, Dora, for scenes with two women."""


def _book(text: str) -> Book:
    return Book("test", text, split_chapters(text, heading=None))


def _resolved(result: Extraction) -> dict[tuple[int, str], str]:
    """(start, text) -> character of every pronoun mention."""
    return {(m.start, m.text): m.character for m in result.mentions if m.kind != NAME}


def _at(text: str, word: str, nth: int = 1) -> tuple[int, str]:
    """(start, word) of the nth whole-word occurrence of word in text."""
    start = -1
    for _ in range(nth):
        start = text.index(f"{word}", start + 1)
        while text[start + len(word)].isalpha() or text[start - 1].isalpha():
            start = text.index(f"{word}", start + 1)
    return start, word


def test_he_and_she_go_to_the_character_of_their_gender() -> None:
    text = (
        "Arthur walked to the mill with Clara. He carried the basket and she carried "
        "the lamp. Later she sat down, and he gave her his coat.\n"
    )
    result = extract(_book(text), CAST, coref=True)
    got = _resolved(result)
    assert got[_at(text, "He")] == "Arthur Penhale"
    assert got[_at(text, "she")] == "Clara Venn"
    assert got[_at(text, "her")] == "Clara Venn"
    assert got[_at(text, "his")] == "Arthur Penhale"
    assert {m.kind for m in result.mentions} == {NAME, PRONOUN}
    pronoun = next(m for m in result.mentions if m.kind == PRONOUN)
    assert text[pronoun.start : pronoun.end] == pronoun.text


def test_a_pronoun_before_any_name_and_they_stay_unresolved() -> None:
    text = (
        "He came over the hill at dusk. Nobody knew him.\n\n"
        "Arthur and Clara watched the road. They said nothing for a while.\n"
    )
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert _at(text, "He") not in got
    assert _at(text, "him") not in got
    assert all(word.lower() not in ("they", "them") for _, word in got)


def test_two_men_in_one_sentence_leave_him_unresolved() -> None:
    text = "Arthur met Bertram at the gate, and the dog followed him.\n"
    assert _at(text, "him") not in _resolved(extract(_book(text), CAST, coref=True))


def test_dialogue_between_two_men_alternates_speakers() -> None:
    text = (
        '"I have the key," said Arthur.\n\n'
        '"Then I shall open the door," Bertram said.\n\n'
        '"Not before I see the lamp lit."\n\n'
        '"My lamp is out of oil."\n'
    )
    result = extract(_book(text), CAST, coref=True)
    got = _resolved(result)
    assert got[_at(text, "I", 1)] == "Arthur Penhale"
    assert got[_at(text, "I", 2)] == "Bertram Coyle"
    assert got[_at(text, "I", 3)] == "Arthur Penhale"
    assert got[_at(text, "My")] == "Bertram Coyle"
    assert result.quotes is not None
    assert [(q.speaker, q.addressee) for q in result.quotes] == [
        ("Arthur Penhale", None),
        ("Bertram Coyle", "Arthur Penhale"),
        ("Arthur Penhale", "Bertram Coyle"),
        ("Bertram Coyle", "Arthur Penhale"),
    ]


def test_the_addressee_named_in_a_quotation_speaks_next() -> None:
    text = '"Clara, is the boat ready?" asked Arthur.\n\n"I caulked it this morning."\n'
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "I")] == "Clara Venn"


def test_a_quotation_spanning_paragraphs_keeps_its_speaker() -> None:
    text = (
        '"I walked all night," said Clara. "The road was long and\n'
        "the wind was cold.\n\n"
        '"At dawn I reached the mill, and I slept."\n\n'
        "Arthur listened.\n"
    )
    chapter = Chapter(1, "", 0, len(text))
    quotes = find_quotes(text, chapter)
    assert len(quotes) == 2
    assert text[quotes[1].start :].startswith('"The road')
    assert text[: quotes[1].end].endswith('slept."')
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "I", 2)] == "Clara Venn"
    assert got[_at(text, "I", 3)] == "Clara Venn"


FIRST_PERSON = """\
I had lived by the harbour for ten years when the letter came. I read it twice. I knew
the hand, and I did not like it. I sat by the window until I heard the gate.

"Bertram," I said, "who sent this?"

"Nobody you know, Arthur," said Bertram.

I folded the letter and I put it in my pocket. My hands were cold. I said nothing more
for a while, and I watched the boats.

"You look pale, Arthur," Bertram said.

"I am tired," said I.
"""


def test_a_narrator_named_only_by_others_is_found() -> None:
    result = extract(_book(FIRST_PERSON), CAST, coref=True)
    got = _resolved(result)
    first = _at(FIRST_PERSON, "I")
    assert got[first] == "Arthur Penhale"
    narrated = {m.kind for m in result.mentions if (m.start, m.text) == first}
    assert narrated == {NARRATOR}
    assert got[_at(FIRST_PERSON, "my")] == "Arthur Penhale"
    quoted = [m for m in result.mentions if m.text == "I" and m.kind == PRONOUN]
    assert quoted and all(m.character == "Arthur Penhale" for m in quoted)


def test_narrator_option_sets_the_narrator() -> None:
    text = "I rowed out alone. I saw Clara on the pier.\n" * 6
    assert "I" not in {w for _, w in _resolved(extract(_book(text), CAST, coref=True))}
    result = extract(_book(text), CAST, narrator="Bertram")
    first = [m for m in result.mentions if m.text == "I"]
    assert len(first) == 12
    assert {(m.character, m.kind) for m in first} == {("Bertram Coyle", NARRATOR)}
    with pytest.raises(InputError, match="narrator 'Dora'"):
        extract(_book(text), CAST, narrator="Dora")


def test_pronoun_mentions_count_in_cooccurrence() -> None:
    text = (
        "Arthur rowed across the bay that grey morning, tired and silent after a long night "
        "of mending the old nets. He saw Clara.\n"
    )
    without = extract(_book(text), CAST)
    with_coref = extract(_book(text), CAST, coref=True)
    assert without.interactions == ()
    assert [(i.source, i.target, i.weight) for i in with_coref.interactions] == [
        ("Arthur Penhale", "Clara Venn", 1)
    ]


def test_without_coref_no_pronouns_and_no_quotes_file(tmp_path: Path) -> None:
    text = '"I know," said Arthur. He smiled at Clara.\n'
    result = extract(_book(text), CAST)
    assert all(m.kind == NAME for m in result.mentions)
    assert "quotes.csv" not in result.file_texts()
    texts = extract(_book(text), CAST, coref=True).file_texts()
    assert texts["quotes.csv"].splitlines() == [
        "chapter,start,end,speaker,addressee",
        "1,0,9,Arthur Penhale,",
    ]
    assert texts["mentions.csv"].splitlines()[0] == "chapter,start,end,text,character,kind"
    assert "1,23,25,He,Arthur Penhale,pronoun" in texts["mentions.csv"].splitlines()


def test_cli_coref_and_narrator(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    book = tmp_path / "book.txt"
    book.write_text(FIRST_PERSON, encoding="utf-8")
    chars = tmp_path / "chars.jsonl"
    chars.write_text(
        '{"name": "Arthur Penhale", "aliases": ["Arthur"], "gender": "male"}\n'
        '{"name": "Bertram Coyle", "aliases": ["Bertram"], "gender": "male"}\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    out = tmp_path / "out"
    done = runner.invoke(
        app,
        ["extract", "--book", str(book), "--characters", str(chars), "--out", str(out), "--coref"],
    )
    assert done.exit_code == 0, done.output
    assert (out / "quotes.csv").read_text(encoding="utf-8").startswith("chapter,start,end,")
    assert ",narrator\n" in (out / "mentions.csv").read_text(encoding="utf-8")
    bad = runner.invoke(
        app,
        [
            "extract",
            "--book",
            str(book),
            "--characters",
            str(chars),
            "--out",
            str(out),
            "--narrator",
            "Nobody",
        ],
    )
    assert bad.exit_code != 0
    assert "narrator 'Nobody'" in bad.output
    assert "Traceback" not in bad.output


def test_mention_kind_defaults_to_name() -> None:
    assert Mention(1, 0, 3, "Tom", "Tom").kind == NAME


def test_one_sentence_per_line_keeps_the_speaker_after_an_attribution() -> None:
    text = '"I am cold," said Clara.\n"I want my coat."\n"You shall have it," said Arthur.\n'
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "I", 2)] == "Clara Venn"
    assert got[_at(text, "my")] == "Clara Venn"


def test_a_narrator_who_names_himself_is_found() -> None:
    text = (
        "My name is Bertram, and I keep the lighthouse. "
        + "I climb the stair and I trim the wick. " * 6
    )
    result = extract(_book(text + "\n"), CAST, coref=True)
    assert {m.character for m in result.mentions if m.kind == NARRATOR} == {"Bertram Coyle"}
    assert _resolved(extract(_book(text + "\n"), CAST[:1] + CAST[2:], coref=True)) == {}


def test_a_reflexive_goes_to_the_nearest_of_its_gender_in_its_sentence() -> None:
    text = "Arthur sent Bertram to the quay, and Bertram himself rowed out.\n"
    assert _resolved(extract(_book(text), CAST, coref=True))[_at(text, "himself")] == (
        "Bertram Coyle"
    )


def test_a_subject_pronoun_keeps_the_previous_subject_between_two_men() -> None:
    text = "Arthur met Bertram at the gate. He smiled and said nothing.\n"
    assert _resolved(extract(_book(text), CAST, coref=True))[_at(text, "He")] == "Arthur Penhale"


def test_a_tie_goes_to_the_one_the_sentence_last_shows_acting() -> None:
    # Arthur 3 against Bertram 1.5: no margin; "Arthur waited" acts, "Bertram while" does not
    text = "Arthur met Bertram at the gate. Arthur waited for Bertram while he tied his boots.\n"
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "he")] == got[_at(text, "his")] == "Arthur Penhale"


def test_a_name_before_a_pronoun_or_a_possessive_pronoun_does_not_act() -> None:
    cast = WITH_DORA
    text = "Clara met Dora at the gate. Of all the news told to Dora she liked the last.\n"
    assert _at(text, "she") not in _resolved(extract(_book(text), cast, coref=True))
    # "Her" is Clara's (the previous subject), but "Her dog" does not show Clara acting
    text = "Clara met Dora at the gate. Her dog barked at Dora while she slept.\n"
    got = _resolved(extract(_book(text), cast, coref=True))
    assert got[_at(text, "Her")] == "Clara Venn"
    assert _at(text, "she") not in got


def test_she_who_speaks_is_not_the_one_her_words_call_by_name() -> None:
    cast = WITH_DORA
    text = 'Clara came in. Clara sat down by Dora.\n\n"Are you in earnest, Clara?" she demanded.\n'
    result = extract(_book(text), cast, coref=True)
    assert _resolved(result)[_at(text, "she")] == "Dora Mill"
    assert result.quotes is not None
    assert [(q.speaker, q.addressee) for q in result.quotes] == [("Dora Mill", "Clara Venn")]


def test_a_name_after_a_speech_verb_acts_in_a_tie() -> None:
    text = '"Come in," said Arthur to Bertram as he opened the door.\n'
    assert _resolved(extract(_book(text), CAST, coref=True))[_at(text, "he")] == "Arthur Penhale"


def test_her_as_an_object_is_not_given_to_a_tie_by_who_acts() -> None:
    cast = WITH_DORA
    for text in (
        "Clara met Dora at the gate. Dora smiled at Clara and gave her the lamp.\n",
        "Clara met Dora at the gate. Dora smiled at Clara and told her nothing.\n",
    ):
        assert _at(text, "her") not in _resolved(extract(_book(text), cast, coref=True))
    owner = "Clara met Dora at the gate. Dora smiled at Clara and lit her lamp.\n"
    assert _resolved(extract(_book(owner), cast, coref=True))[_at(owner, "her")] == "Dora Mill"


def test_load_and_graph_read_a_coref_folder(tmp_path: Path) -> None:
    from kg.graph import Graph
    from kg.load import read_outdir

    text = "Arthur rowed out. He saw Clara, and she waved.\n"
    extract(_book(text), CAST, coref=True).save(tmp_path)
    assert (tmp_path / "quotes.csv").exists()
    counts = {r["name"]: r["mentions"] for r in read_outdir(tmp_path).appearances}
    assert counts == {"Arthur Penhale": 2, "Clara Venn": 2}
    assert dict(Graph.from_dir(tmp_path).characters[["name", "mentions"]].values) == counts


def test_he_answering_is_not_the_man_who_spoke_before() -> None:
    text = (
        'Arthur and Bertram sat by the fire.\n\n"Is the tide in?" asked Bertram.\n\n'
        '"I think so," he answered.\n\n"Then I am going out," went on Bertram.\n'
    )
    result = extract(_book(text), CAST, coref=True)
    assert result.quotes is not None
    assert [q.speaker for q in result.quotes] == [
        "Bertram Coyle",
        "Arthur Penhale",
        "Bertram Coyle",
    ]
    assert _resolved(result)[_at(text, "he")] == "Arthur Penhale"


def test_he_in_the_narration_is_never_the_narrator() -> None:
    text = (
        "I walked down to the quay at noon. Bertram was there already. I waved and I "
        "called out to him, and I hurried over. He laughed at my haste.\n"
    )
    got = _resolved(extract(_book(text), CAST, narrator="Arthur"))
    assert got[_at(text, "I")] == "Arthur Penhale"
    assert got[_at(text, "him")] == "Bertram Coyle"
    assert got[_at(text, "He")] == "Bertram Coyle"


INTRODUCTION = """\
I rode up to the farm at noon, and I found a man at the gate. I did not know him. I got
down from my horse, and I waited while he looked me over. I had ridden all morning, and I
was tired. I gave him good day.

"Arthur Penhale, your new tenant, sir," I said. "I have taken the mill cottage."

"The mill cottage is damp," he answered. "Bring Mr. Penhale's bag in, Clara."

I followed him into the house.
"""


def test_a_narrator_who_introduces_himself_and_is_named_only_in_quotations_is_found() -> None:
    result = extract(_book(INTRODUCTION), CAST, coref=True)
    got = _resolved(result)
    assert got[_at(INTRODUCTION, "I")] == "Arthur Penhale"
    assert got[_at(INTRODUCTION, "my")] == "Arthur Penhale"
    assert result.quotes is not None
    assert result.quotes[0].speaker == "Arthur Penhale"
    assert result.quotes[0].addressee != "Arthur Penhale"


def test_one_named_in_the_narration_is_not_the_narrator_however_introduced() -> None:
    text = (
        INTRODUCTION.replace("I found a man", "I found Arthur")
        .replace("I did not know him", "Arthur did not know me")
        .replace("while he looked", "while Arthur looked")
    )
    result = extract(_book(text), CAST, coref=True)
    assert not [m for m in result.mentions if m.kind == NARRATOR]


def _speakers(text: str) -> list[str | None]:
    quotes = extract(_book(text), CAST, coref=True).quotes
    assert quotes is not None
    return [q.speaker for q in quotes]


def test_alternating_speakers_restart_after_narration_that_names_a_new_speaker() -> None:
    text = (
        '"Is the boat ready?" asked Arthur.\n\n'
        '"It is," said Bertram.\n\n'
        '"Then we sail at noon."\n\n'
        'Arthur frowned at the sky. "I do not like those clouds, though."\n'
    )
    assert _speakers(text) == ["Arthur Penhale", "Bertram Coyle"] + ["Arthur Penhale"] * 2
    lines = text.replace("\n\n", "\n").replace(". ", ".\n")
    assert _speakers(lines)[-1] == "Arthur Penhale"


def test_narration_with_a_speech_verb_for_someone_unknown_is_no_beat() -> None:
    assert _speakers('Clara heard the door.\n\n"Who is there?" a voice cried.\n') == [None]


def test_the_same_speaker_goes_on_to_the_one_they_address_by_name() -> None:
    text = (
        '"Is the tide in?" asked Arthur.\n\n'
        '"It is," said Bertram.\n\n'
        '"Then I shall row out to the buoy."\n\n'
        '"Bertram, will you come with me?"\n'
    )
    assert _speakers(text) == ["Arthur Penhale", "Bertram Coyle"] + ["Arthur Penhale"] * 2


def test_a_name_echoed_as_a_question_is_not_its_addressee() -> None:
    text = '"Clara?" asked Arthur.\n\n"Clara, come here!" cried Bertram.\n'
    quotes = extract(_book(text), CAST, coref=True).quotes
    assert quotes is not None
    assert [q.addressee for q in quotes] == [None, "Clara Venn"]


def test_one_sentence_per_line_a_question_is_answered_by_the_other() -> None:
    text = '"Arthur, who rang the bell?"\nasked Clara.\n"I did not hear it."\n'
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "I")] == "Arthur Penhale"


def test_a_sentence_after_a_full_stop_is_no_attribution() -> None:
    text = (
        '"I have the key," said Arthur.\n\n'
        '"Then open the door," said Bertram. "I have waited long enough." Arthur laughed.\n'
    )
    assert _speakers(text) == ["Arthur Penhale", "Bertram Coyle", "Bertram Coyle"]


def test_her_husband_is_the_mr_of_her_mrs_and_he_then_goes_to_him() -> None:
    cast = (
        Character("Mrs. Penhale", gender="female"),
        Character("Mr. Penhale", gender="male"),
        Character("Bertram Coyle", aliases=("Bertram",), gender="male"),
    )
    text = (
        "Mrs. Penhale sat in the garden with Bertram. Her husband was in the study. "
        "He was reading a letter.\n"
    )
    got = _resolved(extract(_book(text), cast, coref=True))
    assert got[_at(text, "Her")] == "Mrs. Penhale"
    assert got[_at(text, "He")] == "Mr. Penhale"


def test_spouses_are_the_one_mr_and_the_one_mrs_of_a_family() -> None:
    cast = (
        Character("Mr. Penhale"),
        Character("Ada Penhale", aliases=("Mrs. Penhale",)),
        Character("Mr. Coyle"),
        Character("Mrs. Coyle"),
        Character("Madame Coyle"),
        Character("Miss Venn"),
        Character("Mr. Venn"),
    )
    assert find_spouses(cast) == {"Mr. Penhale": "Ada Penhale", "Ada Penhale": "Mr. Penhale"}


def test_roman_i_of_a_heading_and_mine_are_no_pronouns() -> None:
    text = "Chapter I My boat was old. I rowed it all the same, and the oars were mine.\n"
    got = _resolved(extract(_book(text), CAST, narrator="Clara"))
    assert _at(text, "I") not in got
    assert got[_at(text, "I", 2)] == "Clara Venn"
    assert all(word != "mine" for _, word in got)


def test_a_speech_verb_reporting_speech_attributes_no_quotation() -> None:
    text = (
        '"Can you mend the net by morning?" asked Arthur.\n\n'
        '"Will you bring me the twine first?"\nI said that I would.\n'
    )
    quotes = extract(_book(text), CAST, narrator="Bertram").quotes
    assert quotes is not None and quotes[1].speaker is None


def test_a_straight_quote_opening_a_line_opens_a_quotation_after_a_missing_mark() -> None:
    text = (
        "'Wait here,' said Arthur, 'and mind the nets.\n"
        "'I will,' said Bertram.\n"
        "'My hands are cold.'\n"
    )
    quotes = find_quotes(text, Chapter(1, "", 0, len(text)))
    assert [text[q.start : q.end] for q in quotes] == [
        "'Wait here,'",
        "'and mind the nets.",
        "'I will,'",
        "'My hands are cold.'",
    ]
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "I")] == got[_at(text, "My")] == "Bertram Coyle"


def test_he_in_a_quotation_is_someone_the_conversation_named() -> None:
    text = (
        "Bertram and Arthur came in from the rain.\n\n"
        '"Is he ill?" asked Clara.\n\n'
        '"Where is Bertram?" asked Clara.\n\n'
        '"He went to the mill," said Arthur.\n'
    )
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert _at(text, "he") not in got  # Bertram and Arthur are only in the narration
    assert got[_at(text, "He")] == "Bertram Coyle"


def test_he_in_a_quotation_naming_no_man_is_the_one_man_the_narration_named() -> None:
    text = (
        "Bertram went down to the mill before dawn.\n\n"
        "The house was quiet. The clock struck nine.\n\n"
        '"Will he be back for supper?" asked Clara.\n'
    )
    cast = (*CAST, Character("Dora Venn", aliases=("Dora",), gender="female"))
    got = _resolved(extract(_book(text), cast, coref=True))
    assert got[_at(text, "he")] == "Bertram Coyle"
    far = "Bertram went down to the mill.\n" + "The clock struck.\n" * 9 + text.split("\n\n")[2]
    assert _at(far, "he") not in _resolved(extract(_book(far), cast, coref=True))
    named = text.replace('"Will', '"Arthur has gone out too. Will')
    assert _resolved(extract(_book(named), cast, coref=True))[_at(named, "he")] == "Arthur Penhale"


def test_the_narrators_own_words_to_someone_do_not_make_them_the_narrator() -> None:
    text = (
        "I walked to the harbour and I sat on the wall. I watched the boats, and I waited. "
        "I was cold, and I was tired, and I had no wish to go home. I thought of the storm, "
        "and I thought of the wreck, and I wept.\n\n"
        '"It was not her fault," said I; "Clara, you were always kind to me."\n\n'
        "Nobody answered.\n"
    )
    result = extract(_book(text), CAST, coref=True)
    assert not [m for m in result.mentions if m.kind == NARRATOR]


def test_said_i_at_the_end_of_a_sentence_is_the_narrator_speaking() -> None:
    text = '"Come in," said I. "The kettle is on."\n\nArthur came in.\n'
    quotes = extract(_book(text), CAST, narrator="Bertram").quotes
    assert quotes is not None
    assert [q.speaker for q in quotes] == ["Bertram Coyle", "Bertram Coyle"]


LETTER = """\
To Clara Venn, at the mill.

Dear Clara,

I reached the harbour on Tuesday. I found the boat, and I paid the man for it. I will
write again when I have news, and I hope my news will be good.

Your friend,

Bertram Coyle
"""


def test_i_in_a_signed_letter_is_its_writer() -> None:
    result = extract(_book(LETTER), CAST, coref=True)
    narrated = [m for m in result.mentions if m.kind == NARRATOR]
    assert len(narrated) == 7
    assert {m.character for m in narrated} == {"Bertram Coyle"}


def test_a_letter_inside_the_narration_is_its_writers_and_the_rest_the_narrators() -> None:
    text = (
        "I sat by the fire when the post came, and I opened it at once.\n\n"
        + LETTER
        + "\nI folded the letter. I was glad of it.\n"
    )
    got = _resolved(extract(_book(text), CAST, narrator="Arthur"))
    assert got[_at(text, "I")] == got[_at(text, "I", 10)] == "Arthur Penhale"
    assert {got[_at(text, "I", n)] for n in range(3, 9)} == {"Bertram Coyle"}
    assert got[_at(text, "my")] == "Bertram Coyle"


def test_a_name_alone_on_a_line_without_a_closing_line_signs_nothing() -> None:
    text = LETTER.replace("Your friend,", "That was all.")
    result = extract(_book(text), CAST, coref=True)
    assert not [m for m in result.mentions if m.kind == NARRATOR]


def test_a_letter_signed_with_the_initials_of_one_character_is_theirs() -> None:
    text = LETTER.replace("Your friend,", "That is all.").replace("Bertram Coyle", "B.C.")
    narrated = [m for m in extract(_book(text), CAST, coref=True).mentions if m.kind == NARRATOR]
    assert [m.character for m in narrated] == ["Bertram Coyle"] * 7
    cast = (*CAST, Character("Bella Crane", gender="female"))
    result = extract(_book(text), cast, coref=True)
    assert not [m for m in result.mentions if m.kind == NARRATOR]  # B.C.: two characters
    unknown = text.replace("B.C.", "D.K.")
    assert not [m for m in extract(_book(unknown), CAST).mentions if m.kind == NARRATOR]


WRITTEN = """I walked to the mill with Bertram. I told him the news.

Clara, in continuation.

I came home late, and my lamp was out. I lit it.

Bertram Coyle's journal

I slept at the inn. I rose early.
"""


def test_a_heading_naming_a_writer_makes_the_i_after_it_theirs() -> None:
    got = _resolved(extract(_book(WRITTEN), CAST, narrator="Arthur"))
    assert [got[_at(WRITTEN, "I", n)] for n in (1, 2)] == ["Arthur Penhale"] * 2
    assert [got[_at(WRITTEN, "I", n)] for n in (3, 4)] == ["Clara Venn"] * 2
    assert got[_at(WRITTEN, "my")] == "Clara Venn"
    assert [got[_at(WRITTEN, "I", n)] for n in (5, 6)] == ["Bertram Coyle"] * 2
    inline = WRITTEN.replace("\n\nClara, in continuation.\n", "\nClara, in continuation.")
    got = _resolved(extract(_book(inline), CAST, narrator="Arthur"))
    assert got[_at(inline, "I", 3)] == "Arthur Penhale"  # no heading: part of a paragraph
    read = WRITTEN.replace("Clara, in continuation.", "Clara's journal lay open.")
    got = _resolved(extract(_book(read), CAST, narrator="Arthur"))
    assert got[_at(read, "I", 3)] == "Arthur Penhale"


def test_the_i_after_a_lowercase_or_sentence_ending_heading_word_is_a_pronoun() -> None:
    text = "I read the letter I had kept. I burned the letter. I slept.\n"
    got = _resolved(extract(_book(text), CAST, narrator="Clara"))
    assert [got.get(_at(text, "I", n)) for n in range(1, 5)] == ["Clara Venn"] * 4


def test_a_subject_pronoun_far_from_names_takes_a_much_more_salient_one() -> None:
    cast = (*CAST, Character("Dora Venn", aliases=("Dora",), gender="female"))
    road = "The road was long. The wind rose. The rain fell. The light failed. The owls called. "
    text = f"Clara thanked Dora. Clara walked home alone. {road}She reached the gate.\n"
    assert _resolved(extract(_book(text), cast, coref=True))[_at(text, "She")] == "Clara Venn"
    inside = text.replace("She reached", "The rain soaked Arthur and her at")
    assert _at(inside, "her") not in _resolved(extract(_book(inside), cast, coref=True))
    both = text.replace("Clara walked home alone", "Dora walked home with Clara")
    assert _at(both, "She") not in _resolved(extract(_book(both), cast, coref=True))


def test_a_run_of_pronouns_before_a_name_goes_to_it() -> None:
    text = (
        "The rain had stopped. From the bench on which he sat, smoking, as was his habit, "
        "Arthur watched the road.\n"
    )
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "he")] == got[_at(text, "his")] == "Arthur Penhale"
    quoted = 'He came over the hill. "Arthur is late," said Clara.\n'
    assert _at(quoted, "He") not in _resolved(extract(_book(quoted), CAST, coref=True))
    apart = "He came over the hill.\n\nArthur watched the road.\n"
    assert _at(apart, "He") not in _resolved(extract(_book(apart), CAST, coref=True))
    later = "He came over the hill. The wind rose. Arthur watched the road.\n"
    assert _at(later, "He") not in _resolved(extract(_book(later), CAST, coref=True))
    nearer = later.replace("The wind rose. ", "")
    assert _resolved(extract(_book(nearer), CAST, coref=True))[_at(nearer, "He")] == (
        "Arthur Penhale"
    )
    # a man named long before: the name after the pronoun is as likely someone else
    met = "Bertram slept. " + "The rain fell. " * 12 + nearer
    assert _at(met, "He") not in _resolved(extract(_book(met), CAST, coref=True))


def test_a_tie_goes_to_the_one_its_run_goes_on_with() -> None:
    text = (
        "Bertram left the farm. Arthur walked home. The road was long. Clara saw him at the "
        "gate. He took off his hat. His coat was wet.\n"
    )
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert (
        got[_at(text, "him")] == got[_at(text, "He")] == got[_at(text, "His")] == ("Arthur Penhale")
    )
    named = text.replace("His coat", "Bertram's coat")
    assert _at(named, "him") not in _resolved(extract(_book(named), CAST, coref=True))
    # "He" takes the previous subject, breaking a tie: too weak to give "him" to Arthur
    broken = "Arthur met Bertram at the gate, and Clara waved to him. He took off his hat.\n"
    got = _resolved(extract(_book(broken), CAST, coref=True))
    assert got[_at(broken, "He")] == "Arthur Penhale"
    assert _at(broken, "him") not in got


def test_a_person_brought_in_by_an_indefinite_noun_keeps_the_pronouns_after_it() -> None:
    text = (
        "Arthur waited at the gate all morning. A sallow stranger came up the road, and "
        "he asked for water. Then he went on.\n\n"
        "Clara waited at the gate all morning. A stranger, Bertram, came up the road, and "
        "he asked for water.\n\n"
        "Arthur waited at the gate all morning. A capital fellow! He smiled.\n\n"
        "Clara waited at the gate all morning. An old woman came up the road; she asked "
        "for water. Arthur came; he gave her some.\n"
    )
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert _at(text, "he") not in got
    assert _at(text, "he", 2) not in got
    assert got[_at(text, "he", 3)] == "Bertram Coyle"  # a name after the noun: not unnamed
    assert got[_at(text, "He", 1)] == "Arthur Penhale"  # an exclamation brings in no one
    assert _at(text, "she") not in got
    assert got[_at(text, "he", 4)] == "Arthur Penhale"  # a name comes back


def test_the_owner_of_his_wife_between_two_men_is_the_husband_of_a_couple() -> None:
    couple = (
        Character("Mr. Hale", gender="male"),
        Character("Mrs. Hale", gender="female"),
        Character("Bertram Coyle", aliases=("Bertram",), gender="male"),
    )
    text = "Bertram and Mr. Hale walked home. The lamp was lit for his wife.\n"
    assert _resolved(extract(_book(text), couple, coref=True))[_at(text, "his")] == "Mr. Hale"
    single = couple[::2]
    assert _at(text, "his") not in _resolved(extract(_book(text), single, coref=True))


def test_kin_of_a_named_character_opening_a_sentence_is_someone_else() -> None:
    text = (
        "Arthur lived by the mill.\n\nArthur's father, as quiet as his son, had built it "
        "when he was young.\n\nArthur's house stood by the mill, and he had built it.\n"
    )
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert _at(text, "his") not in got
    assert _at(text, "he") not in got
    assert got[_at(text, "he", 2)] == "Arthur Penhale"  # a house is no person


ROAD = (
    "Clara walked out of the village early on a grey morning in November, with a basket "
    "of bread, a jar of honey, two letters for the carrier and a shawl that had belonged to "
    "the old woman at the mill, and took the long road by the river, past the willows, the "
    "ferry and the ruined chapel, where the water ran high and brown after a week of rain. "
    "The fields on either side were flooded, the hedges dripped, the crows sat in rows along "
    "the walls of the sheepfolds, and the smoke of the farms hung low over the valley, so "
    "that the hills beyond it could hardly be seen at all. At the bridge the wind rose, the "
    "rain came back in long grey sheets from the west, the path turned to mud under the "
    "trees, and the last mile to the mill seemed longer than all the rest of the way "
    "together, until at last she saw its lamp."
)


def test_in_a_hard_wrapped_paragraph_a_pronoun_looks_back_sentences_not_lines() -> None:
    # "she" is three sentences after "Clara" but 11 lines: as lines, Clara is out of reach
    text = textwrap.fill(ROAD, 70) + "\n\nThe mill was dark.\n"
    assert hard_wrapped(text) and text.count("\n", 0, text.index(" she ")) == 11
    assert _resolved(extract(_book(text), CAST, coref=True))[_at(text, "she")] == "Clara Venn"
    lines = ROAD.replace(". ", ".\n") + "\n"
    assert not hard_wrapped(lines)
    assert _resolved(extract(_book(lines), CAST, coref=True))[_at(lines, "she")] == "Clara Venn"


def test_with_one_sentence_per_line_a_line_break_still_ends_a_sentence() -> None:
    text = "Clara sang.\nThe dog slept.\nArthur met Bertram at the gate\nhe laughed.\nIt rained.\n"
    # LitBank's form: the line before "he" is its own sentence, and "he" keeps its subject
    assert not hard_wrapped(text)
    assert _resolved(extract(_book(text), CAST, coref=True))[_at(text, "he")] == "Arthur Penhale"
    assert hard_wrapped(text.replace(".\n", ". ", 3))
    assert not hard_wrapped("One line only, no break\n")


ADDRESSED = """\
I had kept watch on deck all night, and I was cold. I went below at dawn, and I found the
stranger awake. I sat down by him. I said nothing, for I saw that he wished to speak.

The stranger said to me, "You may easily perceive, Arthur, that I have suffered great
misfortunes."

I felt a strong desire to ease his grief. I asked him to rest, and I promised to listen.
"""


def test_whom_a_quotation_addresses_in_first_person_narration_is_no_he_there() -> None:
    # told by an "I" the book does not name: "Arthur" is the narrator, "his" the stranger
    got = _resolved(extract(_book(ADDRESSED), CAST, coref=True))
    assert got.get(_at(ADDRESSED, "his")) is None
    assert got.get(_at(ADDRESSED, "him", 2)) is None
    assert _at(ADDRESSED, "I", 9) not in got  # no narrator found


def test_whom_a_quotation_addresses_in_third_person_narration_may_be_he() -> None:
    text = (
        'The stranger turned to the boy. "You may easily perceive, Arthur, that I have '
        'suffered great misfortunes."\nThe boy felt a strong desire to ease his grief.\n'
    )
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "his")] == "Arthur Penhale"


def test_one_the_narration_names_more_often_than_the_quotations_stays_a_he() -> None:
    text = ADDRESSED.replace("found the\nstranger", "found Arthur\n").replace(
        "sat down by him", "sat down by Arthur"
    )
    got = _resolved(extract(_book(text), CAST, coref=True))
    assert got[_at(text, "his")] == "Arthur Penhale"


def test_a_speech_verb_after_and_shares_the_subject_of_its_sentence() -> None:
    text = (
        '"The mill is closed," said Bertram.\n\n'
        'Arthur looked at the dark windows a long while, and said, "Then we go on."\n\n'
        'Clara frowned at the sky, and then added, "It will rain."\n'
    )
    assert _speakers(text) == ["Bertram Coyle", "Arthur Penhale", "Clara Venn"]


def test_he_who_continues_may_be_the_man_who_spoke_before() -> None:
    text = (
        'Arthur sat by the fire with Bertram.\n\nArthur said, "Is the tide in, Clara?"\n\n'
        'Clara looked at the sea.\n\n"If it is," he {verb}, "we sail."\n'
    )
    assert _speakers(text.format(verb="continued")) == ["Arthur Penhale"] * 3
    assert _speakers(text.format(verb="answered"))[1:] == ["Bertram Coyle"] * 2


def test_his_wife_after_a_speech_verb_is_the_speaker() -> None:
    couple = (
        Character("Mr. Penhale", gender="male"),
        Character("Mrs. Penhale", gender="female"),
    )
    text = 'Mr. Penhale read the letter.\n\n"Is it from the bank, my dear?" cried his wife.\n'
    result = extract(_book(text), couple, coref=True)
    assert result.quotes is not None
    assert [q.speaker for q in result.quotes] == ["Mrs. Penhale"]


def test_her_mother_after_a_speech_verb_is_the_mrs_of_her_surname() -> None:
    family = (
        Character("Mr. Penhale", gender="male"),
        Character("Mrs. Penhale", gender="female"),
        Character("Clara Penhale", aliases=("Clara",), gender="female"),
        Character("Edith Venn", aliases=("Edith",), gender="female"),
    )
    text = '{child} came in from the rain.\n\n"Where have you been?" cried her mother.\n'
    for child, mother in (("Clara", "Mrs. Penhale"), ("Edith", None)):
        result = extract(_book(text.format(child=child)), family, coref=True)
        assert result.quotes is not None
        assert [q.speaker for q in result.quotes] == [mother]


def test_she_calling_mr_x_is_mrs_x_when_the_chapter_named_her() -> None:
    people = (
        Character("Mr. Penhale", gender="male"),
        Character("Mrs. Penhale", gender="female"),
        Character("Clara Venn", aliases=("Clara",), gender="female"),
    )
    text = (
        "{opening}\n\nClara came to the door, and went away again. She was cross.\n\n"
        '"Indeed, Mr. Penhale," said she, "it is very hard."\n'
    )
    for opening, speaker in (
        ("Mrs. Penhale sat by the window.", "Mrs. Penhale"),
        ("The rain fell on the window.", "Clara Venn"),
    ):
        result = extract(_book(text.format(opening=opening)), people, coref=True)
        assert result.quotes is not None
        assert [q.speaker for q in result.quotes] == [speaker] * 2
