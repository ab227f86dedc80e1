"""Reading and writing the files of kg's contract: CHARS.jsonl in and out, written atomically."""

import json
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kg.errors import InputError
from kg.records import Character, FamilyTie

log = logging.getLogger(__name__)


class _FamilyRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person: str = Field(min_length=1)
    type: str = ""


class _CharacterRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str
    aliases: list[str] = []
    first_chapter: int | None = Field(default=None, ge=1)
    gender: str | None = None
    species: str | None = None
    house: str | None = None
    blood: str | None = None
    nationality: str | None = None
    loyalty: list[str] = []
    family: list[_FamilyRow] = []
    url: str | None = None
    discovered: bool = False

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("name is empty")
        return value

    def to_record(self) -> Character:
        return Character(
            name=self.name,
            aliases=tuple(a.strip() for a in self.aliases if a.strip()),
            first_chapter=self.first_chapter,
            gender=self.gender,
            species=self.species,
            house=self.house,
            blood=self.blood,
            nationality=self.nationality,
            loyalty=tuple(self.loyalty),
            family=tuple(FamilyTie(f.person, f.type) for f in self.family),
            url=self.url,
            discovered=self.discovered,
        )


def read_characters(path: Path) -> list[Character]:
    """Read and validate a CHARS.jsonl file; duplicate names are merged (aliases joined) and logged.

    Raises InputError naming the file and line of the first unusable line.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    merged: dict[str, Character] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = _CharacterRow.model_validate(json.loads(line))
        except json.JSONDecodeError as e:
            raise InputError(f"{path}:{number}: not valid JSON ({e.msg})") from None
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            raise InputError(f"{path}:{number}: {where}: {first['msg']}") from None
        character = row.to_record()
        if character.name in merged:
            log.warning("%s:%d: duplicate character %r merged", path, number, character.name)
            character = _merge(merged[character.name], character)
        merged[character.name] = character
    if not merged:
        raise InputError(f"{path}: no characters in file")
    return list(merged.values())


def _merge(first: Character, second: Character) -> Character:
    """Join two records of one character: lists are united, scalar facts keep the first value."""
    return Character(
        name=first.name,
        aliases=tuple(dict.fromkeys(first.aliases + second.aliases)),
        first_chapter=min(
            (c for c in (first.first_chapter, second.first_chapter) if c is not None), default=None
        ),
        gender=first.gender or second.gender,
        species=first.species or second.species,
        house=first.house or second.house,
        blood=first.blood or second.blood,
        nationality=first.nationality or second.nationality,
        loyalty=tuple(dict.fromkeys(first.loyalty + second.loyalty)),
        family=tuple(dict.fromkeys(first.family + second.family)),
        url=first.url or second.url,
        discovered=first.discovered and second.discovered,
    )


def character_to_json(character: Character) -> dict[str, object]:
    """The JSON object of one CHARS.jsonl line; empty facts are left out."""
    row: dict[str, object] = {"name": character.name}
    if character.aliases:
        row["aliases"] = list(character.aliases)
    for key in ("first_chapter", "gender", "species", "house", "blood", "nationality"):
        value = getattr(character, key)
        if value is not None:
            row[key] = value
    if character.loyalty:
        row["loyalty"] = list(character.loyalty)
    if character.family:
        row["family"] = [{"person": f.person, "type": f.type} for f in character.family]
    if character.url:
        row["url"] = character.url
    if character.discovered:
        row["discovered"] = True
    return row


def write_characters(characters: Iterable[Character], path: Path) -> None:
    """Write CHARS.jsonl atomically, one character per line."""
    text = "".join(json.dumps(character_to_json(c), ensure_ascii=False) + "\n" for c in characters)
    write_atomic(path, text)


def write_atomic(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder, so readers never see half."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise InputError(f"{path}: cannot write ({e.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
