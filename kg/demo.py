"""`kg demo`: the whole job on the bundled sample, an original novella and its wiki."""

import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg import settings
from kg.errors import InputError
from kg.ingest import IngestSummary, ingest

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SAMPLE_TITLE = "The Lantern Ferry"


def sample_dir() -> Path:
    """The bundled sample's folder (data/sample of a kg clone)."""
    if not (SAMPLE / "book.txt").is_file() or not (SAMPLE / "wiki" / "index.html").is_file():
        raise InputError(
            f"{SAMPLE}: the bundled sample is missing; kg demo runs from a clone of kg "
            "installed with `pip install -e .`"
        )
    return SAMPLE


def chromium_installed() -> bool:
    """Whether Debian's Chromium and chromedriver are where the scraper looks for them."""
    return Path(settings.CHROMIUM).is_file() and Path(settings.CHROMEDRIVER).is_file()


def demo(
    out: Path, *, browser: bool = True, on_stage: Callable[[str], object] | None = None
) -> tuple[IngestSummary, str]:
    """Scrape the sample wiki, extract the sample book, write OUTDIR with its report.

    With Chromium (and `browser`), the wiki is served on 127.0.0.1 and scraped with Selenium;
    otherwise its saved pages are parsed from disk. Returns the summary and how the wiki was read.
    """
    from kg.scrape import Browser, Fetcher, SavedPages

    sample = sample_dir()
    book = sample / "book.txt"
    options: dict[str, Any] = {"title": SAMPLE_TITLE, "on_stage": on_stage}
    with tempfile.TemporaryDirectory(prefix="kg-demo-cache-") as cache:
        if browser and chromium_installed():
            with serve(sample / "wiki") as base, Fetcher(Browser(), cache, delay=0) as fetcher:
                url = f"{base}/index.html"
                summary = ingest(book, out, index_url=url, fetcher=fetcher, **options)
            return summary, f"scraped with headless Chromium from {base}"
        with Fetcher(SavedPages(), cache, delay=0) as fetcher:
            index = (sample / "wiki" / "index.html").as_uri()
            summary = ingest(book, out, index_url=index, fetcher=fetcher, **options)
        reason = "as asked" if not browser else "Chromium is not installed"
        return summary, f"read from the saved pages in {sample / 'wiki'} ({reason})"


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder over HTTP on a free port of 127.0.0.1 while the block runs; yields its URL."""
    handler = partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged."""
