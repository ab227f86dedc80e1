"""The HTML report: data preparation, the page, `kg report`, and the page in real Chromium."""

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import one_error_line
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from typer.testing import CliRunner

from kg.book import read_book
from kg.cli import app
from kg.errors import InputError
from kg.extract import extract
from kg.files import read_characters
from kg.graph import Graph
from kg.records import Chapter
from kg.report import (
    OTHER_COLOUR,
    PALETTE,
    edge_views,
    node_views,
    render_report,
    report_page,
    tie_passages,
    write_report,
)

OUTDIR = Path(__file__).parent / "fixtures" / "report_outdir"
# The fixture's story: who is on stage and which ties exist after each chapter.
VISIBLE = {1: (4, 3), 2: (6, 7), 3: (8, 10)}
# URLs that occur in the vendored vis-network as licence comments and metadata strings; the page
# never loads them. Any other URL in the page is a defect.
LIBRARY_URLS = {
    "https://visjs.github.io/vis-network/",
    "http://almende.com",
    "https://github.com/visjs",
    "http://www.apache.org/licenses/LICENSE-2.0",
    "http://opensource.org/licenses/MIT",
    "http://naver.github.io/egjs",
    "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.51.0/LICENSE",
}

runner = CliRunner()


@pytest.fixture
def graph() -> Graph:
    return Graph.from_dir(OUTDIR)


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(OUTDIR, copy)
    return copy


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(OUTDIR / name, keep_default_na=False)


def test_nodes_carry_mentions_so_far_and_first_chapter(graph: Graph) -> None:
    characters = _csv("characters.csv").set_index("name")
    nodes = node_views(graph)
    assert [n.name for n in nodes] == list(characters.index)  # PageRank order, as in the file
    for node in nodes:
        row = characters.loc[node.name]
        assert node.mentions[0][0] == row["first_chapter"]
        assert node.mentions[-1][1] == row["mentions"]
        chapters = [c for c, _ in node.mentions]
        counts = [n for _, n in node.mentions]
        assert chapters == sorted(set(chapters))
        assert counts == sorted(counts) and counts[0] > 0
    fen = next(n for n in nodes if n.name == "Fen Rook")
    assert fen.mentions == ((1, 1), (2, 4), (3, 5))
    assert fen.aliases == ("Fen",)


def test_edges_sum_per_chapter_weights(graph: Graph) -> None:
    expected = _csv("interactions.csv")
    edges = edge_views(graph)
    assert [(e.source, e.target, e.steps[-1][1], e.steps[0][0]) for e in edges] == list(
        expected.itertuples(index=False, name=None)
    )
    ada_ben = edges[0]
    assert (ada_ben.source, ada_ben.target) == ("Ada Marsh", "Ben Marsh")
    assert [(c, w) for c, w, _ in ada_ben.steps] == [(1, 3), (2, 4)]
    widths = {(e.source, e.target): e.steps[-1][2] for e in edges}
    assert widths["Ada Marsh", "Ben Marsh"] == 8.0  # the strongest tie of the book
    assert widths["Ada Marsh", "Ben Marsh"] > widths["Eli Rook", "Fen Rook"]
    assert widths["Eli Rook", "Fen Rook"] > widths["Ada Marsh", "Hana Vell"]
    assert widths["Ada Marsh", "Hana Vell"] > widths["Ben Marsh", "Eli Rook"] >= 1.0


@pytest.mark.parametrize("chapter", sorted(VISIBLE))
def test_as_of_chapter_counts(graph: Graph, chapter: int) -> None:
    nodes = [n for n in node_views(graph) if n.mentions[0][0] <= chapter]
    edges = [e for e in edge_views(graph) if e.steps[0][0] <= chapter]
    assert (len(nodes), len(edges)) == VISIBLE[chapter]
    as_of = graph.as_of(chapter)
    assert {n.name for n in nodes} == set(as_of.characters["name"])
    assert len(edges) == len(as_of.edges)
    names = {n.name for n in nodes}
    assert all(e.source in names and e.target in names for e in edges)


def test_sizes_follow_pagerank_and_colours_follow_community(graph: Graph) -> None:
    nodes = node_views(graph)
    by_rank = sorted(nodes, key=lambda n: -n.pagerank)
    assert [n.size for n in by_rank] == sorted((n.size for n in nodes), reverse=True)
    assert by_rank[0].size == 30.0 and by_rank[-1].size > 6.0
    assert [n.font for n in by_rank] == sorted((n.font for n in nodes), reverse=True)
    colours = {n.name: n.colour for n in nodes}
    assert colours["Ada Marsh"] == colours["Ben Marsh"] == PALETTE[0]
    assert colours["Eli Rook"] == colours["Dov Kestrel"] == PALETTE[1]
    assert colours["Gus Hale"] == OTHER_COLOUR  # alone in its community: no colour of its own
    assert node_views(graph) == nodes


def test_layout_is_seeded_and_separates_characters(graph: Graph) -> None:
    positions = {n.name: (n.x, n.y) for n in node_views(graph)}
    assert len(set(positions.values())) == len(positions)
    assert {n.name: (n.x, n.y) for n in node_views(graph, seed=42)} == positions
    closest = min(
        abs(complex(*a) - complex(*b))
        for i, a in enumerate(positions.values())
        for b in list(positions.values())[i + 1 :]
    )
    assert closest > 60


def test_same_input_gives_identical_bytes(outdir: Path, tmp_path: Path) -> None:
    first = write_report(outdir)
    assert first == outdir / "report.html"
    again = write_report(outdir, tmp_path / "again.html")
    assert first.read_bytes() == again.read_bytes()
    assert not list(outdir.glob(".*.tmp"))


def test_page_is_self_contained(outdir: Path) -> None:
    page = write_report(outdir).read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe|source|embed)\b[^>]*\b(src|href)\s*=", page)
    assert not re.search(r"url\(\s*(?!['\"]?data:)", page)
    for needle in ("@import", "sourceMappingURL=", "XMLHttpRequest", "new WebSocket"):
        assert needle not in page
    assert set(re.findall(r"https?://[^\s\"'`)<>,;]+", page)) <= LIBRARY_URLS
    assert "vis-network 10.1.5" in page
    assert 600_000 < len(page.encode()) < 800_000


def test_page_holds_tables_and_data(outdir: Path) -> None:
    page = write_report(outdir).read_text(encoding="utf-8")
    assert "<title>The Quiet Harbour: character network</title>" in page
    assert "3 chapters, 8 characters, 43 mentions, 10 ties" in page
    for caption in ("Top characters", "Communities", "Strongest ties"):
        assert f"<h2>{caption}</h2>" in page
    assert "<td>Ben Marsh, Ada Marsh, Cora Marsh, Hana Vell</td>" in page
    found = re.search(r'id="kg-data">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert [c["title"] for c in data["chapters"]] == [
        "The Lantern House",
        "Rooks at the Ferry",
        "The Last Crossing",
    ]
    assert len(data["nodes"]) == 8 and len(data["edges"]) == 10


def test_names_cannot_break_out_of_the_page() -> None:
    name = "</script><script>alert(1)</script>"
    graph = Graph(
        pd.DataFrame(
            {
                "name": [name, "Zed & Co"],
                "mentions": [2, 1],
                "pagerank": [0.6, 0.4],
                "community": [0, 0],
                "aliases": ["<b>bold</b>;x", ""],
            }
        ),
        pd.DataFrame({"chapter": [1, 1], "name": [name, "Zed & Co"], "mentions": [2, 1]}),
        pd.DataFrame({"chapter": [1], "source": [name], "target": ["Zed & Co"], "weight": [1]}),
    )
    page = render_report(graph, [Chapter(1, "One", 0, 10)], {"title": "<i>T</i>"})
    assert "alert(1)</script>" not in page
    assert "<b>bold" not in page and "<i>T</i>" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page  # in the tables, escaped
    assert "Zed &amp; Co" in page


def test_cli_writes_the_report(outdir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--from", str(outdir)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote {outdir / 'report.html'}"
    target = tmp_path / "elsewhere" / "r.html"
    result = runner.invoke(app, ["report", "--from", str(outdir), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == (outdir / "report.html").read_bytes()


def test_cli_book_gives_passages_and_refuses_another_book(outdir: Path, tmp_path: Path) -> None:
    book = tmp_path / "quiet_harbour.txt"
    book.write_text(_fixture_text(), encoding="utf-8")
    result = runner.invoke(app, ["report", "--from", str(outdir), "--book", str(book)])
    assert result.exit_code == 0, result.output
    page = (outdir / "report.html").read_text(encoding="utf-8")
    found = re.search(r'id="kg-data">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    ada_ben = next(
        e for e in data["edges"] if (e["source"], e["target"]) == ("Ada Marsh", "Ben Marsh")
    )
    assert data["text"] and ada_ben["passages"]
    assert all("Ada Marsh" in p and "Ben Marsh" in p for p in ada_ben["passages"])
    other = tmp_path / "other.txt"
    other.write_text("Chapter 1\n\nSomebody else's story, too short for these mentions.\n")
    result = runner.invoke(app, ["report", "--from", str(outdir), "--book", str(other)])
    assert result.exit_code == 1
    assert one_error_line(result.output) == (
        "Error: the book's text does not match the mentions' offsets (another book?)"
    )


def test_cli_missing_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--from", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such folder" in one_error_line(result.output)


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("chapters.csv", None, "chapters.csv: no such file"),
        ("book.json", None, "book.json: no such file"),
        ("book.json", "[1, 2]", "book.json: not a JSON object"),
        ("book.json", '{"window": 14}', "book.json: title: Field required"),
        ("book.json", '{"title": "T", "window": "wide"}', "book.json: window: Input should be"),
        ("characters.csv", "name,mentions\nAda,1\n", "characters.csv: missing column(s) aliases"),
        (
            "characters.csv",
            "name,mentions,pagerank,community,aliases,discovered\nAda,1,high,0,,false\n",
            "characters.csv:2: pagerank is not a number: 'high'",
        ),
        (
            "interactions_by_chapter.csv",
            "",
            "interactions_by_chapter.csv: missing column(s) chapter",
        ),
        (
            "interactions_by_chapter.csv",
            "chapter,source,target,weight\n1,Ada Marsh,Nobody,2\n",
            "disagrees with interactions_by_chapter.csv",
        ),
    ],
)
def test_cli_bad_outdir(outdir: Path, file: str, text: str | None, message: str) -> None:
    if text is None:
        (outdir / file).unlink()
    else:
        (outdir / file).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["report", "--from", str(outdir)])
    assert result.exit_code == 1
    assert message in one_error_line(result.output)
    assert not (outdir / "report.html").exists()


def test_cli_ties_of_unknown_characters(outdir: Path) -> None:
    (outdir / "interactions.csv").write_text(
        "source,target,weight,first_chapter\nAda Marsh,Nobody,2,1\n"
    )
    (outdir / "interactions_by_chapter.csv").write_text(
        "chapter,source,target,weight\n1,Ada Marsh,Nobody,2\n"
    )
    result = runner.invoke(app, ["report", "--from", str(outdir)])
    assert result.exit_code == 1
    assert "missing from characters.csv: Nobody" in one_error_line(result.output)


def test_cli_needs_from() -> None:
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 2
    assert "--from" in one_error_line(result.output)


_VISIBLE_JS = """
const kg = window.kg;
return [kg.nodes.get({filter: n => !n.hidden}).length,
        kg.edges.get({filter: e => !e.hidden}).length,
        document.getElementById("chapter-label").textContent,
        document.getElementById("counts").textContent];
"""


# The screen size of each shown label (top characters), and how much of the canvas the
# shown characters span (width, height).
_READABILITY_JS = """
const net = window.kg.network, scale = net.getScale();
const shown = window.kg.nodes.get({filter: n => !n.hidden});
const sizes = shown.slice(0, 25).map(n => (n.font && n.font.size || 14) * scale);
const points = Object.values(net.getPositions(shown.map(n => n.id))).map(p => net.canvasToDOM(p));
const box = document.querySelector("#network canvas").getBoundingClientRect();
const xs = points.map(p => p.x), ys = points.map(p => p.y);
return [sizes, [(Math.max(...xs) - Math.min(...xs)) / box.width,
                (Math.max(...ys) - Math.min(...ys)) / box.height]];
"""


@pytest.mark.browser
def test_report_in_chromium(chromium: webdriver.Chrome, outdir: Path, tmp_path: Path) -> None:
    driver = chromium
    page = write_report(outdir)
    driver.get_log("performance")
    driver.get(page.as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.documentElement.dataset.kgReady === '1'")
    )

    nodes, edges, label, counts = driver.execute_script(_VISIBLE_JS)
    assert (nodes, edges) == (VISIBLE[3][0] - 1, VISIBLE[3][1])  # Gus Hale: no ties, hidden
    assert label == "Chapter 3 of 3: The Last Crossing"
    assert counts == "7 characters, 10 ties"
    minor = driver.find_element(By.ID, "minor-control")
    assert minor.is_displayed() and minor.text == "show the 1 character outside the network"
    inked = driver.execute_script(
        """const c = document.querySelector("#network canvas");
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;"""
    )
    assert inked > 5000  # the canvas is drawn on, not blank
    readable, _ = driver.execute_script(_READABILITY_JS)
    assert min(readable) > 12.99, readable  # every shown label, in screen pixels

    driver.find_element(By.ID, "minor").click()
    assert tuple(driver.execute_script(_VISIBLE_JS)[:2]) == VISIBLE[3]
    positions = driver.execute_script("return window.kg.network.getPositions()")
    slider = driver.find_element(By.ID, "chapter")
    for chapter in (1, 2, 3):
        driver.execute_script(
            "arguments[0].value = arguments[1];arguments[0].dispatchEvent(new Event('input'));",
            slider,
            chapter,
        )
        nodes, edges, label, _ = driver.execute_script(_VISIBLE_JS)
        assert (nodes, edges) == VISIBLE[chapter], chapter
        assert label.startswith(f"Chapter {chapter} of 3")
        now = driver.execute_script("return window.kg.network.getPositions()")
        assert now and all(positions[n] == p for n, p in now.items())  # nothing moves
    hidden = driver.execute_script("return window.kg.nodes.get('Gus Hale').hidden")
    assert hidden is False

    driver.execute_script(
        "arguments[0].value = 2; arguments[0].dispatchEvent(new Event('input'));", slider
    )
    assert driver.execute_script("return window.kg.nodes.get('Hana Vell').hidden") is True
    point = driver.execute_script(
        """const net = window.kg.network;
        const p = net.canvasToDOM(net.getPositions(["Ada Marsh"])["Ada Marsh"]);
        const c = document.querySelector("#network canvas").getBoundingClientRect();
        return [Math.round(p.x - c.width / 2), Math.round(p.y - c.height / 2)];"""
    )
    canvas = driver.find_element(By.CSS_SELECTOR, "#network canvas")
    hover = ActionChains(driver).move_to_element_with_offset(canvas, 0, 0).pause(0.2)
    hover.move_to_element_with_offset(canvas, *point).pause(0.5).perform()
    tooltip = WebDriverWait(driver, 5).until(
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "div.vis-tooltip").is_displayed()
            and d.find_element(By.CSS_SELECTOR, "div.vis-tooltip")
        )
    )
    lines = tooltip.text.splitlines()
    assert lines == [
        "Ada Marsh",
        "mentions: 7 by chapter 2 (10 in all)",
        "PageRank: 0.1708 (whole book)",
        "community: 0",
        "aliases: Ada, Mrs. Marsh",
    ]
    screenshot = tmp_path / "report.png"
    assert driver.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 20_000

    requested = [
        json.loads(entry["message"])["message"]["params"]["request"]["url"]
        for entry in driver.get_log("performance")
        if '"Network.requestWillBeSent"' in entry["message"]
    ]
    assert requested and all(u.startswith(("file:", "data:")) for u in requested), requested
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def _large_cast(characters: int, seed: int = 3) -> Graph:
    """A discovered cast: the k-th character mentioned about 1/k as often, in 30 chapters;
    ties prefer the central characters, and a quarter of the cast meets nobody."""
    rng = random.Random(seed)
    names = [f"Harbour person number {i:03d}" for i in range(characters)]
    weights = [1 / (k + 1) for k in range(characters)]
    appearances = pd.DataFrame(
        [
            (1 + k % 30, n, max(1, round(60 * w)))
            for k, (n, w) in enumerate(zip(names, weights, strict=True))
        ],
        columns=["chapter", "name", "mentions"],
    )
    tied = names[: 3 * characters // 4]
    pairs = {
        tuple(sorted(rng.choices(tied, weights=weights[: len(tied)], k=2))) for _ in range(600)
    }
    interactions = pd.DataFrame(
        [(30, a, b, rng.randint(1, 4)) for a, b in sorted(pairs) if a != b],
        columns=["chapter", "source", "target", "weight"],
    )
    characters_frame = pd.DataFrame(
        {
            "name": names,
            "mentions": appearances["mentions"],
            "pagerank": weights,
            "community": [k % 5 for k in range(characters)],
            "aliases": [f"P{k}" for k in range(characters)],
        }
    )
    return Graph(characters_frame, appearances, interactions)


@pytest.mark.browser
def test_a_large_cast_fills_the_canvas_with_readable_labels(
    chromium: webdriver.Chrome, tmp_path: Path
) -> None:
    """170 characters: the rare and isolated wait behind the control, the rest fill the canvas,
    and the top characters' labels are readable at the default zoom."""
    graph = _large_cast(170)
    chapters = [Chapter(n, f"Part {n}", 0, 0) for n in range(1, 31)]
    page = tmp_path / "large.html"
    page.write_text(render_report(graph, chapters, {"title": "A large cast"}), encoding="utf-8")
    chromium.get(page.as_uri())
    WebDriverWait(chromium, 60).until(
        lambda d: d.execute_script("return document.documentElement.dataset.kgReady === '1'")
    )
    readable, spread = chromium.execute_script(_READABILITY_JS)
    assert len(readable) == 25 and min(readable) > 12.99, readable
    assert spread[0] > 0.65 and spread[1] > 0.65, spread
    shown = chromium.execute_script(_VISIBLE_JS)[0]
    control = chromium.find_element(By.ID, "minor-control").text
    assert 30 <= shown <= 80
    assert re.fullmatch(
        rf"show the {170 - shown} characters with fewer than \d+ mentions or outside the network",
        control,
    )
    shot = tmp_path / "large.png"
    assert chromium.save_screenshot(str(shot))


def _fixture_text() -> str:
    """A text written for the fixture: each mention's words at its offsets, dots between."""
    mentions = _csv("mentions.csv")
    text = ["."] * (int(mentions["end"].max()) + 40)
    for start, words in zip(mentions["start"], mentions["text"], strict=True):
        text[start : start + len(words)] = words
    return "".join(text)


def test_tie_passages_come_from_the_mentions_offsets() -> None:
    text = "Ada met Ben at the quay. " + "Far away and much later, " * 8 + "Cora sang to Ben."
    mentions = pd.DataFrame(
        [(0, 3, "Ada Marsh", "Ada"), (8, 11, "Ben Marsh", "Ben"),
         (len(text) - 17, len(text) - 13, "Cora Marsh", "Cora"),
         (len(text) - 4, len(text) - 1, "Ben Marsh", "Ben")],
        columns=["start", "end", "character", "text"],
    )  # fmt: skip
    passages = tie_passages(mentions, text, reach=40)
    assert sorted(passages) == [("Ada Marsh", "Ben Marsh"), ("Ben Marsh", "Cora Marsh")]
    (ada_ben,) = passages["Ada Marsh", "Ben Marsh"]
    assert ada_ben.startswith("Ada met Ben at the quay.") and ada_ben.endswith("\u2026")
    assert passages["Ben Marsh", "Cora Marsh"][0].endswith("Cora sang to Ben.")
    with pytest.raises(InputError, match="does not match the mentions' offsets"):
        tie_passages(mentions, text.replace("Ada", "Eve"), reach=40)


@pytest.mark.browser
def test_search_and_click_panels(chromium: webdriver.Chrome, outdir: Path) -> None:
    """The search box finds a character by alias and focuses it; clicking a character shows
    its ego network and first chapter; clicking a tie shows where the two co-occur."""
    driver = chromium
    driver.get(write_report(outdir, text=_fixture_text()).as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.documentElement.dataset.kgReady === '1'")
    )
    search = driver.find_element(By.ID, "search")
    search.send_keys("mrs. MARSH\n")
    details = driver.find_element(By.ID, "details")
    assert details.find_element(By.TAG_NAME, "h3").text == "Ada Marsh"
    assert driver.execute_script("return window.kg.network.getSelectedNodes()") == ["Ada Marsh"]
    assert "First appears in chapter 1" in details.text
    ego = [li.text for li in details.find_elements(By.TAG_NAME, "li")]
    assert ego == ["Ben Marsh (4)", "Hana Vell (2)", "Cora Marsh (1)"]
    search.clear()
    search.send_keys("Nobody\n")
    assert "missing" in search.get_attribute("class")
    search.clear()
    search.send_keys("Gus Hale\n")  # a hidden minor character: the control shows it
    assert driver.find_element(By.ID, "minor").is_selected()
    assert details.find_element(By.TAG_NAME, "h3").text == "Gus Hale"

    canvas = driver.find_element(By.CSS_SELECTOR, "#network canvas")
    network_point = """const net = window.kg.network;
        const a = net.getPositions([arguments[0]])[arguments[0]];
        const b = net.getPositions([arguments[1]])[arguments[1]];
        const p = net.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
        const c = document.querySelector("#network canvas").getBoundingClientRect();
        return [Math.round(p.x - c.width / 2), Math.round(p.y - c.height / 2)];"""
    driver.execute_script("window.kg.network.fit({animation: false})")
    for ends, heading in ((("Ben Marsh", "Ben Marsh"), "Ben Marsh"),
                          (("Ada Marsh", "Ben Marsh"), "Ada Marsh \u2013 Ben Marsh")):  # fmt: skip
        offset = driver.execute_script(network_point, *ends)
        ActionChains(driver).move_to_element_with_offset(canvas, *offset).click().perform()
        WebDriverWait(driver, 5).until(
            lambda d, h=heading: d.find_element(By.CSS_SELECTOR, "#details h3").text == h
        )
    assert "4 co-occurrences by chapter 3; first in chapter 1" in details.text
    quotes = [q.text for q in details.find_elements(By.TAG_NAME, "blockquote")]
    assert quotes and all("Ada Marsh" in q and "Ben Marsh" in q for q in quotes)


@pytest.mark.browser
def test_a_one_chapter_book_has_no_slider(
    chromium: webdriver.Chrome, graph: Graph, tmp_path: Path
) -> None:
    """A story collection read as one chapter: the slider would do nothing, so it is hidden."""
    one = Graph(
        graph.characters,
        graph.appearances.assign(chapter=1).groupby(["chapter", "name"], as_index=False).sum(),
        graph.interactions.assign(chapter=1)
        .groupby(["chapter", "source", "target"], as_index=False)
        .sum(),
    )
    page = tmp_path / "one.html"
    page.write_text(render_report(one, [Chapter(1, "Stories", 0, 10)], {"title": "T"}))
    chromium.get(page.as_uri())
    WebDriverWait(chromium, 30).until(
        lambda d: d.execute_script("return document.documentElement.dataset.kgReady === '1'")
    )
    assert not chromium.find_element(By.ID, "chapter").is_displayed()
    assert chromium.find_element(By.ID, "chapter-label").text == "Chapter 1 of 1: Stories"
    assert chromium.execute_script(_VISIBLE_JS)[:2] == [7, 10]


def test_an_extraction_in_memory_gives_the_page_of_its_folder(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    book = read_book(sample / "book.txt")
    extraction = extract(book, read_characters(sample / "characters.jsonl"))
    extraction.save(tmp_path)
    page = write_report(tmp_path, text=book.text).read_text(encoding="utf-8")
    assert report_page(extraction, book.text) == page
    assert '"text":true' in page


def test_the_layout_is_the_same_in_every_process() -> None:
    # Each process hashes strings with its own seed: a layout that followed the order of a set
    # of names would move from one run to the next.
    script = (
        "import networkx as nx; from kg.report import layout; "
        "g = nx.cycle_graph([f'Person {i}' for i in range(12)]); g.add_edge('Solo A', 'Solo B'); "
        "print(sorted(layout(g, {n: 10.0 for n in g}).items()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2)
    }
    assert len(outputs) == 1
