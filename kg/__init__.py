"""kg: turn novels into a knowledge graph of their characters."""

from kg.analyze import analyze_in_neo4j as analyze
from kg.batch import batch
from kg.book import read_book
from kg.db import connect_to as connect
from kg.errors import KgError
from kg.extract import Extraction, extract
from kg.files import read_characters, write_characters
from kg.graph import Graph
from kg.ingest import IngestSummary, ingest
from kg.load import load
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
    "analyze",
    "batch",
    "connect",
    "extract",
    "ingest",
    "load",
    "read_book",
    "read_characters",
    "write_characters",
]
