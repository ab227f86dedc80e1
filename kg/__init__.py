"""kg: turn novels into a knowledge graph of their characters."""

from kg.book import read_book
from kg.errors import KgError
from kg.extract import Extraction, extract
from kg.files import read_characters, write_characters
from kg.graph import Graph
from kg.ingest import IngestSummary, ingest
from kg.records import Book, Chapter, Character, CharacterStats, FamilyTie, Interaction, Mention

__all__ = [
    "Book",
    "Chapter",
    "Character",
    "CharacterStats",
    "Extraction",
    "FamilyTie",
    "Graph",
    "IngestSummary",
    "Interaction",
    "KgError",
    "Mention",
    "extract",
    "ingest",
    "read_book",
    "read_characters",
    "write_characters",
]
