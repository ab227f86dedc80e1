"""`kg batch` and kg.batch: many books in parallel processes or on a real Dask LocalCluster."""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from conftest import ROOT, Neo4jServer, neo4j_env, one_error_line
from typer.testing import CliRunner

from kg.batch import BatchBook, batch, read_books
from kg.cli import app
from kg.errors import InputError

runner = CliRunner()
SAMPLE = ROOT / "data" / "sample"
CAST = SAMPLE / "characters.jsonl"


def _corpus(folder: Path, names: list[str]) -> Path:
    """A manifest of copies of the sample novella (with its character list, so no model runs)."""
    folder.mkdir()
    rows = ["path,title,series,characters"]
    for name in names:
        shutil.copy(SAMPLE / "book.txt", folder / f"{name}.txt")
        rows.append(f"{name}.txt,{name.title()},,{CAST}")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "failures.csv"
    }


def test_folder_batch_with_a_corrupt_book_finishes_the_others(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    for name in ("first", "second"):
        shutil.copy(SAMPLE / "book.txt", books / f"{name}.txt")
    (books / "broken.txt").write_bytes(b"\xff\xfe\x00\x00not a book")
    (books / "notes.md").write_text("not a book either", encoding="utf-8")
    out = tmp_path / "out"
    # Discovery (no list): the statistical model runs in the worker processes.
    result = runner.invoke(app, ["batch", "--books", str(books), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert "3 books: 2 extracted, 0 up to date, 1 failed" in result.output
    assert (out / "first" / "characters.csv").is_file()
    assert (out / "second" / "mentions.csv").read_bytes() == (
        out / "first" / "mentions.csv"
    ).read_bytes()
    assert not (out / "broken").exists() and not (out / "notes").exists()
    failures = (out / "failures.csv").read_text(encoding="utf-8").splitlines()
    assert failures[0] == "book,path,error"
    assert len(failures) == 2 and failures[1].startswith(f"broken,{books / 'broken.txt'},")
    assert "not text" in failures[1]


def test_rerunning_a_finished_batch_does_nothing(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha", "beta"])
    out = tmp_path / "out"
    first = batch(manifest, out)
    assert [r.skipped for r in first.results] == [False, False]
    assert not first.failures and first.words > 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    seen = []
    again = batch(manifest, out, on_result=seen.append)
    assert [r.skipped for r in again.results] == [True, True]
    assert len(seen) == 2 and again.words == 0
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert {p: t for p, t in after.items() if p.name != "failures.csv"} == {
        p: t for p, t in before.items() if p.name != "failures.csv"
    }


def test_a_changed_book_or_setting_runs_again(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha", "beta"])
    out = tmp_path / "out"
    batch(manifest, out)
    book = tmp_path / "books" / "beta.txt"
    later = (out / "Beta" / "book.json").stat().st_mtime + 5
    os.utime(book, (later, later))
    assert [r.skipped for r in batch(manifest, out).results] == [True, False]
    assert [r.skipped for r in batch(manifest, out, window=5).results] == [False, False]
    assert [r.skipped for r in batch(manifest, out, report=True).results] == [False, False]
    assert (out / "Alpha" / "report.html").is_file()


def test_coref_is_a_setting_a_rerun_compares(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha"])
    out = tmp_path / "out"
    batch(manifest, out)
    assert not (out / "Alpha" / "quotes.csv").exists()
    assert [r.skipped for r in batch(manifest, out, coref=True).results] == [False]
    assert (out / "Alpha" / "quotes.csv").is_file()
    assert [r.skipped for r in batch(manifest, out, coref=True).results] == [True]
    assert [r.skipped for r in batch(manifest, out).results] == [False]
    assert not (out / "Alpha" / "quotes.csv").exists()


def test_cli_coref_and_a_manifest_narrator(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha", "beta", "gamma"])
    text = manifest.read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",narrator", text[1] + ",", text[2] + ",Kit", text[3] + ",Nobody"]
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", "--books", str(manifest), "--out", str(out), "--coref"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "3 books: 2 extracted, 0 up to date, 1 failed" in result.output
    assert "narrator 'Nobody' is not a character's name" in (out / "failures.csv").read_text()
    assert ",pronoun\n" in (out / "Alpha" / "mentions.csv").read_text(encoding="utf-8")
    settings = {
        name: {
            k: v
            for k, v in json.loads((out / name / "book.json").read_text()).items()
            if k in ("coref", "narrator")
        }
        for name in ("Alpha", "Beta")
    }
    assert settings == {
        "Alpha": {"coref": True, "narrator": None},
        "Beta": {"coref": True, "narrator": "Kit"},
    }
    rows[2] = text[2] + ",Meg"
    manifest.write_text("\n".join(rows[:3]) + "\n", encoding="utf-8")
    changed = runner.invoke(app, args)
    assert "2 books: 1 extracted, 1 up to date, 0 failed" in changed.output


def test_manifest_rows_become_books(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,title,series,characters,narrator\n"
        "texts/one.txt,The First Book: Vol. 1,Saga,cast.jsonl, Kit \n"
        "texts/two.txt,,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    one, two = read_books(manifest, out)
    assert one == BatchBook(
        tmp_path / "texts" / "one.txt",
        "The First Book: Vol. 1",
        out / "The_First_Book_Vol._1",
        "Saga",
        tmp_path / "cast.jsonl",
        "Kit",
    )
    assert two == BatchBook(tmp_path / "texts" / "two.txt", "two", out / "two")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title\nx\n", "a manifest CSV needs a header with a 'path' column"),
        ("path,author\nx.txt,Austen\n", "unknown column(s) author"),
        ("path,title\n,Empty\n", "line 2: empty path"),
        ("path\n", "the manifest lists no books"),
        ("path,title\na.txt,Same\nb.txt,Same\n", "would share the output folder"),
    ],
)
def test_bad_manifests_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_books(manifest, tmp_path / "out")
    result = runner.invoke(app, ["batch", "--books", str(manifest), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert message in one_error_line(result.output)


def test_a_missing_book_fails_alone(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha"])
    with manifest.open("a", encoding="utf-8") as f:
        f.write("gone.txt,Gone,,\n")
    summary = batch(manifest, tmp_path / "out")
    assert [r.error is None for r in summary.results] == [True, False]
    assert "Gone" in (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8")


def test_parallel_processes_give_the_same_files(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha", "beta", "gamma"])
    one = batch(manifest, tmp_path / "one", jobs=1)
    two = batch(manifest, tmp_path / "two", jobs=2)
    assert not one.failures and not two.failures
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")


MAPPED = """
import ctypes
from kg.batch import unpin_mmap_threshold

class Info(ctypes.Structure):
    _fields_ = [(f, ctypes.c_size_t) for f in ("arena ordblks smblks hblks hblkhd usmblks"
                                               " fsmblks uordblks fordblks keepcost").split()]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info

def mapped() -> bool:
    before = libc.mallinfo2().hblkhd
    block = bytearray(2**20)
    return libc.mallinfo2().hblkhd - before >= len(block)

print(mapped(), unpin_mmap_threshold(), mapped())
"""
TRIM = {"MALLOC_TRIM_THRESHOLD_": "65536"}


@pytest.mark.skipif(sys.platform != "linux", reason="glibc's malloc")
@pytest.mark.parametrize(
    ("pins", "printed"),
    [
        (TRIM, "True True False"),
        (TRIM | {"MALLOC_MMAP_THRESHOLD_": "131072"}, "True False True"),
        ({}, "True False False"),  # glibc moves its threshold after the first free
    ],
)
def test_a_worker_whose_malloc_is_pinned_keeps_large_arrays_on_the_heap(
    pins: dict[str, str], printed: str
) -> None:
    """Dask's nanny sets MALLOC_TRIM_THRESHOLD_, which keeps 1 MiB arrays as fresh mappings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | pins
    run = subprocess.run(
        [sys.executable, "-c", MAPPED], env=env, capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == printed.split()


@pytest.fixture(scope="module")
def dask_client() -> Iterator[object]:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_a_local_dask_cluster_gives_byte_identical_outputs(
    tmp_path: Path, dask_client: object
) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha", "beta", "gamma"])
    local = batch(manifest, tmp_path / "local", jobs=2)
    on_dask = batch(manifest, tmp_path / "dask", client=dask_client)  # type: ignore[arg-type]
    assert [r.book.title for r in on_dask.results] == ["Alpha", "Beta", "Gamma"]
    assert not local.failures and not on_dask.failures
    assert _outputs(tmp_path / "local") == _outputs(tmp_path / "dask")
    assert {Path(name).parent.name for name in _outputs(tmp_path / "dask")} == {
        "Alpha",
        "Beta",
        "Gamma",
    }


def test_coref_on_a_dask_cluster_and_in_processes_gives_the_same_files(
    tmp_path: Path, dask_client: object
) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha", "beta"])
    local = batch(manifest, tmp_path / "local", jobs=2, coref=True)
    on_dask = batch(manifest, tmp_path / "dask", client=dask_client, coref=True)  # type: ignore[arg-type]
    assert not local.failures and not on_dask.failures
    outputs = _outputs(tmp_path / "dask")
    assert outputs == _outputs(tmp_path / "local")
    assert {"Alpha/quotes.csv", "Beta/quotes.csv"} <= set(outputs)


@pytest.mark.parametrize("where", ["processes", "dask"])
def test_a_stopped_batch_starts_no_more_books(
    tmp_path: Path, where: str, request: pytest.FixtureRequest
) -> None:
    # Ctrl-C or SIGTERM reaches kg as a KeyboardInterrupt, here raised at the first result
    manifest = _corpus(tmp_path / "books", [f"book{n}" for n in range(8)])
    client = request.getfixturevalue("dask_client") if where == "dask" else None

    def stop(result: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as stopped:  # kept: it holds the batch's tasks
        batch(manifest, tmp_path / "out", jobs=2, client=client, on_result=stop)
    for _ in range(600):  # a process pool is shut down on return; Dask's workers may run on
        if client is None or not any(client.processing().values()):
            break
        time.sleep(0.1)
    assert stopped.type is KeyboardInterrupt
    assert 1 <= len(list((tmp_path / "out").glob("*/book.json"))) < 8


def test_the_cli_runs_on_a_dask_scheduler(tmp_path: Path, dask_client: object) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha"])
    address = dask_client.scheduler.address  # type: ignore[attr-defined]
    args = ["batch", "--books", str(manifest), "--out", str(tmp_path / "out")]
    result = runner.invoke(app, [*args, "--scheduler", address])
    assert result.exit_code == 0, result.output
    assert "1 books: 1 extracted, 0 up to date, 0 failed" in result.output
    assert (tmp_path / "out" / "Alpha" / "mentions.csv").is_file()


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha"])
    args = ["batch", "--books", str(manifest), "--out", str(tmp_path / "out")]
    result = runner.invoke(app, [*args, "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in one_error_line(result.output)


@pytest.mark.neo4j
def test_batch_load_puts_every_book_in_neo4j_once(
    tmp_path: Path, neo4j_server: Neo4jServer, neo4j_driver: neo4j.Driver
) -> None:
    manifest = _corpus(tmp_path / "books", ["alpha", "beta"])
    args = ["batch", "--books", str(manifest), "--out", str(tmp_path / "out"), "--load"]
    env = neo4j_env(neo4j_server)

    def counts() -> tuple[int, int]:
        (row,) = neo4j_driver.execute_query(
            "MATCH (b:Book) WITH count(b) AS books "
            "MATCH ()-[r:INTERACTS]->() RETURN books, count(r) AS ties"
        ).records
        return row["books"], row["ties"]

    first = runner.invoke(app, args, env=env)
    assert first.exit_code == 0, first.output
    loaded = counts()
    assert loaded[0] == 2 and loaded[1] > 0
    again = runner.invoke(app, args, env=env)
    assert again.exit_code == 0, again.output
    assert "0 extracted, 2 up to date" in again.output
    assert counts() == loaded


@pytest.mark.neo4j
def test_batch_load_keeps_the_manifests_series(
    tmp_path: Path, neo4j_server: Neo4jServer, neo4j_driver: neo4j.Driver
) -> None:
    manifest = _corpus(tmp_path / "books", ["one", "two", "other"])
    rows = manifest.read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace(",One,,", ",One,Saga,")
    rows[2] = rows[2].replace(",Two,,", ",Two,Saga,")
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["batch", "--books", str(manifest), "--out", str(tmp_path / "out"), "--load"]
    result = runner.invoke(app, args, env=neo4j_env(neo4j_server))
    assert result.exit_code == 0, result.output
    records = neo4j_driver.execute_query(
        "MATCH (c:Character {name: $name})-[:IN_BOOK]->(b:Book) "
        "RETURN c.series AS series, collect(b.title) AS books ORDER BY series",
        name="Tobias Thornley",
    ).records
    assert [(r["series"], sorted(r["books"])) for r in records] == [
        ("Other", ["Other"]),
        ("Saga", ["One", "Two"]),
    ]
