"""Finding a character by a name as people type it: any case, the full name or an alias.

The curated queries in queries/ apply the same rule in Cypher (cypher.FIND_CHARACTER).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches

from kg.errors import InputError

SUGGESTIONS = 3
"""How many near names a failed lookup offers."""


@dataclass(frozen=True)
class Known:
    """A character as a lookup sees it: its name, aliases and centrality (ties go to the higher)."""

    name: str
    aliases: Sequence[str] = ()
    rank: float = 0.0


def _key(text: str) -> str:
    return text.strip().lower()


def find_character(query: str, characters: Iterable[Known]) -> str:
    """The name of the character called `query`: an exact name first, then an alias; of
    several, the most central. InputError with "did you mean" suggestions if none matches."""
    key = _key(query)
    known = list(characters)
    named = [c for c in known if _key(c.name) == key]
    aliased = [c for c in known if key in {_key(a) for a in c.aliases}]
    for matches in (named, aliased):
        if matches:
            return min(matches, key=lambda c: (-c.rank, c.name)).name
    raise InputError(f"no character is called {query.strip()!r}{_did_you_mean(key, known)}")


def _did_you_mean(key: str, known: list[Known]) -> str:
    """Characters with the typed word in a name (most central first), then close spellings."""
    central = sorted(known, key=lambda c: (-c.rank, c.name))
    spellings: dict[str, list[str]] = {}
    for c in central:
        for spelling in (c.name, *c.aliases):
            spellings.setdefault(_key(spelling), []).append(c.name)
    words = [c.name for c in central if any(key in _key(s).split() for s in (c.name, *c.aliases))]
    close = get_close_matches(key, list(spellings), n=len(spellings), cutoff=0.6)
    found = [*words, *(name for s in close for name in spellings[s])]
    names = list(dict.fromkeys(found))[:SUGGESTIONS]
    return f" (did you mean {' or '.join(map(repr, names))}?)" if names else ""
