"""kg: turn novels into a knowledge graph of their characters."""

from kg.errors import KgError
from kg.files import read_characters, write_characters
from kg.records import Book, Chapter, Character, CharacterStats, FamilyTie, Interaction, Mention

__all__ = [
    "Book",
    "Chapter",
    "Character",
    "CharacterStats",
    "FamilyTie",
    "Interaction",
    "KgError",
    "Mention",
    "read_characters",
    "write_characters",
]
