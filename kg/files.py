"""Reading and writing the files of kg's contract: CHARS.jsonl in and out, written atomically."""

import csv
import glob
import io
import json
import logging
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from kg.errors import InputError, OutputError
from kg.names import Override
from kg.records import (
    Character,
    Facts,
    FamilyTie,
)
from kg.text import control_character

log = logging.getLogger(__name__)


def _no_control(value: str) -> str:
    if found := control_character(value):
        raise ValueError(f"control character {found} (remove it)")
    return value


_Text = Annotated[str, AfterValidator(_no_control)]
"""A text field of CHARS.jsonl: control characters would make invalid output (GraphML)."""


class _FamilyRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person: _Text = Field(min_length=1)
    type: _Text = ""


SCALAR_FACTS = ("species", "house", "blood", "nationality")
"""Facts CHARS.jsonl has held as one string since its first version (a list key, "loyalty",
too): one value is written there still, so older readers and files keep working."""
_LIST_FACTS = ("loyalty",)


class _CharacterRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: _Text
    aliases: list[_Text] = []
    first_chapter: int | None = Field(default=None, ge=1)
    gender: _Text | None = None
    species: _Text | None = None
    house: _Text | None = None
    blood: _Text | None = None
    nationality: _Text | None = None
    loyalty: list[_Text] = []
    facts: dict[_Text, list[_Text]] = {}
    family: list[_FamilyRow] = []
    url: _Text | None = None
    discovered: bool = False
    gender_source: str | None = None
    married: bool | None = None
    married_source: str | None = None

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
            facts=self._facts(),
            family=tuple(FamilyTie(f.person, f.type) for f in self.family),
            url=self.url,
            discovered=self.discovered,
            gender_source=self.gender_source if self.gender else None,
            married=self.married,
            married_source=self.married_source if self.married is not None else None,
        )

    def _facts(self) -> Facts:
        old = {key: [value] for key in SCALAR_FACTS if (value := getattr(self, key)) is not None}
        facts = {**old, "loyalty": self.loyalty} | self.facts
        return tuple((key, tuple(dict.fromkeys(values))) for key, values in facts.items())


def read_characters(path: Path) -> list[Character]:
    """Read and validate a CHARS.jsonl file; duplicate names are merged (aliases joined) and logged.

    Raises InputError naming the file and line of the first unusable line.
    """
    lines = _read_text(path).splitlines()
    merged: dict[str, Character] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
            row = _CharacterRow.model_validate(data)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}:{number}: not valid JSON ({e.msg})") from None
        except UnicodeEncodeError:
            raise InputError(f"{path}:{number}: a \\u escape is half a surrogate pair") from None
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            message = str(first["msg"]).removeprefix("Value error, ")
            raise InputError(f"{path}:{number}: {where}: {message}") from None
        character = row.to_record()
        if character.name in merged:
            log.warning("%s:%d: duplicate character %r merged", path, number, character.name)
            character = _merge(merged[character.name], character)
        merged[character.name] = character
    if not merged:
        raise InputError(f"{path}: no characters in file")
    return list(merged.values())


def _merge(first: Character, second: Character) -> Character:
    """Join two records of one character: lists are united, scalar facts keep the first value
    (facts of `SCALAR_FACTS` count as scalar)."""
    return Character(
        name=first.name,
        aliases=tuple(dict.fromkeys(first.aliases + second.aliases)),
        first_chapter=min(
            (c for c in (first.first_chapter, second.first_chapter) if c is not None), default=None
        ),
        gender=first.gender or second.gender,
        facts=tuple(
            (key, first.fact(key) or second.fact(key))
            if key in SCALAR_FACTS
            else (key, tuple(dict.fromkeys(first.fact(key) + second.fact(key))))
            for key in dict(first.facts + second.facts)
        ),
        family=tuple(dict.fromkeys(first.family + second.family)),
        url=first.url or second.url,
        discovered=first.discovered and second.discovered,
        gender_source=first.gender_source if first.gender else second.gender_source,
        married=second.married if first.married is None else first.married,
        married_source=first.married_source if first.married is not None else second.married_source,
    )


def character_to_json(character: Character) -> dict[str, object]:
    (
        """The JSON object of one CHARS.jsonl line; empty facts are left out.

    The facts of `SCALAR_FACTS` (one value) and "loyalty" keep their own keys, as in files
    written before facts were generic; any other fact goes under "facts": {key: [values]}.
    """
        ""
    )
    row: dict[str, object] = {"name": character.name}
    if character.aliases:
        row["aliases"] = list(character.aliases)
    keys = ("first_chapter", "gender", "gender_source", "married", "married_source")
    for key in keys:
        value = getattr(character, key)
        if value is not None:
            row[key] = value
    facts = dict(character.facts)
    for key in SCALAR_FACTS:
        if len(facts.get(key, ())) == 1:
            row[key] = facts.pop(key)[0]
    for key in _LIST_FACTS:
        if key in facts:
            row[key] = list(facts.pop(key))
    if facts:
        row["facts"] = {key: list(values) for key, values in facts.items()}
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
        remove_stale_temps(path.parent, f".{path.name}.")
        fd, tmp = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp"
        )
    except OSError as e:
        raise OutputError(f"{path}: cannot write ({e.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({e.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Row = tuple[str | int | float | bool | None, ...]
"""A row of a CSV file kg writes."""


def csv_text(columns: Sequence[str], rows: Iterable[Row]) -> str:
    """CSV with a header row, "\n" line ends; floats with 6 decimals, booleans as true/false."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def _cell(value: str | int | float | bool | None) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6f}"
    return value


def write_folder(outdir: Path, files: Mapping[str, str]) -> None:
    """Write files into a folder all at once: into a hidden folder first, then moved in place.

    A new folder appears whole, in one rename. In an existing one, every file is written and
    every target checked before the first is replaced, so the folder holds either the old run
    or the new one; files not named in `files` are kept.
    """
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir}: exists and is not a folder")
    fresh = not outdir.exists()
    tmp = (outdir.parent if fresh else outdir) / _temp_name(outdir.name)
    try:
        if fresh:
            outdir.parent.mkdir(parents=True, exist_ok=True)
        for folder in (outdir.parent, outdir):
            remove_stale_temps(folder, f".{outdir.name}.")
        tmp.mkdir()
    except OSError as e:
        raise OutputError(f"{outdir}: cannot write ({e.strerror})") from None
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        if fresh:
            tmp.rename(outdir)
            return
        for name in files:
            target = outdir / name
            if target.is_dir() and not target.is_symlink():
                raise OutputError(f"{target}: is a folder; nothing in {outdir} was replaced")
        for name in files:
            (tmp / name).replace(outdir / name)
        tmp.rmdir()
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"{outdir}: cannot write ({e.strerror})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _temp_name(name: str) -> str:
    """The hidden name of a temporary file or folder for `name`, naming this process."""
    return f".{name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"


def remove_stale_temps(folder: Path, prefix: str, suffix: str = ".tmp") -> None:
    """Remove the temporary files and folders named PREFIX+PID-XXXXXXXX+SUFFIX in folder that a
    kg process which no longer runs left behind (killed with SIGKILL, or the machine stopped)."""
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)-\w{{8}}{re.escape(suffix)}")
    for path in folder.glob(f"{glob.escape(prefix)}*{glob.escape(suffix)}"):
        found = pattern.fullmatch(path.name)
        if found is None or _running(int(found.group(1))):
            continue
        log.info("removing %s, left by an earlier run that was stopped", path)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def read_nicknames(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """A nickname table (CSV with columns name,nickname): name -> its nicknames.

    Without a path, the table shipped with kg (kg/data/nicknames.csv).
    """
    if path is None:
        source = resources.files("kg").joinpath("data/nicknames.csv")
        text, where = source.read_text(encoding="utf-8"), "kg/data/nicknames.csv"
    else:
        text, where = _read_text(path), str(path)
    table: dict[str, list[str]] = {}
    for number, row in _csv_rows(text, where, ("name", "nickname")):
        name, nickname = row["name"].strip(), row["nickname"].strip()
        if not name or not nickname:
            raise InputError(f"{where}:{number}: name and nickname are both required")
        table.setdefault(name, []).append(nickname)
    return {name: tuple(dict.fromkeys(nicks)) for name, nicks in table.items()}


def read_overrides(path: Path) -> list[Override]:
    """Overrides (CSV with columns surface,chapter,character); chapter and character may be empty.

    An empty character means the surface names nobody there.
    """
    where = str(path)
    overrides = []
    for number, row in _csv_rows(_read_text(path), where, ("surface", "chapter", "character")):
        surface = " ".join(row["surface"].split())
        chapter = row["chapter"].strip()
        if not surface:
            raise InputError(f"{where}:{number}: surface is empty")
        if chapter and not (chapter.isdigit() and int(chapter) >= 1):
            raise InputError(f"{where}:{number}: chapter must be a number >= 1, not {chapter!r}")
        character = " ".join(row["character"].split())
        overrides.append(Override(surface, int(chapter) if chapter else None, character))
    return overrides


def read_bytes(path: Path) -> bytes:
    """A file's bytes; InputError naming the file when it is missing, a folder or unreadable."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None


def _read_text(path: Path) -> str:
    """A UTF-8 text file, without the byte order mark spreadsheet programs put first."""
    try:
        return read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None


def _csv_rows(text: str, where: str, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with a header naming at least `columns`, with their line numbers."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(f"{where}: header must name the columns {','.join(columns)}")
    try:
        return [
            (reader.line_num, {c: row[c] or "" for c in columns})
            for row in reader
            if any((v or "").strip() for v in row.values() if isinstance(v, str))
        ]
    except csv.Error as e:
        raise InputError(f"{where}:{reader.line_num}: {e}") from None
