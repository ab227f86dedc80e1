"""The scrape stage with real headless Chromium against wiki pages served on 127.0.0.1.

The server serves data/sample/ under /sample/ and tests/fixtures/wiki/ under /extra/, never
lets the browser cache a page (so every browser load reaches it), records each request, and
can be told to hang or answer 503 for the next requests of a path.
"""

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from selenium.webdriver.common.selenium_manager import SeleniumManager
from typer.testing import CliRunner

from kg import settings
from kg import wiki as wiki_pages
from kg.cli import app
from kg.errors import ScrapeError
from kg.files import read_characters
from kg.records import Character, FamilyTie
from kg.scrape import Browser, Fetcher, FetchFailed, SavedPages, scrape_characters, scrape_text

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
EXTRA = Path(__file__).resolve().parent / "fixtures" / "wiki"
TIMEOUT = 5.0
"""Page-load timeout of the test browser; a hanging request outlasts it."""
runner = CliRunner()


class WikiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.roots = {"sample": SAMPLE, "extra": EXTRA}
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests: list[str] = []
        self.agents: set[str] = set()
        self.times: list[float] = []
        self.faults: dict[str, list[str]] = {}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{path}"

    def hits(self, name: str) -> int:
        return sum(1 for r in self.requests if r.endswith("/" + name))

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that gave up on a hanging page closes the socket: not worth a traceback."""


_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".bin": "application/octet-stream",
    ".png": "image/png",
}


class _Handler(BaseHTTPRequestHandler):
    server: WikiServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/favicon.ico":
            return self._send(404, b"", "text/plain")
        with self.server.lock:
            self.server.requests.append(path)
            self.server.times.append(time.monotonic())
            self.server.agents.add(self.headers.get("User-Agent", ""))
            faults = self.server.faults.get(path, [])
            fault = faults.pop(0) if faults else None
        if fault == "hang":
            time.sleep(TIMEOUT + 1)
        elif fault is not None:
            return self._send(int(fault), b"<html><body><p>Busy, try later</p></body></html>")
        root_name, _, rest = path.lstrip("/").partition("/")
        root = self.server.roots.get(root_name)
        file = (root / rest).resolve() if root else None
        if root is None or file is None or not file.is_file() or root not in file.parents:
            return self._send(404, b"<html><body><h1>Not Found</h1></body></html>")
        kind = _TYPES.get(file.suffix, "text/html; charset=utf-8")
        self._send(200, file.read_bytes(), kind)

    def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="session")
def server() -> Iterator[WikiServer]:
    httpd = WikiServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def wiki(server: WikiServer) -> WikiServer:
    server.reset()
    return server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with Browser(timeout=TIMEOUT) as session:
        yield session


def fetcher(browser: Browser, cache: Path, *, retries: int = 3, refresh: bool = False) -> Fetcher:
    """A fetcher on the shared browser with no delay and no backoff, so tests stay fast."""
    return Fetcher(browser, cache, delay=0, backoff=0, retries=retries, refresh=refresh)


def extra_expected(wiki: WikiServer) -> list[Character]:
    def url(name: str) -> str:
        return wiki.url(f"extra/{name}.html")

    return [
        Character(
            name="Ada Quill",
            aliases=("Little Quill", "The Lamplighter"),
            first_chapter=1,
            gender="female",
            facts=(
                ("species", ("Human",)),
                ("house", ("Quill House",)),
                ("blood", ("Half-tide",)),
                ("nationality", ("English",)),
                ("loyalty", ("Weir Guild", "Night Watch", "River Council")),
            ),
            family=(
                FamilyTie("Tom Quill", "father"),
                FamilyTie("Ruth Quill", "maternal grandmother"),
            ),
            url=url("Ada_Quill"),
        ),
        Character(
            "Oswin Reed",
            first_chapter=1,
            gender="male",
            facts=(("species", ("Human",)),),
            url=url("Flaky_Page"),
        ),
        Character("Nobody Yet", first_chapter=1),  # a red link: no page, still a character
        Character(
            "Petra Sloane",
            ("Keeper Sloane",),
            first_chapter=2,
            gender="female",
            url=url("Busy_Page"),
        ),
        Character(
            "Hobb Tanner",
            first_chapter=2,
            gender="male",
            facts=(("house", ("Tanners' Row",)),),
            url=url("Slow_Page"),
        ),
        Character("Wenna Cole", first_chapter=2, gender="female", url=url("Down_Page")),
    ]


@pytest.mark.browser
def test_error_pages_are_retried_or_skipped(
    wiki: WikiServer, browser: Browser, tmp_path: Path
) -> None:
    wiki.faults = {
        "/extra/Flaky_Page.html": ["hang"],
        "/extra/Busy_Page.html": ["503"],
        "/extra/Down_Page.html": ["503", "429", "503", "503"],
    }
    result = scrape_characters(wiki.url("extra/index.html"), fetcher(browser, tmp_path, retries=3))
    assert list(result.characters) == extra_expected(wiki)[:-1]
    reasons = {s.name: s.reason for s in result.skipped}
    assert reasons == {
        "The author's site": "external link",
        "Lost Person": "HTTP 404",
        "The Mill": "not a character page (no infobox or characters category)",
        "Wenna Cole": "HTTP 503 (3 attempts)",
    }
    assert (wiki.hits("Flaky_Page.html"), wiki.hits("Busy_Page.html")) == (2, 2)
    assert (wiki.hits("Down_Page.html"), wiki.hits("Missing_Page.html")) == (3, 1)
    assert wiki.hits("Nobody_Yet.html") == wiki.hits("the-weir") == 0
    assert (result.loaded, result.cached) == (len(wiki.requests), 0)
    assert wiki.agents == {settings.USER_AGENT}


@pytest.mark.browser
def test_index_with_chapter_sections_at_h3_and_red_links(
    wiki: WikiServer, browser: Browser, tmp_path: Path
) -> None:
    result = scrape_characters(wiki.url("extra/index_h3.html"), fetcher(browser, tmp_path))
    ada, oswin, nobody, petra, hobb, _ = extra_expected(wiki)
    assert list(result.characters) == [
        ada,
        nobody,
        oswin,  # under "Mentioned in passing", an h4 inside chapter 1's h3 section
        petra,
        replace(hobb, first_chapter=3),
        Character("Mira Dune", first_chapter=3),
    ]
    assert result.skipped == ()
    assert wiki.hits("The_Mill.html") == wiki.hits("Nobody_Yet.html") == 0


class TitlesOnly:
    """Another wiki's layout: any page with an <h1> is a character of that name, and no facts."""

    content = "body"
    fields = ("aliases", "gender")
    parse_index = staticmethod(wiki_pages.FANDOM.parse_index)

    def __init__(self) -> None:
        self.pages: list[str] = []

    def parse_character(
        self, html: str, url: str, *, first_chapter: int | None = None, name: str | None = None
    ) -> Character | None:
        self.pages.append(url)
        title = BeautifulSoup(html, "html.parser").h1
        return (
            Character(title.get_text(" ", strip=True), first_chapter=first_chapter, url=url)
            if title
            else None
        )


@pytest.mark.browser
def test_scrape_reads_pages_through_the_layout_it_is_given(
    wiki: WikiServer, browser: Browser, tmp_path: Path
) -> None:
    layout, index = TitlesOnly(), wiki.url("extra/index_h3.html")
    fandom = scrape_characters(index, fetcher(browser, tmp_path / "fandom"))
    result = scrape_characters(index, fetcher(browser, tmp_path / "titles"), layout=layout)
    assert {c.url for c in fandom.characters if c.url} <= set(layout.pages)
    assert [(c.name, c.first_chapter, c.url) for c in result.characters] == [
        (c.name, c.first_chapter, c.url) for c in fandom.characters
    ]
    assert result.fields_found() == {"aliases": 0, "gender": 0}
    assert fandom.fields_found()["gender"] > 0


@pytest.mark.browser
def test_rerun_is_served_from_the_cache(wiki: WikiServer, browser: Browser, tmp_path: Path) -> None:
    index = wiki.url("extra/index.html")
    wiki.faults = {"/extra/Down_Page.html": ["503"] * 3}
    first = scrape_characters(index, fetcher(browser, tmp_path))
    assert list(first.characters) == extra_expected(wiki)[:-1]
    assert wiki.hits("Missing_Page.html") == 1
    wiki.reset()
    second = scrape_characters(index, fetcher(browser, tmp_path))
    # A 404 is an answer and stays cached; a page that failed was not cached and is tried again.
    assert wiki.requests == ["/extra/Down_Page.html"]
    assert list(second.characters) == extra_expected(wiki)
    assert (second.loaded, second.cached) == (1, 7)
    meta = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    assert set(meta) == {"url", "final_url", "status", "fetched_at", "user_agent", "content_type"}


@pytest.mark.browser
def test_offline_rerun_needs_no_browser(wiki: WikiServer, browser: Browser, tmp_path: Path) -> None:
    index = wiki.url("extra/index.html")
    first = scrape_characters(index, fetcher(browser, tmp_path))
    wiki.reset()
    absent = Browser(binary=tmp_path / "no-chromium", driver=tmp_path / "no-driver")
    with Fetcher(absent, tmp_path, delay=0) as offline:
        second = scrape_characters(index, offline)
    assert wiki.requests == []
    assert second.characters == first.characters
    assert (second.loaded, second.cached) == (0, 8)


@pytest.mark.browser
def test_refresh_loads_every_page_again(wiki: WikiServer, browser: Browser, tmp_path: Path) -> None:
    index = wiki.url("extra/index.html")
    scrape_characters(index, fetcher(browser, tmp_path))
    wiki.reset()
    again = scrape_characters(index, fetcher(browser, tmp_path, refresh=True))
    assert again.cached == 0
    assert wiki.hits("index.html") == wiki.hits("Ada_Quill.html") == 1


class _Stop(Exception):
    pass


@pytest.mark.browser
def test_interrupted_scrape_resumes_without_refetching(
    wiki: WikiServer, browser: Browser, tmp_path: Path
) -> None:
    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise _Stop

    index = wiki.url("extra/index.html")
    with pytest.raises(_Stop):
        scrape_characters(index, fetcher(browser, tmp_path), progress=stop_after_two)
    assert wiki.requests == ["/extra/index.html", "/extra/Ada_Quill.html", "/extra/Flaky_Page.html"]
    wiki.reset()
    done = scrape_characters(index, fetcher(browser, tmp_path))
    assert wiki.requests == [
        f"/extra/{name}.html"
        for name in ("Missing_Page", "The_Mill", "Busy_Page", "Slow_Page", "Down_Page")
    ]
    assert list(done.characters) == extra_expected(wiki)


@pytest.mark.browser
def test_limit_then_full_run_through_the_cli(wiki: WikiServer, tmp_path: Path) -> None:
    out, cache = tmp_path / "chars.jsonl", tmp_path / "cache"
    args = ["scrape", "characters", "--index-url", wiki.url("extra/index.html"), "--out", str(out)]
    args += ["--cache", str(cache), "--delay", "0", "--timeout", str(TIMEOUT)]
    limited = runner.invoke(app, [*args, "--limit", "2"])
    assert limited.exit_code == 0, limited.output
    assert [c.name for c in read_characters(out)] == ["Ada Quill", "Oswin Reed", "Nobody Yet"]
    assert "Wrote 3 characters" in limited.output
    wiki.reset()
    full = runner.invoke(app, args)
    assert full.exit_code == 0, full.output
    assert (
        wiki.hits("index.html") == wiki.hits("Ada_Quill.html") == wiki.hits("Flaky_Page.html") == 0
    )
    assert read_characters(out) == extra_expected(wiki)
    assert "WARNING: could not read 1 of 9 links: Lost Person <" in full.output
    assert "Nobody Yet" not in full.output  # a red link: in the summary, not warned about
    assert "Wrote 6 characters" in full.output
    assert "(5 pages loaded, 3 from cache; 1 from red links," in full.output
    assert (
        "Fields found: aliases 2, family 1, loyalty 1, house 2, blood 1, species 2" in full.output
    )
    assert "Skipped 3 links: 1 HTTP 404, 1 external link, 1 not a character page" in full.output


@pytest.mark.browser
def test_polite_delay_spaces_page_loads(wiki: WikiServer, browser: Browser, tmp_path: Path) -> None:
    polite = Fetcher(browser, tmp_path, delay=0.3, backoff=0)
    scrape_characters(wiki.url("extra/index.html"), polite, limit=2)
    gaps = [b - a for a, b in zip(wiki.times, wiki.times[1:], strict=False)]
    assert len(gaps) == 2
    assert min(gaps) >= 0.3


@pytest.mark.browser
def test_index_that_fails_is_an_error(wiki: WikiServer, browser: Browser, tmp_path: Path) -> None:
    with pytest.raises(ScrapeError, match=r"Nope.html: HTTP 404"):
        scrape_characters(wiki.url("extra/Nope.html"), fetcher(browser, tmp_path))
    with pytest.raises(ScrapeError, match="no links under chapter headings"):
        scrape_characters(wiki.url("extra/The_Mill.html"), fetcher(browser, tmp_path))


@pytest.mark.browser
def test_scrape_text_from_a_served_html_page(
    wiki: WikiServer, browser: Browser, tmp_path: Path
) -> None:
    book = scrape_text(wiki.url("extra/book.html"), fetcher(browser, tmp_path))
    assert book == (
        "The Weir\n\nChapter 1\n\nAda Quill opened the sluice gate at dawn, and the river came"
        " through it like a held breath let go.\n\n\u201cMind the gate,\u201d said Oswin Reed.\n"
        "\u201cI always do,\u201d said Ada.\n\nChapter 2\n\nBy noon the water stood high against"
        " the mill wall, and Petra Sloane came down to watch it.\n"
    )


@pytest.mark.browser
def test_scrape_text_cli_from_a_served_text_file(wiki: WikiServer, tmp_path: Path) -> None:
    out = tmp_path / "BOOK.txt"
    args = ["scrape", "text", "--url", wiki.url("extra/book.txt"), "--out", str(out)]
    result = runner.invoke(app, [*args, "--cache", str(tmp_path / "cache"), "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (
        "CHAPTER ONE\n\nAda Quill opened the sluice gate. Caf\u00e9 talk followed \u2014 at"
        " length.\n\nCHAPTER TWO\n\nThe water rose.\n"
    )
    assert wiki.requests == ["/extra/book.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["characters", "--index-url", "not a url"], "not a web address"),
        (["text", "--url", "http://127.0.0.1:9/x.html", "README.md"], "not both"),
        (["text"], "either --url URL or a local SOURCE"),
    ],
)
def test_bad_scrape_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["scrape", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("missing", ["--browser", "--driver"])
def test_missing_chromium_says_how_to_install(tmp_path: Path, missing: str) -> None:
    url = "http://127.0.0.1:9/wiki/index.html"
    args = ["scrape", "characters", "--index-url", url, "--out", str(tmp_path / "c.jsonl")]
    args += ["--cache", str(tmp_path), missing, str(tmp_path / "nothing-here")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "apt-get install chromium chromium-driver" in result.output


def test_scrape_text_cli_from_local_files(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "02.txt").write_text("CHAPTER TWO\r\n\r\nThe water rose.\r\n", encoding="utf-8")
    (folder / "01.html").write_bytes((EXTRA / "book.html").read_bytes())
    out = tmp_path / "BOOK.txt"
    result = runner.invoke(app, ["scrape", "text", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("The Weir\n\nChapter 1\n\nAda Quill opened the sluice gate")
    assert text.endswith("Petra Sloane came down to watch it.\n\nCHAPTER TWO\n\nThe water rose.\n")
    single = runner.invoke(app, ["scrape", "text", str(EXTRA / "book.txt"), "-o", str(out)])
    assert single.exit_code == 0, single.output
    assert "Caf\u00e9 talk" in out.read_text(encoding="utf-8")


def _sample_expected(server: WikiServer) -> list[Character]:
    """data/sample/characters.jsonl with its wiki-relative URLs made absolute for the server,
    and the red link of the index (Josiah Hobb, who has no page) in its place."""
    listed = [
        replace(c, url=server.url(f"sample/{c.url}") if c.url else None)
        for c in read_characters(SAMPLE / "characters.jsonl")
    ]
    after = next(i for i, c in enumerate(listed) if c.name == "Will Baker") + 1
    return [*listed[:after], Character("Josiah Hobb", first_chapter=1), *listed[after:]]


@pytest.mark.browser
def test_full_scrape_of_the_sample_wiki_feeds_extract(wiki: WikiServer, tmp_path: Path) -> None:
    out = tmp_path / "characters.jsonl"
    args = ["scrape", "characters", "--index-url", wiki.url("sample/wiki/index.html")]
    args += ["--out", str(out), "--cache", str(tmp_path / "cache"), "--delay", "0"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert read_characters(out) == _sample_expected(wiki)
    assert "Wrote 20 characters" in result.output
    assert "1 from red links, with name and first chapter only" in result.output
    assert "Skipped 2 links: 1 external link, 1 not a character page" in result.output
    assert wiki.hits("Josiah_Hobb.html") == 0

    outdir = tmp_path / "extract"
    book = SAMPLE / "book.txt"
    args = ["extract", "--book", str(book), "--characters", str(out), "--out", str(outdir)]
    extracted = runner.invoke(app, args)
    assert extracted.exit_code == 0, extracted.output
    with (outdir / "characters.csv").open(encoding="utf-8", newline="") as f:
        found = {row["name"]: row for row in csv.DictReader(f)}
    scraped = read_characters(out)
    assert set(found) == {c.name for c in scraped}
    assert all(int(row["mentions"]) > 0 for row in found.values())
    assert found["Tobias Thornley"]["aliases"] == "Toby;The Ferryman's Boy"
    used = read_characters(outdir / "characters.jsonl")
    # extract writes back every scraped fact, plus what it inferred (kg.gender): where a
    # gender came from, marriage, and a gender for the red link Josiah Hobb, who has no page
    inferred = {"gender_source": None, "married": None, "married_source": None}
    assert [
        replace(c, **inferred, gender=c.gender if s.gender else None)
        for c, s in zip(used, scraped, strict=True)
    ] == scraped


@pytest.mark.browser
def test_unreachable_server_and_missing_file(browser: Browser, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(ScrapeError, match=r"no response \(.+\) \(2 attempts\)"):
        scrape_text(f"http://127.0.0.1:{closed}/book.html", fetcher(browser, tmp_path, retries=2))
    with pytest.raises(ScrapeError, match="HTTP 404"):
        scrape_text((tmp_path / "none.html").as_uri(), fetcher(browser, tmp_path))
    assert scrape_text((EXTRA / "book.html").as_uri(), fetcher(browser, tmp_path)).startswith(
        "The Weir\n"
    )


@pytest.mark.browser
def test_selenium_manager_is_never_asked(
    wiki: WikiServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("Selenium Manager was asked for a driver")

    monkeypatch.setattr(SeleniumManager, "binary_paths", refuse)
    with Fetcher(cache=tmp_path, delay=0) as own:
        assert scrape_text(wiki.url("extra/book.txt"), own).startswith("CHAPTER ONE\n")


def test_saved_pages_read_local_files_like_a_browser(tmp_path: Path) -> None:
    pages = SavedPages()
    page = tmp_path / "Ada.html"
    page.write_bytes("<p>Caf\u00e9</p>".encode("cp1252"))
    assert pages.load(page.as_uri()) == (200, page.as_uri(), "<p>Caf\u00e9</p>", "text/html")
    assert pages.load((tmp_path / "gone.html").as_uri())[0] == 404
    with pytest.raises(ScrapeError, match="cannot read"):
        pages.load(tmp_path.as_uri())
    with pytest.raises(ScrapeError, match="file:// URLs only"):
        pages.load("http://127.0.0.1/")
    assert pages.loads == 3


@pytest.fixture
def short_temp() -> Iterator[Path]:
    """An empty TMPDIR for a kg process, with a path short enough for Chromium's socket names."""
    temp = Path(tempfile.mkdtemp(prefix="kg-test-", dir="/tmp"))
    yield temp
    shutil.rmtree(temp)


@pytest.mark.browser
def test_links_to_files_are_skipped_and_never_cached_as_another_page(
    wiki: WikiServer, browser: Browser, tmp_path: Path
) -> None:
    result = scrape_characters(wiki.url("extra/files_index.html"), fetcher(browser, tmp_path))
    assert [c.name for c in result.characters] == ["Ada Quill"]
    assert {s.name: s.reason for s in result.skipped} == {
        "The weir ledger": "not a web page (a file download)",
        "Plan of the sluice": "not a web page (image/png)",
    }
    wiki.reset()
    again = fetcher(browser, tmp_path)
    for name in ("Weir_ledger.bin", "Sluice_plan.png"):
        with pytest.raises(FetchFailed, match="not a web page"):
            again.fetch(wiki.url(f"extra/{name}"))
    assert (again.cached, wiki.requests) == (2, [])
    cached = [p.read_text(encoding="utf-8") for p in tmp_path.glob("*.html")]
    assert sum("portable-infobox" in html for html in cached) == 1


@pytest.mark.browser
def test_a_scrape_downloads_nothing_and_reports_the_files_it_skipped(
    wiki: WikiServer, tmp_path: Path, short_temp: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    temp = short_temp
    pid = [sys.executable, "-c", "import os; print(os.getpid())"]
    ended = subprocess.run(pid, capture_output=True, text=True, check=True)
    (temp / f"kg-chromium-{int(ended.stdout)}-ab_cd123").mkdir()  # left by a killed run
    command = [sys.executable, "-m", "kg", "scrape", "characters", "--out", str(tmp_path / "c")]
    command += ["--index-url", wiki.url("extra/files_index.html"), "--cache", str(tmp_path / "x")]
    done = subprocess.run(
        [*command, "--delay", "0", "--timeout", str(TIMEOUT)],
        env={**os.environ, "HOME": str(home), "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (
        "Skipped 2 links: 1 not a web page (a file download), 1 not a web page (image/png)."
        in done.stdout
    )
    assert not (home / "Downloads").exists()
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith("Weir_ledger")]
    assert list(temp.iterdir()) == []


def _descendants(pid: int) -> dict[int, str]:
    """The processes below pid, by pid, with their command lines."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child in (c for c, p in parents.items() if p == parent):
            try:
                found[child] = (
                    Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
                ).decode()
            except OSError:
                continue
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.browser
def test_sigterm_during_a_scrape_quits_chromium_and_removes_its_profile(
    wiki: WikiServer, tmp_path: Path, short_temp: Path
) -> None:
    wiki.faults = {"/extra/Ada_Quill.html": ["hang"]}
    command = [sys.executable, "-m", "kg", "scrape", "characters", "--out", str(tmp_path / "c")]
    command += ["--index-url", wiki.url("extra/index.html"), "--cache", str(tmp_path / "cache")]
    env = {**os.environ, "TMPDIR": str(short_temp)}
    with subprocess.Popen(
        [*command, "--delay", "0", "--timeout", "60"], env=env, stderr=subprocess.PIPE, text=True
    ) as process:
        for _ in range(600):  # until kg's browser asks for the page that hangs
            if "/extra/Ada_Quill.html" in wiki.requests or process.poll() is not None:
                break
            time.sleep(0.1)
        browser = _descendants(process.pid)
        assert any("chromedriver" in c for c in browser.values())
        assert any("chromium" in c for c in browser.values())
        assert list(short_temp.glob("kg-chromium-*"))  # the browser profile
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) != 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()
    for _ in range(100):  # Chromium's last processes may take a moment to go
        if not any(_alive(pid) for pid in browser):
            break
        time.sleep(0.1)
    assert [c for pid, c in browser.items() if _alive(pid)] == []
    assert list(short_temp.iterdir()) == []
