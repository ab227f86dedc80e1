"""The scrape stage: headless Chromium (Selenium 4) fetches wiki pages into an on-disk cache.

Selenium does not expose HTTP status codes. The status of each page is read from the page's
own Navigation Timing entry (`responseStatus`), which the browser fills from the response it
rendered, so no second request is made. Timeouts, 429, 5xx and failed connections are retried
with exponential backoff; other 4xx answers are final and cached like any page.

Downloads are denied. Each load starts from about:blank, so a link to a file (which the browser
would download instead of showing) leaves the browser there: such links, and documents that
are not HTML or plain text, are cached as what they are and skipped, never cached as the page
the browser showed before.
"""

import hashlib
import json
import logging
import mimetypes
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit
from urllib.request import url2pathname

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from kg import settings, text, wiki
from kg.errors import InputError, ScrapeError
from kg.files import remove_stale_temps, write_atomic
from kg.records import Character

log = logging.getLogger(__name__)

_STATUS_JS = (
    "const e = performance.getEntriesByType('navigation')[0];"
    " return [e ? e.responseStatus : 0, location.href, document.contentType];"
)
_RETRY_STATUSES = frozenset({408, 425, 429})
_BLANK = "about:blank"
WEB_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
"""The content types read as pages; a link to anything else is skipped."""
DOWNLOAD = ""
"""The content type recorded for a link the browser would download: it showed no document."""
_NET_ERROR = re.compile(r"net::ERR_\w+")
_CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
_EXTERNAL = "external link"
_NOT_A_CHARACTER = "not a character page (no infobox or characters category)"
_ORDINARY_SKIPS = frozenset({_EXTERNAL, _NOT_A_CHARACTER})
"""Links an index has by nature: reported in the summary, not warned about."""


_PROFILE_PREFIX = "kg-chromium-"
Answer = tuple[int, str, str, str]
"""A browser's answer: HTTP status, URL after redirects, HTML, content type."""


class _Transient(Exception):
    """A failed attempt worth retrying: a timeout, 429, a 5xx or no connection."""


class FetchFailed(ScrapeError):
    """A page that could not be had: an HTTP error, or a transient failure on every attempt."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class Page:
    """A fetched page: its rendered HTML, HTTP status, URL after redirects, fetch time (UTC)
    and content type (DOWNLOAD for a file the browser would have downloaded)."""

    url: str
    html: str
    status: int
    final_url: str
    fetched_at: str
    content_type: str = "text/html"


class Browser:
    """One headless Chromium session, started on the first load and reused for every page."""

    def __init__(
        self,
        *,
        binary: str | Path = settings.CHROMIUM,
        driver: str | Path = settings.CHROMEDRIVER,
        user_agent: str = settings.USER_AGENT,
        timeout: float = settings.SCRAPE_TIMEOUT,
    ) -> None:
        self.binary = Path(binary)
        self.driver = Path(driver)
        self.user_agent = user_agent
        self.timeout = timeout
        self._session: webdriver.Chrome | None = None
        self._profile: str | None = None

    def load(self, url: str, wait_for: str | None = None) -> Answer:
        """Load a URL once and, if it is a web page, wait for `wait_for` (a CSS selector).

        Returns (HTTP status, URL after redirects, rendered HTML, content type); raises
        _Transient on a timeout, a failed connection, 408/425/429 or 5xx. A missing local file
        is a 404. A file the browser would download gives (200, url, "", DOWNLOAD).
        """
        session = self._session or self._start()
        try:
            session.get(_BLANK)
            session.get(url)
            answer, location, kind = session.execute_script(_STATUS_JS)
            status = int(answer)
            if str(location) == _BLANK:
                return 200, url, "", DOWNLOAD
            if not status and str(location).startswith("chrome-error:"):
                return _unreachable(url, "connection failed")
            if status in _RETRY_STATUSES or status >= 500:
                raise _Transient(f"HTTP {status}")
            if kind not in WEB_PAGE_TYPES:
                return status or 200, str(location), "", str(kind)
            if wait_for and status < 400:
                WebDriverWait(session, self.timeout).until(
                    ec.presence_of_element_located((By.CSS_SELECTOR, wait_for))
                )
            return status or 200, str(session.current_url), str(session.page_source), str(kind)
        except TimeoutException:
            raise _Transient(f"timed out after {self.timeout:g} s") from None
        except WebDriverException as e:
            network = _NET_ERROR.search(e.msg or "")
            if network is not None:
                return _unreachable(url, network.group())
            raise ScrapeError(f"{url}: Chromium failed ({_first_line(e.msg)})") from None

    def _start(self) -> webdriver.Chrome:
        for path, what in ((self.binary, "Chromium"), (self.driver, "chromedriver")):
            if not path.is_file():
                raise ScrapeError(
                    f"{path}: {what} not found; install it with"
                    " `apt-get install chromium chromium-driver` or pass --browser/--driver"
                )
        temp = Path(tempfile.gettempdir())
        remove_stale_temps(temp, _PROFILE_PREFIX, "")
        self._profile = tempfile.mkdtemp(prefix=f"{_PROFILE_PREFIX}{os.getpid()}-", dir=temp)
        options = webdriver.ChromeOptions()
        options.binary_location = str(self.binary)
        for flag in (*_CHROMIUM_FLAGS, f"--user-data-dir={self._profile}"):
            options.add_argument(flag)
        options.add_argument(f"--user-agent={self.user_agent}")
        # A download would land in the profile, never in ~/Downloads; but it is denied anyway.
        downloads = str(Path(self._profile) / "downloads")
        options.add_experimental_option(
            "prefs", {"download.default_directory": downloads, "download_restrictions": 3}
        )
        # In a session of its own, chromedriver is not hit by the Ctrl-C meant for kg, which
        # then quits it (and Chromium) cleanly.
        service = Service(executable_path=str(self.driver), popen_kw={"start_new_session": True})
        try:
            self._session = webdriver.Chrome(service=service, options=options)
            self._session.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "deny"})
        except WebDriverException as e:
            self.close()
            raise ScrapeError(f"cannot start Chromium: {_first_line(e.msg)}") from None
        self._session.set_page_load_timeout(self.timeout)
        return self._session

    def close(self) -> None:
        """Quit Chromium (if it was started) and remove its temporary profile."""
        if self._session is not None:
            self._session.quit()
            self._session = None
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SavedPages:
    """Stands in for the browser over pages saved on disk (file:// URLs): no rendering, no JS.

    For when Chromium is not installed and the wiki's pages are already on disk.
    """

    user_agent = "kg (saved pages)"

    def __init__(self) -> None:
        self.loads = 0

    def load(self, url: str, wait_for: str | None = None) -> Answer:
        """The saved page at a file:// URL as (200, url, html, type), or a 404 if missing;
        the type is guessed from the file name (HTML when it says nothing)."""
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ScrapeError(f"{url}: saved pages are read from file:// URLs only")
        self.loads += 1
        try:
            data = Path(url2pathname(parts.path)).read_bytes()
        except FileNotFoundError:
            return 404, url, "", "text/html"
        except OSError as e:
            raise ScrapeError(f"{url}: cannot read ({e.strerror})") from None
        kind = mimetypes.guess_type(parts.path)[0] or "text/html"
        if kind not in WEB_PAGE_TYPES:
            return 200, url, "", kind
        return 200, url, text.decode(data, url), kind

    def close(self) -> None:
        """Nothing to close."""


class Fetcher:
    """Pages by URL: from the cache folder if there, else loaded by the browser and cached.

    Loads are spaced by `delay` seconds and retried `retries` times in all, waiting `backoff`
    seconds before the first retry and doubling each time. `refresh` ignores cached pages.
    Each cached page is two files named by a hash of its URL: the HTML and a JSON sidecar.
    """

    def __init__(
        self,
        browser: Browser | SavedPages | None = None,
        cache: str | Path = settings.SCRAPE_CACHE,
        *,
        delay: float = settings.SCRAPE_DELAY,
        retries: int = settings.SCRAPE_RETRIES,
        backoff: float = settings.SCRAPE_BACKOFF,
        refresh: bool = False,
    ) -> None:
        self._own_browser = browser is None
        self.browser = browser or Browser()
        self.cache = Path(cache)
        self.delay = delay
        self.retries = max(1, retries)
        self.backoff = backoff
        self.refresh = refresh
        self.loaded = 0
        self.cached = 0
        self._last_load: float | None = None

    def fetch(self, url: str, wait_for: str | None = None) -> Page:
        """The page at url, from the cache or the browser; FetchFailed if it cannot be had."""
        page = None if self.refresh else self._read(url)
        if page is None:
            page = self._load(url, wait_for)
            self._write(page)
        else:
            self.cached += 1
        if page.status >= 400:
            raise FetchFailed(url, f"HTTP {page.status}")
        if page.content_type not in WEB_PAGE_TYPES:
            what = page.content_type or "a file download"
            raise FetchFailed(url, f"not a web page ({what})")
        return page

    def _load(self, url: str, wait_for: str | None) -> Page:
        retrying = Retrying(
            retry=retry_if_exception_type(_Transient),
            stop=stop_after_attempt(self.retries),
            wait=wait_exponential(multiplier=self.backoff),
            before_sleep=_log_retry,
            reraise=True,
        )
        try:
            status, final_url, html, kind = retrying(self._polite_load, url, wait_for)
        except _Transient as e:
            raise FetchFailed(url, f"{e} ({self.retries} attempts)") from None
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        return Page(url, html, status, final_url, fetched_at, kind)

    def _polite_load(self, url: str, wait_for: str | None) -> Answer:
        if self._last_load is not None:
            time.sleep(max(0.0, self._last_load + self.delay - time.monotonic()))
        self.loaded += 1
        try:
            return self.browser.load(url, wait_for)
        finally:
            self._last_load = time.monotonic()

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()[:32]
        return self.cache / f"{key}.html", self.cache / f"{key}.json"

    def _read(self, url: str) -> Page | None:
        html_path, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            page = Page(
                url,
                html_path.read_text(encoding="utf-8"),
                int(meta["status"]),
                str(meta["final_url"]),
                str(meta["fetched_at"]),
                str(meta["content_type"]),
            )
        except FileNotFoundError:
            return None
        except KeyError:
            return None  # cached by a kg that did not check content types: load it again
        except (OSError, ValueError, TypeError) as e:
            log.warning("%s: unusable cache entry %s (%s); fetching again", url, meta_path, e)
            return None
        return page if meta.get("url") == url else None

    def _write(self, page: Page) -> None:
        html_path, meta_path = self._paths(page.url)
        write_atomic(html_path, page.html)
        meta = {
            "url": page.url,
            "final_url": page.final_url,
            "status": page.status,
            "fetched_at": page.fetched_at,
            "content_type": page.content_type,
            "user_agent": self.browser.user_agent,
        }
        write_atomic(meta_path, json.dumps(meta, indent=1) + "\n")

    def close(self) -> None:
        """Close the browser if this fetcher started it."""
        if self._own_browser:
            self.browser.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Skipped:
    """An index link that gave no character, and why."""

    name: str
    url: str
    reason: str


@dataclass(frozen=True)
class CharacterScrape:
    """What a scrape found: characters in index order, links skipped, pages loaded and cached."""

    characters: tuple[Character, ...]
    skipped: tuple[Skipped, ...]
    loaded: int
    cached: int
    fields: tuple[str, ...] = wiki.FANDOM.fields
    """The facts the wiki's layout can give, in report order."""

    def fields_found(self) -> dict[str, int]:
        """For each fact, how many characters have it."""
        return {
            name: sum(1 for c in self.characters if c.fact(name) or getattr(c, name, None))
            for name in self.fields
        }


def scrape_characters(
    index_url: str,
    fetcher: Fetcher,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], Any] | None = None,
    layout: wiki.Layout = wiki.FANDOM,
) -> CharacterScrape:
    """Scrape a character index page, then each character page it links under a chapter heading.

    `first_chapter` is the number of the heading a character is listed under. A red link (a
    page not written yet) is a character with its name and first chapter only, unless a page
    gives one of that name. External links, pages that are not a character's and pages that
    fail are skipped, logged and returned in `skipped`. `limit` reads only the first N
    character pages; `progress` is called with (pages done, pages in all) after each one.
    `layout` parses the pages (Fandom's by default).
    """
    _check_url(index_url)
    loaded, cached = fetcher.loaded, fetcher.cached
    index = fetcher.fetch(index_url, layout.content)
    links = layout.parse_index(index.html, index.final_url)
    if not links:
        raise ScrapeError(f"{index_url}: no links under chapter headings; not a character index?")
    skipped = [Skipped(link.name, link.url, _EXTERNAL) for link in links if link.kind == "external"]
    pages = [link for link in links if link.kind == "page"][:limit]
    characters: dict[str, Character] = {}
    place: dict[str, int] = {}  # each character's link's place in the index, to keep its order
    for done, link in enumerate(pages, start=1):
        try:
            page = fetcher.fetch(link.url, layout.content)
        except FetchFailed as e:
            skipped.append(Skipped(link.name, link.url, e.reason))
        else:
            character = layout.parse_character(
                page.html, page.final_url, first_chapter=link.chapter, name=link.name
            )
            if character is None:
                skipped.append(Skipped(link.name, link.url, _NOT_A_CHARACTER))
            elif character.name in characters:
                log.info("%s: %s already read from another link", link.url, character.name)
            else:
                characters[character.name] = character
                place[character.name] = links.index(link)
        if progress is not None:
            progress(done, len(pages))
    failed = [s for s in skipped if s.reason not in _ORDINARY_SKIPS]
    for level, which, what in (
        (logging.INFO, [s for s in skipped if s not in failed], "left out"),
        (logging.WARNING, failed, "could not read"),
    ):
        if which:
            listed = "; ".join(f"{s.name} <{s.url}> ({s.reason})" for s in which)
            log.log(level, "%s %d of %d links: %s", what, len(which), len(links), listed)
    for i, link in enumerate(links):
        if link.kind == "red" and link.name not in characters:
            characters[link.name] = Character(link.name, first_chapter=link.chapter)
            place[link.name] = i
    if not characters:
        raise ScrapeError(f"{index_url}: no character pages could be read")
    return CharacterScrape(
        tuple(sorted(characters.values(), key=lambda c: place[c.name])),
        tuple(skipped),
        fetcher.loaded - loaded,
        fetcher.cached - cached,
        layout.fields,
    )


def scrape_text(url: str, fetcher: Fetcher) -> str:
    """The readable text of a web page (an HTML page's prose, or a plain-text file), normalised."""
    _check_url(url)
    book = text.html_to_text(fetcher.fetch(url).html)
    if not book:
        raise ScrapeError(f"{url}: page has no readable text")
    return book


def _unreachable(url: str, reason: str) -> Answer:
    """A page Chrome could not load at all: a missing local file is a 404, the rest is retried."""
    if url.startswith("file:"):
        return 404, url, "", "text/html"
    raise _Transient(f"no response ({reason})")


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if not ((parts.scheme in ("http", "https") and parts.netloc) or parts.scheme == "file"):
        raise InputError(f"{url!r}: not a web address (http://, https:// or file://)")


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    url = state.args[0] if state.args else "?"
    log.info("%s: %s; retry %d", url, error, state.attempt_number)


def _first_line(message: str | None) -> str:
    return (message or "unknown error").strip().splitlines()[0]
