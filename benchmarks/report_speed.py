"""Report speed for a large cast: laying out and drawing a 600-character network.

Builds a synthetic extraction OUTDIR in memory (default 600 characters in 40 chapters, with
ties drawn so that a few characters meet many others, as in a novel), times `kg.report`'s
Python side (layout and page), then opens the page in headless Chromium and times it until
the network is drawn and fitted. The goal: under 5 s in all for 600 characters.

    python benchmarks/report_speed.py [--characters N] [--ties N] [--screenshot PNG]
"""

import argparse
import random
import tempfile
import time
from pathlib import Path

import pandas as pd
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from kg.graph import Graph
from kg.records import Chapter
from kg.report import render_report

CHAPTERS = 40


def synthetic_graph(characters: int, ties: int, seed: int) -> Graph:
    """A cast whose k-th character is mentioned about 1/k as often; ties prefer the central."""
    rng = random.Random(seed)
    names = [f"Person {i:04d}" for i in range(characters)]
    weights = [1 / (k + 1) for k in range(characters)]
    mentions = [max(1, round(400 * w)) for w in weights]
    appearances = [
        (rng.randint(1, CHAPTERS), name, 1)
        for name, count in zip(names, mentions, strict=True)
        for _ in range(count)
    ]
    rows = []
    for _ in range(ties):
        a, b = sorted(rng.choices(names, weights=weights, k=2))
        if a != b:
            rows.append((rng.randint(1, CHAPTERS), a, b, rng.randint(1, 3)))
    appearance = pd.DataFrame(appearances, columns=["chapter", "name", "mentions"])
    appearance = appearance.groupby(["chapter", "name"], as_index=False)["mentions"].sum()
    interactions = pd.DataFrame(rows, columns=["chapter", "source", "target", "weight"])
    interactions = interactions.groupby(["chapter", "source", "target"], as_index=False).sum()
    counts = appearance.groupby("name")["mentions"].sum()
    plain = Graph(pd.DataFrame({"name": names}), appearance, interactions)
    ranks = plain.pagerank()
    communities = plain.communities()
    community = {m: row.community for row in communities.itertuples() for m in row.members}
    frame = pd.DataFrame(
        {
            "name": names,
            "mentions": [int(counts.get(n, 0)) for n in names],
            "pagerank": [float(ranks.get(n, 0.0)) for n in names],
            "community": [int(community.get(n, len(communities))) for n in names],
            "aliases": ["" for _ in names],
        }
    )
    return Graph(frame[frame["mentions"] > 0], appearance, interactions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--characters", type=int, default=600)
    parser.add_argument("--ties", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    graph = synthetic_graph(args.characters, args.ties, args.seed)
    chapters = [Chapter(n, f"Chapter {n}", 0, 0) for n in range(1, CHAPTERS + 1)]
    started = time.perf_counter()
    page = render_report(graph, chapters, {"title": "Report benchmark"})
    python = time.perf_counter() - started
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        path.write_text(page, encoding="utf-8")
        try:
            started = time.perf_counter()
            driver.get(path.as_uri())
            WebDriverWait(driver, 300).until(
                lambda d: d.execute_script("return document.documentElement.dataset.kgReady")
            )
            browser = time.perf_counter() - started
            shown = driver.execute_script(
                "return window.kg.nodes.get({filter: n => !n.hidden}).length"
            )
            if args.screenshot:
                driver.save_screenshot(str(args.screenshot))
        finally:
            driver.quit()
    ties = graph.interactions.groupby(["source", "target"]).ngroups
    print(f"{len(graph.characters)} characters, {ties} ties, {shown} shown at first")
    print(f"layout and page (Python): {python:.2f} s")
    print(f"page drawn in Chromium:   {browser:.2f} s")
    print(f"total:                    {python + browser:.2f} s")


if __name__ == "__main__":
    main()
