"""English: every word list, gazetteer and phrase pattern kg reads a book with, in one place.

Honorifics, pronouns, determiners, stop words, speech verbs, number words and the first-name
gazetteer. Modules take their English from here, so another language is another module.
"""

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from kg.language import Language
from kg.records import FEMALE, MALE


def word_set(text: str) -> frozenset[str]:
    """The words of a text, as a set (for tables of words written as one string)."""
    return frozenset(text.split())


@cache
def first_names() -> dict[str, str | None]:
    """The shipped first-name gazetteer: name -> gender (None when both are common)."""
    text = resources.files("kg").joinpath("data/first_names.tsv").read_text(encoding="utf-8")
    genders = {"m": MALE, "f": FEMALE}
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {name: genders.get(g) for name, g in rows}


_HONORIFIC_ROWS: tuple[tuple[str | None, str, str], ...] = (
    (MALE, "plain", "Mr./Mister/Monsieur/M./Herr/Signor/Señor Master"),
    (MALE, "office", "Father Brother Squire"),
    (MALE, "rank", "Sir Lord King Prince Duke Count Baron Earl Emperor"),
    (MALE, "kin", "Uncle Grandpa Grandad Granddad Grandfather"),
    (FEMALE, "plain", "Mrs./Madame/Mme./Madam/Mistress/Frau/Signora/Señora"),
    (FEMALE, "plain", "Miss/Mademoiselle/Mlle. Ms."),
    (FEMALE, "office", "Sister"),
    (FEMALE, "rank", "Lady/Dame Queen Princess Duchess Countess Baroness Empress"),
    (FEMALE, "kin", "Aunt/Auntie/Aunty Mother Granny Grandma Grandmother Gran Nan"),
    (None, "office", "Professor/Prof. Dr./Doctor Captain/Capt. Colonel/Col. General/Gen. Major"),
    (None, "office", "Admiral Lieutenant/Lieut./Lt. Sergeant/Sgt. Inspector Judge Rev./Reverend"),
    (None, "office", "Constable"),
    (None, "kin", "Cousin"),
)
"""The one honorific table: each row a gender (or None), a kind and its honorifics. Words
joined by "/" are one class, named by its first word, that may name the same person ("Mrs.
Lebrun" and "Madame Lebrun" may be one woman, "Miss Lebrun" is another); a period marks an
abbreviation. Kinds: "plain" courtesy titles, "office" (a calling, a church or an army rank:
"Father Flynn", "Colonel Forster", said with the surname), "rank" (nobility and knighthood,
said with a first name or a seat: "Sir William", "Lord Fermor"), "kin" ("Aunt Shaw")."""
_CLASSES = [group.split("/") for _, _, words in _HONORIFIC_ROWS for group in words.split()]
HONORIFICS: dict[str, str | None] = {
    word.rstrip("."): gender
    for gender, _, words in _HONORIFIC_ROWS
    for word in words.replace("/", " ").split()
}
"""Honorific (without its period) -> the gender it implies, or None."""
RANKS = word_set("Captain Colonel General Major Admiral Lieutenant Sergeant Constable Rev")
"""Honorifics of no gender (HONORIFICS) that the books kg reads give to men: "Captain
Lennox" is a man unless the pronouns after his name say otherwise."""
TITLES = {word.rstrip("."): group[0].rstrip(".") for group in _CLASSES for word in group}
"""Title word (without its period) -> its class."""


def _of_kind(kind: str) -> frozenset[str]:
    return frozenset(
        word.rstrip(".")
        for _, row_kind, words in _HONORIFIC_ROWS
        if row_kind == kind
        for word in words.replace("/", " ").split()
    )


OFFICE_TITLES = _of_kind("office")
"""Titles of a calling or rank said with a surname: "Father Flynn" is the one Flynn of the book."""
KIN_TITLES = _of_kind("kin")
"""Titles of kin: "Aunt Shaw" with a surname is the family's married woman, "Mrs. Shaw"."""
ABBREVIATIONS = frozenset(w.rstrip(".") for group in _CLASSES for w in group if w.endswith("."))
"""Honorifics that are abbreviations, so a period may follow them ("Capt. Hale")."""
MARRIED_WOMEN = frozenset({"Mrs", "Madame", "Mme"})
MARRIED_HONORIFICS = MARRIED_WOMEN | {"Mr", "Mister"}
"""Honorifics that point to a married (adult) candidate: "Mr. Weasley" is the father."""
UNMARRIED_HONORIFICS = frozenset({"Miss", "Mlle", "Mademoiselle", "Master"})
WIVES_TITLES = MARRIED_WOMEN | word_set("Lady Dame Duchess Countess Baroness Queen Empress")
"""Titles of a woman who is not a "Miss": a wife or widow ("Lady Lucas", "Lady Catherine")."""
RANK_TITLES = word_set("Sir Lady Lord Dame")
"""Titles that go with one person's own name ("Sir William"): a listed "William Collins" is
not "Sir William" unless his listed name or the book gives him the title."""
TITLE_WORDS = frozenset(HONORIFICS) | {"Baron", "Baroness", "Friar", "Knight", "Ghost"}
"""A name ending in one of these ("the Fat Lady", "the Bloody Baron") is not split in parts,
unless it begins with a first name ("Mary King")."""
PLACE_WORDS = word_set(
    "Street Road Lane Avenue Drive Place Square Row Close Court Crescent Terrace Gardens "
    "Way Alley Hill Hall House Manor Castle Palace Tower Abbey Church Chapel Cathedral "
    "Park Station Bank Hotel Inn Bridge River Lake Bay Island Forest Woods Moor Valley "
    "Village Town City County School College Academy University Hospital Prison Market "
    "Shop Store Company Co Ltd Cottage Farm Mill Gate Quay Harbour Harbor Reach Marsh Fen "
    "Estate Hollow Pond Creek Brook Wharf Dock Yard Cove Seat Well Point Peak"
)
"""A name word followed by one of these ("Baker's Lane", "Malfoy Manor") names a place."""
PARTICLES = word_set("de van von der den du da di del della le la ten ter bin ibn al")
SUFFIXES = word_set("Jr Jr. Sr Sr. Junior Senior II III IV")
SPOUSES = ("husband", "wife", "spouse")
"""Family ties (their type's first word) that make a character married."""
ARTICLE_PREFIXES = ("The ", "the ")
"""An article that begins a listed name or alias is not part of its mentions."""

STRONG_CLASSES = word_set("Mr Mrs Miss Ms Sir Lady Lord Dr")
"""Title classes followed by a name whatever the next word looks like ("Mrs. Long")."""
PERIOD_AFTER = ABBREVIATIONS | {"St", "Messrs"}
"""Words whose period ends no sentence ("Mr.", "St. Ives")."""
FIRST_NAME_TITLES = word_set(
    "Miss Master Sir Lady Lord Uncle Aunt Cousin Sister Brother King Queen Prince Princess"
)
"""Title classes that are often followed by a first name ("Sir Henry", "Aunt Petunia")."""
COURTESY_TITLES = word_set("Sir Lady Lord")
"""Titles never dropped before a first name: bare "Catherine" is not "Lady Catherine"."""
SURNAME_TITLES = word_set("Mr Mrs Ms")
"""Title classes followed by a surname ("Mr. Bennet")."""
PLAIN_TITLES = word_set("Mr Mrs Miss Ms Master")
"""Titles a full name drops as a character's name ("Miss Jane Bennet" -> "Jane Bennet")."""

# Closed-class and calendar words are never names, even capitalised mid-sentence.
STOP = word_set(
    """I Me My Mine We Us Our You Your He Him His She Her It Its They Them Their Thee Thou Thy
    Ye The A An This That These Those And Or But Nor If Then When Where What Who Whom Whose Which
    Why How Not No Yes Oh O Ah Alas Well Chapter Book Part Volume Vol Section Prologue Epilogue
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter God Heaven
    Esq Jr Sr"""
)
SAINTS = word_set("St Saint")
"""A run that starts with one of these names a saint, a church or a place ("St. Ives")."""
CONTRACTION = re.compile(r"['\u2019](?:m|ve|d|ll|re|t)$", re.IGNORECASE)
"""The ending of "I'm", "I've", "I'd", "You'll", "We're", "Don't": such a word is no name."""

SPEECH_VERBS = word_set(
    """said says replied replies answered asked asks cried exclaimed returned rejoined continued
    added whispered muttered murmured shouted observed remarked repeated resumed inquired
    enquired interrupted retorted declared demanded screamed sobbed groaned pursued urged
    explained protested insisted suggested admitted stammered faltered gasped"""
)
"""Verbs that put a speaker right before or after them ("said Hagrid", "Hagrid replied")."""
AGENT_VERBS = word_set(
    """smiled nodded frowned shrugged wept blushed sighed laughed felt knew thought wondered
    hesitated married kissed believed remembered sat stood rose went came looked turned took
    gave told saw heard watched waited walked ran seemed loved hated wished hoped wanted"""
)
"""Verbs whose subject, right before them, is mostly a person ("Ogilvy watched")."""
OBJECT_VERBS = word_set(
    """told tell asked ask met meet thanked thank kissed kiss married marry loved hated called
    informed assured begged warned introduced visited answered"""
)
"""Verbs whose object, right after them, is mostly a person ("I told Ogilvy")."""
PERSON_BEFORE = word_set(
    """dear poor uncle aunt cousin brother sister father mother grandfather grandmother nephew
    niece son daughter husband wife friend little young"""
)
"""Lowercase words that, right before a name, mark a person ("poor Jemima", "her aunt Shaw")."""
PLACE_BEFORE = word_set("in at near into towards toward from through across")
"""Prepositions that, right before a name not followed by 's, mostly mark a place."""
PLACE_VERBS = word_set("quit quitted reached entered crossed")
"""Verbs whose object, right after them, is mostly a place ("we quit Matlock")."""
JOURNEY = word_set(
    """went go goes going gone came come comes coming returned return returning proceeded
    travelled traveled journeyed sailed rode arrived ascend ascended fled"""
)
PLACE_OF = word_set(
    """summit top foot town city village county kingdom province coast shores banks streets
    walls plains mountains valley lake lakes isle island environs neighbourhood neighborhood
    towns villages cities counties"""
)
"""Two words before a name that make it a place: a journey "to" it ("proceeded to Matlock"),
a part "of" it ("the summit of Montanvert")."""
KIN_OF = word_set(
    """father mother son daughter brother sister husband wife widow uncle aunt nephew niece
    cousin friend servant master mistress"""
)
"""Nouns that, two words before a name with "of" between, mark a person ("the father of Safie")."""
WORKS = word_set(
    """works writings books library poems plays novels tales verses essays lives volume
    volumes treatise sermons"""
)
"""Nouns whose owner, before them ("Plutarch's Lives") or after "of" ("the works of Homer"),
is an author or an owner of books: a name used only so is no character of the story."""
ARTICLES = word_set("the a an")
"""Articles right before a name: it names a thing or a kind ("the Mill", "an Englishman")."""
NAME_PAIR = re.compile(
    r"\b([A-Z][a-z]{1,10})\.?\s+(?:and|&)\s+([A-Z][a-z]{1,10})\.?\s+([A-Z][\w'\u2019-]+)"
)
"""Two titles or first names before one surname: "Mr. and Mrs. Bennet", "Jane and Elizabeth"."""
NAME_JOIN = re.compile(r",?\s+(?:and|&|or|nor)\s+")
"""What joins two names in a list ("Jane and Elizabeth")."""
LIST_AND = re.compile(r"\s+(?:and|or|&)\s+")
LIST_COMMA = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?")
"""What goes between the names of a list of places, without and with a comma: "Cumberland and
Westmorland", "Gravesend, Woolwich, and" (kg.discover: a list shares the place of its first)."""
VOCATIVE_BEFORE = word_set(", dear dearest oh o ah")
VOCATIVE_AFTER = frozenset(",!?:;.")
"""Words around a name that address its bearer: "There, Margaret, the sun", "dear Victor!"."""
CHILD = re.compile(
    r"\b(?:her|his|their)\s+(?:mother|father|parents|brother|sister)\b", re.IGNORECASE
)
"""Words that show a woman named in the same sentence is a daughter of her family ("Katharine
Grove came in with her mother", "Clara Ashdown lived with her brother Tom")."""
SPOUSE_NOUN = re.compile(r"\b(?:" + "|".join(SPOUSES) + r")\b", re.IGNORECASE)
"""Words that show a woman named in the same sentence is married ("John's wife, Mary", "Mary
and her husband"); after a possessive, they name the owner's spouse ("his wife")."""
LETTER_TO = re.compile(r"[ \t_*]*(?:To|TO)[ \t]+")
"""The start of a letter's address line, before the addressee: "_To Mrs. Saville, England._"."""

DETERMINERS = word_set("the a an this these those every each any no some another such")
LOCATIVES = word_set("in into inside outside within throughout across")
PREPOSITIONS = word_set("of to with by for from at upon on in into towards toward against")
"""A name right after one of these is no subject ("the father of Safie ... He was a Turkish
merchant"): the pronoun after it says nothing of the name's gender."""
PRONOUNS = word_set("i you he she it we they")
LIST_WORDS = word_set(", and or &")
POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019"})

THIRD_PERSON = {
    **dict.fromkeys(("he", "him", "his", "himself"), MALE),
    **dict.fromkeys(("she", "her", "hers", "herself"), FEMALE),
}
PERSON_NOUNS: dict[str, str | None] = {
    **dict.fromkeys(
        word_set(
            """man gentleman boy fellow lad youth husband father son brother uncle nephew
            grandfather king prince lord monk priest clergyman sailor seaman soldier officer
            squire master landlord butler footman coachman"""
        ),
        MALE,
    ),
    **dict.fromkeys(
        word_set(
            """woman lady girl wife mother daughter sister aunt niece grandmother queen
            princess maid widow governess mistress nurse landlady housekeeper"""
        ),
        FEMALE,
    ),
    **dict.fromkeys(
        word_set(
            """person child stranger prisoner suitor servant visitor traveller traveler clerk
            novice veteran plaintiff defendant receiver judge doctor cousin friend neighbour
            neighbor creature"""
        ),
        None,
    ),
}
"""Nouns for one person, with the gender each gives (None: either)."""


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


KIN_NOUNS = word_set(
    "father mother brother sister son daughter uncle aunt nephew niece grandfather grandmother"
)
"""Of PERSON_NOUNS, the kin a name's possessive gives ("Matthew's father"; spouses are
SPOUSES')."""
PARENT_NOUNS = word_set("father mother")
"""Of KIN_NOUNS, the parents: the Mr. or Mrs. of the child's surname ("said her mother")."""
_MODIFIERS = r"(?:(?!(?:of|in|to|and|with|the|a)\b)[a-z][\w-]*\s+){0,3}?"
UNNAMED_PERSON = re.compile(
    rf"(?:(?:A|An|Another)\s+{_MODIFIERS}(?P<noun>{_alternatives(PERSON_NOUNS)})"
    rf"|(?:[A-Z]\w*\.?\s+)*[A-Z]\w*\s*['\u2019]\s*s\s+(?P<kin>{_alternatives(KIN_NOUNS)}))"
    r"(?![\w-])(?!\s*[.!?;:\"'\u201d\u2019])(?!\s*,?\s*[A-Z])"
)
"""A noun phrase that, opening a sentence, brings in a person the book does not name: an
indefinite one ("A sallow prisoner has come up", "Another ruined suitor, who") or kin of a
named one ("Matthew Cuthbert's father, as shy as his son"); not an exclamation ("A capital
fellow!") nor one a name follows ("A friend, Mr. Lowe")."""
REFLEXIVES = frozenset({"himself", "herself"})
"""Pronouns that go to the nearest character of their gender in their own sentence."""
ACTING_PRONOUNS = word_set("he she his her")
"""Pronouns that stand for who acts in their clause or owns something there ("she swept her
house"): of two characters about as salient, they go to the one their sentence last shows
acting ("Marilla swept the yard as often as she swept her house")."""
OBJECT_PRONOUNS = word_set("him")
"""Third-person pronouns that are only objects: one after a name, in its clause, is someone
else ("Safie sang to him"; "himself" would be Safie)."""
OBJECT_FORMS = word_set("her")
"""Of ACTING_PRONOUNS, those that are also objects: they own only before a word that is no
function word ("her house", not "gave her the book")."""
FUNCTION_WORDS = word_set(
    """and or nor but of to in on at by for with from into upon as than who whom whose which
    that what where when while if the a an this these those not so too very i me my you your
    he him his she her it its we us our they them their nothing something anything everything"""
)
"""Words that, right after a name, show no verb follows it ("Edith and", "Edith, who", "to
Edith she"), and that, right after "her", make it an object, not an owner ("gave her the
book", "told her nothing")."""
FIRST_PERSON = frozenset({"i", "me", "my", "myself"})
"""Not "mine": it stands for a thing ("a friend of mine"), not for its owner."""
NUMBERED = word_set("chapter book part volume vol section letter act scene canto")
"""Words that a Roman number follows: the "I" of "Chapter I" is no pronoun."""
QUOTE_VERBS = word_set(
    "said says say asked asks replied replies answered answers cried cries exclaimed "
    "shouted whispered muttered murmured continued added returned observed remarked began "
    "repeated inquired enquired demanded rejoined retorted interrupted resumed "
    "sighed laughed groaned protested urged pleaded screamed yelled responded explained "
    "stammered faltered sobbed gasped growled snapped admitted insisted declared suggested "
    "went"
)
"""Verbs that attribute a quotation to the name beside them ("said Harry", "went on Ron")."""
QUOTE_VERB_PARTICLES = frozenset({"on", "in"})
"""Words after a speech verb before its subject ("went on Harry", "put in Ron")."""
CONTINUING_VERBS = word_set("continued added resumed pursued went")
"""Speech verbs of one who goes on speaking ("he continued", "went on she"): their he/she
may be the one who spoke last."""
REPORTED_SPEECH = word_set("that so nothing")
"""Words after a speech verb that make it report speech, not attribute a quotation ("I said
that I would", "he said so")."""
CONTRACTION_ENDINGS = re.compile(r"(?:s|t|ll|d|re|ve|m|em|tis|twas)\b", re.IGNORECASE)
"""What follows an apostrophe inside a word, where it is no quotation mark ("don't", "'tis")."""
SELF_NAMING = re.compile(
    r"(?:\b[Mm]y (?:\w+ )?name(?: is| was| being)?|\bcalled myself|\bcall me|\bI am|"
    r"\bI was called|\bnamed me)\s*$"
)
"""The words before a name that the speaker gives as their own ("my name is")."""
SELF_INTRODUCTION = re.compile(
    r"\s*,\s*(?:at your service\b|your\s+(?:[\w-]+\s+)?[\w-]+\s*,\s*"
    r"(?:sir|madam|ma'am|miss|my lord|my lady)\b)",
    re.IGNORECASE,
)
"""What follows a name that opens a quotation when the speaker introduces themself
("Mr. Penhale, your new tenant, sir", "Penhale, at your service")."""
SALUTATION = re.compile(r"[_\s]*(?:To|Dear|Dearest|My dear|My dearest|Sir|Madam|Gentlemen)\b")
"""How a letter's first line opens: its address or greeting ("To Mrs. Saville", "Dear Clara,")."""
WRITER_HEADING = re.compile(
    r"[_\s]*(?:['\u2019]s\s+(?:journal|diary|narrative|memorandum|statement|account)|"
    r",[_\s]*in\s+continuation)\b[_.:\s]*$",
    re.IGNORECASE,
)
"""What follows a character's name on a heading line that makes them the writer of what
comes after it ("Jonathan Harker's journal", "Walton, in continuation.")."""
MR_AND_MRS = re.compile(r"\bMr\.?\s+and\s+Mrs\.?\s+([A-Z][\w\u2019'-]*)")
"""A couple, "Mr. and Mrs. X": group 1 is their surname."""
_NO_PERIOD_AFTER = "".join(rf"(?<!\b{re.escape(word)})" for word in sorted(PERIOD_AFTER))
SENTENCE_BREAK = re.compile(
    # the look-ahead first: the look-behinds are then tried at end marks only (12 times faster)
    r"(?=[.!?])"
    + _NO_PERIOD_AFTER
    + r"(?<!\b[A-HJ-Z])[.!?]+[\"'\u201d\u2019)]*\s+(?![\sa-z])|\n[^\S\n]*\n"
)
"""Where a sentence ends, with its closing marks and the space after them: not at the period
of a PERIOD_AFTER word ("Mr.", "Capt.", "St.") or of an initial ("J. Smith"; "I." is the
pronoun), nor before a lowercase word ('"Oh!" said she'); or where a paragraph does."""

UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = (
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
ORDINAL_UNITS = (
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
)
ORDINAL_TEENS = (
    *("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth"),
    *("seventeenth", "eighteenth", "nineteenth"),
)
ORDINAL_TENS = tuple(t[:-1] + "ieth" for t in TENS)
"""Number words as chapter headings spell them ("Chapter Twenty-One", "Chapter the Ninth")."""
TITLE_SMALL_WORDS = word_set("a an and as at but by for from in into nor of on or the to with")
"""Words a chapter title leaves in lowercase unless they come first."""

ENGLISH = Language(
    honorifics=HONORIFICS,
    abbreviations=ABBREVIATIONS,
    ranks=RANKS,
    rank_titles=RANK_TITLES,
    married_honorifics=MARRIED_HONORIFICS,
    unmarried_honorifics=UNMARRIED_HONORIFICS,
    wives_titles=WIVES_TITLES,
    title_words=TITLE_WORDS,
    particles=PARTICLES,
    suffixes=SUFFIXES,
    spouses=SPOUSES,
    article_prefixes=ARTICLE_PREFIXES,
    place_words=PLACE_WORDS,
    determiners=DETERMINERS,
    locatives=LOCATIVES,
    prepositions=PREPOSITIONS,
    pronouns=PRONOUNS,
    list_words=LIST_WORDS,
    possessives=POSSESSIVES,
    third_person=THIRD_PERSON,
    person_nouns=PERSON_NOUNS,
    unnamed_person=UNNAMED_PERSON,
    mr_and_mrs=MR_AND_MRS,
    sentence_break=SENTENCE_BREAK,
    agent_verbs=AGENT_VERBS,
    articles=ARTICLES,
    child=CHILD,
    contraction=CONTRACTION,
    courtesy_titles=COURTESY_TITLES,
    first_name_titles=FIRST_NAME_TITLES,
    journey=JOURNEY,
    kin_of=KIN_OF,
    kin_titles=KIN_TITLES,
    letter_to=LETTER_TO,
    name_join=NAME_JOIN,
    list_and=LIST_AND,
    list_comma=LIST_COMMA,
    name_pair=NAME_PAIR,
    object_verbs=OBJECT_VERBS,
    office_titles=OFFICE_TITLES,
    period_after=PERIOD_AFTER,
    person_before=PERSON_BEFORE,
    place_before=PLACE_BEFORE,
    place_of=PLACE_OF,
    place_verbs=PLACE_VERBS,
    plain_titles=PLAIN_TITLES,
    saints=SAINTS,
    speech_verbs=SPEECH_VERBS,
    stop=STOP,
    strong_classes=STRONG_CLASSES,
    surname_titles=SURNAME_TITLES,
    titles=TITLES,
    vocative_after=VOCATIVE_AFTER,
    vocative_before=VOCATIVE_BEFORE,
    spouse_noun=SPOUSE_NOUN,
    works=WORKS,
    contraction_endings=CONTRACTION_ENDINGS,
    first_person=FIRST_PERSON,
    numbered=NUMBERED,
    continuing_verbs=CONTINUING_VERBS,
    parent_nouns=PARENT_NOUNS,
    quote_verb_particles=QUOTE_VERB_PARTICLES,
    quote_verbs=QUOTE_VERBS,
    reflexives=REFLEXIVES,
    acting_pronouns=ACTING_PRONOUNS,
    function_words=FUNCTION_WORDS,
    object_forms=OBJECT_FORMS,
    object_pronouns=OBJECT_PRONOUNS,
    reported_speech=REPORTED_SPEECH,
    salutation=SALUTATION,
    writer_heading=WRITER_HEADING,
    self_introduction=SELF_INTRODUCTION,
    self_naming=SELF_NAMING,
    first_names=first_names,
)
"""English, as the stages take it."""
