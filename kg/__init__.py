"""kg: turn novels into a knowledge graph of their characters.

The names below are imported on first use, so that `import kg.extract` or `kg --help` does
not load the Neo4j driver, pandas or spaCy.
"""

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.analyze import analyze_in_neo4j as analyze
    from kg.batch import batch
    from kg.book import read_book
    from kg.db import connect_to as connect
    from kg.errors import KgError
    from kg.extract import extract
    from kg.files import read_characters, write_characters
    from kg.graph import Graph
    from kg.ingest import IngestSummary, ingest
    from kg.load import load
    from kg.outdir import Extraction, read_extraction
    from kg.records import (
        Book,
        Chapter,
        Character,
        CharacterStats,
        FamilyTie,
        Interaction,
        Mention,
    )

_API = {
    "Book": ("kg.records", "Book"),
    "Chapter": ("kg.records", "Chapter"),
    "Character": ("kg.records", "Character"),
    "CharacterStats": ("kg.records", "CharacterStats"),
    "Extraction": ("kg.outdir", "Extraction"),
    "FamilyTie": ("kg.records", "FamilyTie"),
    "Graph": ("kg.graph", "Graph"),
    "IngestSummary": ("kg.ingest", "IngestSummary"),
    "Interaction": ("kg.records", "Interaction"),
    "KgError": ("kg.errors", "KgError"),
    "Mention": ("kg.records", "Mention"),
    "analyze": ("kg.analyze", "analyze_in_neo4j"),
    "batch": ("kg.batch", "batch"),
    "connect": ("kg.db", "connect_to"),
    "extract": ("kg.extract", "extract"),
    "ingest": ("kg.ingest", "ingest"),
    "load": ("kg.load", "load"),
    "read_book": ("kg.book", "read_book"),
    "read_characters": ("kg.files", "read_characters"),
    "read_extraction": ("kg.outdir", "read_extraction"),
    "write_characters": ("kg.files", "write_characters"),
}
"""Public name -> (module, name in the module)."""

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
    "read_extraction",
    "write_characters",
]


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module, attribute = _API[name]
    return getattr(import_module(module), attribute)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Api(ModuleType):
    """kg itself: importing a submodule never hides the API name it shares ("extract")."""

    def __setattr__(self, name: str, value: Any) -> None:
        if not (name in _API and isinstance(value, ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Api
