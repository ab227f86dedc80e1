"""The HTML report of an extraction: the character network with a chapter slider, and tables.

The page is self-contained (vis-network and the data are inlined) and byte-identical for the
same input: the layout is computed here with a fixed seed and the browser only draws it.
"""

import html
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import numpy.typing as npt

from kg.errors import InputError
from kg.files import write_atomic
from kg.graph import Graph
from kg.outdir import Extraction, read_book_json, read_extraction
from kg.records import Chapter
from kg.settings import SEED, WINDOW

if TYPE_CHECKING:
    import pandas as pd

REPORT_FILE = "report.html"
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
)  # fmt: skip
"""Community colours, by community number (0 = largest); smaller communities share OTHER_COLOUR."""
OTHER_COLOUR = "#bdbdbd"
TOP_ROWS = 20
MAX_MEMBERS_SHOWN = 15
SPACING = 150.0
"""Layout scale in pixels: a component of n characters spans about SPACING * sqrt(n)."""
GAP = 16.0
"""Least free space in pixels between two nodes (with their labels) of a component."""
KAMADA_KAWAI_LIMIT = 200
"""Larger components keep the spring layout: Kamada-Kawai's cost grows too fast beyond."""
ASPECT = 1.75
"""Width over height of the network's canvas, which the layout fills."""
MAX_SHOWN = 80
"""At most this many characters are shown at first; rarer ones wait behind a control."""
NETWORK_MIN = 3
READABLE = 13
"""Screen pixels of the labels of the LABELLED most central characters at the default zoom."""
LABELLED = 25
CANVAS = (1060.0, 640.0)
"""The network canvas in CSS pixels at the page's widest, for the label room at first."""
"""Characters in a connected group smaller than this (a lone pair) wait behind it too."""
PASSAGES = 3
"""Passages kept per tie, in reading order."""
PASSAGE_CHARS = 260
"""Longest passage shown, in characters."""
CHARS_PER_TOKEN = 6
"""Characters per token, to turn the co-occurrence window into a reach in the text."""


@dataclass(frozen=True)
class NodeView:
    """A character as drawn: size from PageRank, colour from community, fixed position.

    mentions holds (chapter, mentions up to that chapter) at each chapter with a mention.
    """

    name: str
    size: float
    font: int
    colour: str
    x: int
    y: int
    mentions: tuple[tuple[int, int], ...]
    pagerank: float
    community: int
    aliases: tuple[str, ...]
    minor: bool = False
    """Hidden at first: no ties, or fewer mentions than the report's `rare` threshold."""


@dataclass(frozen=True)
class EdgeView:
    """A tie as drawn: (chapter, weight so far, width) at each chapter with a co-occurrence."""

    source: str
    target: str
    steps: tuple[tuple[int, int, float], ...]
    passages: tuple[str, ...] = ()
    """Short passages of the book where the two co-occur (when the report has the text)."""


def write_report(outdir: Path, out: Path | None = None, *, text: str | None = None) -> Path:
    """Write the report of a `kg extract` output folder to out (default OUTDIR/report.html).

    With the book's text (as read_book gives it), a tie shows the passages where the two
    co-occur, taken through the mentions' offsets; the page stays one offline file.
    """
    extraction = read_extraction(outdir)
    about = read_book_json(Path(outdir) / "book.json").model_dump()
    named = {s.name for s in extraction.stats}
    unknown = {n for i in extraction.interactions for n in (i.source, i.target)} - named
    if unknown:
        raise InputError(
            f"{outdir}: interactions name characters missing from characters.csv: "
            + ", ".join(sorted(unknown))
        )
    target = out if out is not None else Path(outdir) / REPORT_FILE
    write_atomic(target, report_page(extraction, text, about=about))
    return target


def report_page(
    extraction: Extraction, text: str | None = None, *, about: Mapping[str, object] | None = None
) -> str:
    """The report page of an extraction in memory (write_report reads one from its folder).

    `text` is the book's text, for the passages of each tie; `about` the book.json object
    shown under the page (default: the extraction's own)."""
    book = dict(about) if about is not None else extraction.book_json()
    graph = Graph.from_extraction(extraction)
    passages = None
    if text is not None:
        reach = int(str(book.get("window") or WINDOW)) * CHARS_PER_TOKEN
        passages = tie_passages(extraction.mentions_frame(), text, reach)
    return render_report(graph, extraction.book.chapters, book, passages)


def render_report(
    graph: Graph,
    chapters: Sequence[Chapter],
    book: Mapping[str, object],
    passages: Mapping[tuple[str, str], Sequence[str]] | None = None,
) -> str:
    """The report page of one extraction, from data in memory (write_report reads an OUTDIR).

    graph.characters needs the columns of characters.csv (aliases ";"-joined); book is the
    object of book.json (title, source, window, model, ...); passages, by (source, target),
    are what a click on a tie shows (None: the report has no text).
    """
    rare = rare_threshold(graph)
    nodes = node_views(graph, rare=rare)
    edges = [
        replace(e, passages=tuple((passages or {}).get((e.source, e.target), ())))
        for e in edge_views(graph)
    ]
    data = {
        "chapters": [{"number": c.number, "title": c.title} for c in chapters],
        "nodes": [asdict(n) for n in nodes],
        "edges": [asdict(e) for e in edges],
        "rare": rare,
        "readable": READABLE,
        "labelled": LABELLED,
        "text": passages is not None,
    }
    template = Template((files("kg") / "static" / "report.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=html.escape(str(book.get("title", "Untitled"))),
        summary=html.escape(_summary(graph, chapters, len(edges))),
        legend=_legend(nodes),
        tables=_tables(nodes, edges),
        about=html.escape(_about(book)),
        data=_script_json(data),
        vis_network=(files("kg") / "static" / "vis-network.min.js").read_text(encoding="utf-8"),
    )


def community_colour(community: int, size: int) -> str:
    """The colour of a community: its own for the largest ones, a shared grey for one-member
    communities and for those past the palette."""
    return PALETTE[community] if 0 <= community < len(PALETTE) and size > 1 else OTHER_COLOUR


def in_network(network: nx.Graph) -> set[str]:
    """The characters of the network proper: those in a connected group of at least
    NETWORK_MIN (when there is one; else all with ties). A lone pair or an isolated
    character is outside it."""
    groups = [c for c in nx.connected_components(network) if len(c) > 1]
    large = [c for c in groups if len(c) >= NETWORK_MIN] or groups
    return {str(n) for group in large for n in group}


def rare_threshold(graph: Graph, most: int = MAX_SHOWN) -> int:
    """The fewest mentions a character of the network needs to be shown at first: 1 unless
    the network has more than `most` characters, then the least count that keeps at most
    `most`."""
    characters = graph.characters[graph.characters["name"].isin(in_network(graph.to_networkx()))]
    counts = sorted((int(m) for m in characters["mentions"]), reverse=True)
    if len(counts) <= most:
        return 1
    return counts[most] + 1


def node_views(graph: Graph, seed: int = SEED, rare: int = 1) -> list[NodeView]:
    """Every character with at least one mention, by PageRank (highest first) then name.

    Characters outside the network (see in_network) or with fewer than `rare` mentions are
    minor: hidden at first, and laid out apart from the others, whose layout fills the
    canvas."""
    characters = graph.characters.sort_values(["pagerank", "name"], ascending=[False, True])
    sizes = Counter(int(c) for c in characters["community"])
    top = max((float(p) for p in characters["pagerank"]), default=0.0) or 1.0
    shares = {
        str(n): math.sqrt(float(p) / top)
        for n, p in zip(characters["name"], characters["pagerank"], strict=True)
    }
    radii = {name: round(6 + 24 * share, 2) for name, share in shares.items()}
    fonts = {name: round(12 + 12 * share) for name, share in shares.items()}
    room = {name: radii[name] + fonts[name] / 2 for name in shares}  # a disc and its label
    network = graph.to_networkx()
    shown = in_network(network)
    minor = {
        str(n)
        for n, m in zip(characters["name"], characters["mentions"], strict=True)
        if int(m) < rare or n not in shown
    }
    positions = layout(network.subgraph(set(network) - minor), room, seed=seed)
    order = [str(n) for n in characters["name"] if n in positions]
    labels = {
        name: (radii[name], fonts[name], len(name), rank < LABELLED)
        for rank, name in enumerate(order)
    }
    positions = _make_room_for_labels(positions, labels)
    if minor:
        below = max((y for _, y in positions.values()), default=-SPACING) + 2 * SPACING
        rest = layout(network.subgraph(minor), room, seed=seed, refine=False)
        positions.update({n: (x, y + round(below)) for n, (x, y) in rest.items()})
    appearances = graph.appearances.sort_values(["name", "chapter"])
    steps: dict[str, list[tuple[int, int]]] = {}
    for name, chapter, count in zip(
        appearances["name"], appearances["chapter"], appearances["mentions"], strict=True
    ):
        so_far = steps.setdefault(str(name), [])
        so_far.append((int(chapter), int(count) + (so_far[-1][1] if so_far else 0)))
    views = []
    for name, pagerank, community, aliases in zip(
        characters["name"],
        characters["pagerank"],
        characters["community"],
        characters["aliases"],
        strict=True,
    ):
        if name not in steps:
            continue
        x, y = positions[name]
        views.append(
            NodeView(
                name=str(name),
                size=radii[name],
                font=fonts[name],
                colour=community_colour(int(community), sizes[int(community)]),
                x=x,
                y=y,
                mentions=tuple(steps[name]),
                pagerank=float(pagerank),
                community=int(community),
                aliases=tuple(a for a in str(aliases).split(";") if a),
                minor=str(name) in minor,
            )
        )
    return views


def edge_views(graph: Graph) -> list[EdgeView]:
    """Every tie, strongest first; widths are relative to the strongest tie of the whole book."""
    per_chapter = graph.interactions.sort_values(["source", "target", "chapter"])
    steps: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for chapter, source, target, weight in zip(
        per_chapter["chapter"],
        per_chapter["source"],
        per_chapter["target"],
        per_chapter["weight"],
        strict=True,
    ):
        so_far = steps.setdefault((str(source), str(target)), [])
        so_far.append((int(chapter), int(weight) + (so_far[-1][1] if so_far else 0)))
    top = max((s[-1][1] for s in steps.values()), default=1)
    pairs = sorted(steps, key=lambda pair: (-steps[pair][-1][1], pair))
    return [
        EdgeView(
            source,
            target,
            tuple((c, w, round(1 + 7 * math.sqrt(w / top), 2)) for c, w in steps[source, target]),
        )
        for source, target in pairs
    ]


def layout(
    graph: nx.Graph, radii: Mapping[str, float], seed: int = SEED, refine: bool = True
) -> dict[str, tuple[int, int]]:
    """Pixel positions: each connected component laid out on its own, largest first, in rows.

    A seeded spring layout, refined by Kamada-Kawai (when `refine`, up to KAMADA_KAWAI_LIMIT
    characters), spanning about SPACING * sqrt(size) pixels, ASPECT times wider than high;
    then nodes whose radii (disc and label) overlap are pushed apart.
    """
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    positions: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0.0
    row_width = 0.0
    for component in components:
        placed = _component_layout(graph.subgraph(component), radii, seed, refine)
        width = max(p[0] for p in placed.values())
        height = max(p[1] for p in placed.values())
        row_width = row_width or max(1.6 * width, 600.0)
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + SPACING, 0.0
        positions.update({n: (round(x + p[0]), round(y + p[1])) for n, p in placed.items()})
        x += width + SPACING
        row_height = max(row_height, height)
    return positions


def _component_layout(
    component: nx.Graph, radii: Mapping[str, float], seed: int, refine: bool
) -> dict[str, tuple[float, float]]:
    """Positions of one connected component, from (0, 0) to (width, height) in pixels."""
    names = sorted(str(n) for n in component)
    if len(names) == 1:
        return {names[0]: (0.0, 0.0)}
    # A subgraph view lists its nodes in the order of a set of strings, which changes from
    # one process to the next: the seeded layouts need one order.
    ordered = nx.Graph()
    ordered.add_nodes_from(names)
    ordered.add_edges_from(sorted(tuple(sorted(map(str, e))) for e in component.edges()))
    component = ordered
    raw = nx.spring_layout(component, seed=seed, weight=None)
    if refine and len(names) <= KAMADA_KAWAI_LIMIT:
        raw = nx.kamada_kawai_layout(component, pos=raw, weight=None)
    points = np.array([raw[n] for n in names], dtype=float)
    points -= points.min(axis=0)
    side = SPACING * math.sqrt(len(names))
    points *= np.array([side * math.sqrt(ASPECT), side / math.sqrt(ASPECT)]) / np.maximum(
        points.max(axis=0), 1e-9
    )
    points = _spread(
        points, np.array([radii[n] for n in names], dtype=float), rounds=100 if refine else 20
    )
    points -= points.min(axis=0)
    return {n: (float(p[0]), float(p[1])) for n, p in zip(names, points, strict=True)}


def _make_room_for_labels(
    positions: Mapping[str, tuple[int, int]], labels: Mapping[str, tuple[float, int, int, bool]]
) -> dict[str, tuple[int, int]]:
    """Push apart the characters whose disc-and-label boxes overlap at the default zoom.

    labels gives each character's (radius, font, name length, labelled at READABLE px); the
    default zoom is the one that fits the positions into CANVAS, as the page does."""
    if len(positions) < 2:
        return dict(positions)
    names = list(positions)
    points = np.array([positions[n] for n in names], dtype=float)
    for _ in range(80):
        extent = np.maximum(points.max(axis=0) - points.min(axis=0), 1.0)
        scale = min(1.2, 0.92 * min(CANVAS[0] / extent[0], CANVAS[1] / extent[1]))
        half = np.zeros_like(points)
        middle = np.zeros_like(points)
        for i, name in enumerate(names):
            radius, font, length, labelled = labels[name]
            size = max(font, READABLE / scale) if labelled else font
            half[i] = (max(radius, 0.3 * size * length), radius + 0.65 * size)
            middle[i] = (0.0, 0.65 * size)  # the label hangs below the disc
        centre = points + middle
        delta = centre[:, None, :] - centre[None, :, :]
        overlap = half[:, None, :] + half[None, :, :] + GAP / 2 - np.abs(delta)
        np.fill_diagonal(overlap[..., 0], 0.0)
        both = (overlap[..., 0] > 0) & (overlap[..., 1] > 0)
        if not both.any():
            break
        axis = (overlap[..., 1] < overlap[..., 0]).astype(int)  # the smaller overlap's axis
        push = np.zeros_like(delta)
        rows, cols = np.nonzero(both)
        direction = np.sign(delta[rows, cols, axis[rows, cols]])
        direction[direction == 0] = np.where(rows[direction == 0] < cols[direction == 0], -1, 1)
        push[rows, cols, axis[rows, cols]] = 0.5 * direction * overlap[rows, cols, axis[rows, cols]]
        points += push.sum(axis=1) * 0.5
    points -= points.min(axis=0)
    return {n: (round(p[0]), round(p[1])) for n, p in zip(names, points, strict=True)}


def _spread(
    points: npt.NDArray[np.float64], radii: npt.NDArray[np.float64], rounds: int
) -> npt.NDArray[np.float64]:
    """Push apart, a little at a time (at most `rounds` times), the nodes whose discs come
    closer than GAP pixels."""
    points = points.copy()
    need = radii[:, None] + radii[None, :] + GAP
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        delta = points[:, None, :] - points[None, :, :]
        distance = np.maximum(np.hypot(delta[..., 0], delta[..., 1]), 1e-6)
        overlap = np.clip(need - distance, 0.0, None)
        if not overlap.any():
            break
        points += 0.5 * (delta / distance[..., None] * overlap[..., None]).sum(axis=1)
    return points


def tie_passages(
    mentions: "pd.DataFrame", text: str, reach: int, most: int = PASSAGES
) -> dict[tuple[str, str], tuple[str, ...]]:
    """For each pair of characters mentioned within `reach` characters of each other, the
    first `most` passages of `text` around such a meeting, one line each, at most
    PASSAGE_CHARS long. InputError if the mentions' offsets do not fit the text."""
    spans = sorted(
        zip(
            mentions["start"], mentions["end"], mentions["character"], mentions["text"], strict=True
        )
    )
    if any(text[s:e] != t for s, e, _, t in spans):
        raise InputError("the book's text does not match the mentions' offsets (another book?)")
    found: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for i, (start, end, who, _) in enumerate(spans):
        for other_start, other_end, other, _ in spans[i + 1 :]:
            if other_start - end > reach:
                break
            if other == who:
                continue
            pair = (min(who, other), max(who, other))
            kept = found.setdefault(pair, [])
            if len(kept) < most and (not kept or start > kept[-1][1]):
                kept.append((start, max(end, other_end)))
    return {pair: tuple(_passage(text, s, e) for s, e in kept) for pair, kept in found.items()}


def _passage(text: str, start: int, end: int) -> str:
    """The text from start to end with context up to PASSAGE_CHARS, cut at spaces, on one line."""
    margin = max(0, (PASSAGE_CHARS - (end - start)) // 2)
    left, right = max(0, start - margin), min(len(text), end + margin)
    if left > 0:
        left = text.find(" ", left, start) + 1 or left
    if right < len(text) and (space := text.rfind(" ", end, right)) > 0:
        right = space
    words = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + words + ("…" if right < len(text) else "")


def _summary(graph: Graph, chapters: Sequence[Chapter], ties: int) -> str:
    mentions = int(graph.appearances["mentions"].sum())
    return (
        f"{len(chapters)} chapters, {len(graph.characters)} characters, "
        f"{mentions} mentions, {ties} ties"
    )


def _about(book: Mapping[str, object]) -> str:
    keys = ("source", "window", "model", "characters_file", "kg_version")
    return " · ".join(f"{k.replace('_', ' ')}: {book[k]}" for k in keys if book.get(k) is not None)


def _legend(nodes: Sequence[NodeView]) -> str:
    groups = _communities(nodes)
    items = [
        f"<li>{_swatch(m[0].colour)}{html.escape(m[0].name)}"
        + (f" and {len(m) - 1} more" if len(m) > 1 else "")
        + "</li>"
        for m in groups.values()
        if m[0].colour != OTHER_COLOUR
    ]
    rest = sum(len(m) for m in groups.values() if m[0].colour == OTHER_COLOUR)
    if rest:
        alone = all(len(m) == 1 for m in groups.values() if m[0].colour == OTHER_COLOUR)
        what = "in one-member communities" if alone else "in smaller communities"
        items.append(f"<li>{_swatch(OTHER_COLOUR)}{rest} {what}</li>")
    return "\n".join(items)


def _tables(nodes: Sequence[NodeView], edges: Sequence[EdgeView]) -> str:
    characters = _table(
        "Top characters",
        ("#", "Character", "Mentions", "PageRank", "Community", "First chapter", "Aliases"),
        (
            (
                str(rank),
                _swatch(n.colour) + html.escape(n.name),
                str(n.mentions[-1][1]),
                f"{n.pagerank:.4f}",
                str(n.community),
                str(n.mentions[0][0]),
                html.escape(", ".join(n.aliases)),
            )
            for rank, n in enumerate(nodes[:TOP_ROWS], start=1)
        ),
        numeric=(0, 2, 3, 4, 5),
    )
    groups = _communities(nodes)
    alone = [m[0].name for m in groups.values() if len(m) == 1]
    rows = [
        (
            _swatch(m[0].colour) + str(c),
            str(len(m)),
            html.escape(m[0].name),
            html.escape(_members([n.name for n in m])),
        )
        for c, m in groups.items()
        if len(m) > 1
    ]
    if alone:
        names = html.escape(_members(alone))
        rows.append((_swatch(OTHER_COLOUR) + "alone", str(len(alone)), "", names))
    communities = _table(
        "Communities",
        ("Community", "Size", "Top member", "Members (by PageRank)"),
        rows,
        numeric=(1,),
    )
    ties = _table(
        "Strongest ties",
        ("Character", "Character", "Co-occurrences", "First chapter"),
        (
            (html.escape(e.source), html.escape(e.target), str(e.steps[-1][1]), str(e.steps[0][0]))
            for e in edges[:TOP_ROWS]
        ),
        numeric=(2, 3),
    )
    return "\n".join((characters, communities, ties))


def _communities(nodes: Sequence[NodeView]) -> dict[int, list[NodeView]]:
    """Members of each community, by community number; nodes come ordered by PageRank."""
    groups: dict[int, list[NodeView]] = {}
    for node in sorted(nodes, key=lambda n: n.community):
        groups.setdefault(node.community, []).append(node)
    return groups


def _members(names: Sequence[str]) -> str:
    shown = ", ".join(names[:MAX_MEMBERS_SHOWN])
    hidden = len(names) - MAX_MEMBERS_SHOWN
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def _table(
    caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int]
) -> str:
    """An HTML table; cells are HTML already escaped by the caller."""

    def cells(tag: str, values: Sequence[str]) -> str:
        return "".join(
            f'<{tag} class="num">{v}</{tag}>' if i in numeric else f"<{tag}>{v}</{tag}>"
            for i, v in enumerate(values)
        )

    body = "\n".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return (
        f"<section><h2>{html.escape(caption)}</h2><table>\n"
        f"<thead><tr>{cells('th', [html.escape(h) for h in head])}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody></table></section>"
    )


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{colour}"></span>'


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element: no "<" can close it or open a comment."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
