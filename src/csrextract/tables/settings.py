"""Named, validated thresholds for each table style — in em (multiples of the body font size).

Modelled on pdfplumber's ``TableSettings``: one frozen dataclass per style whose fields are the
style's heuristics, each with a docstring saying why it has its value, checked when the object
is built so a bad value names itself instead of failing deep inside a strategy. Geometric
settings are in em so one object serves a 7 pt A5 table and a 12 pt landscape one; a floor in
points keeps a tolerance above the noise of drawn (or OCR-found) rules at small sizes.

Strategies take their settings object at construction (``RuledStrategy(RuledSettings(...))``);
the registered instances use the defaults below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

SHARE = {"share": True}
"""Field metadata: the value is a share, 0..1."""


def _validate(obj: Any) -> None:
    """Every numeric field finite and positive (shares at most 1); nested settings validate
    themselves. The error names the setting."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        name = f"{type(obj).__name__}.{f.name}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")
        if f.metadata.get("share") and value > 1:
            raise ValueError(f"{name} is a share and must be at most 1, got {value!r}")


@dataclass(frozen=True, slots=True)
class Tolerance:
    """A distance of ``em`` font sizes, never under ``floor_pt`` points."""

    em: float
    floor_pt: float = 1.5
    """Drawn rules jitter by about a point (stroke width, anti-aliasing, OCR'd rules more)."""

    def __post_init__(self) -> None:
        _validate(self)

    def at(self, fs: float) -> float:
        """The tolerance in points for body text of size ``fs``."""
        return max(self.floor_pt, self.em * fs)


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """How drawn lines are read (shared by the ruled and three-line styles)."""

    snap: Tolerance = field(default_factory=lambda: Tolerance(0.3))
    """Rules this close are one line (a line drawn cell by cell, a double stroke)."""
    thin_fill_pt: float = 2.5
    """A filled rectangle thinner than this (points) is drawn as a line, not as a background."""

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True, slots=True)
class RuledSettings:
    """Tables bounded by ruling lines on all sides."""

    rules: RuleSettings = field(default_factory=RuleSettings)
    min_cell_em: float = 0.5
    """Grid lines closer than this are one line: no cell is thinner than half a text line."""
    min_text_cells: float = field(default=0.4, metadata=SHARE)
    """Share of a ruled grid's cells that must hold text (tables: nearly all; diagrams: few)."""

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True, slots=True)
class FilledSettings:
    """Borderless tables drawn with background fills (header band, zebra stripes)."""

    white: float = field(default=0.97, metadata=SHARE)
    """Fills lighter than this (luminance) are page background, not table bands."""
    light_stripe: float = field(default=0.85, metadata=SHARE)
    """A lone top fill lighter than this is a zebra stripe (or a pale box), not a header band."""
    min_fill_width_em: float = 2.0
    """A fill narrower than two characters is a glyph decoration or a bullet, not a band."""
    min_fill_height_em: float = 0.8
    """A band shorter than most of a text line cannot hold a row."""
    max_page_share: float = field(default=0.5, metadata=SHARE)
    """A fill over half the page is a page background."""
    edge_snap_em: float = 0.3
    """Fill edges this close are one row edge."""
    align_em: float = 0.3
    """Runs of one column start, centre or end within this of each other (a page number under
    a table does not)."""
    rule_snap: Tolerance = field(default_factory=lambda: Tolerance(0.2))
    """A rule this close to a fill's edge closes it (shaded rows of a ruled table)."""
    heading_factor: float = 1.25
    """A line set this much larger than the table's text under the table is a heading."""
    column_gap_em: float = 1.0
    """Two runs on one baseline this far apart are in two columns; a later line reaching over
    that gap is a paragraph after the table."""
    row_spacing_reach: float = 1.1
    """Under a single stripe, unfilled rows follow one another as far apart as this many times
    the widest space between the table's own text rows above (label and value rows taking
    turns), not only within a line or so."""

    cell_inset_em: float = 0.4
    """The table's text sits at least this far (em) inside the stripes' left edge: its cells
    are padded, so a line under the stripes starting flush with that edge
    (``flush_edge_em``) is set by the page (a caption or paragraph), not in a cell."""
    flush_edge_em: float = 0.15
    """A line starting within this (em) of the stripes' left edge is flush with it."""

    padded_row_reach: float = 2.2
    """Under a single band, the first row sits one cell padding below it and the rows after
    it two paddings apart (one cell's bottom, the next one's top): they may follow one another
    this many times the first row's gap apart (a little over two, for the line boxes' slack)."""
    band_padding_reach: float = 1.5
    """Under a single header band, body rows may follow one another as far apart as this many
    times the band's own padding (its height less the height of its text): body cells are
    padded as the header cell is, whether the band is drawn cell by cell or as one rectangle
    (half as much again for the slack of a scan: a scanned band's edges and OCR's tight text
    boxes each move a few tenths of an em)."""

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True, slots=True)
class ThreeLineSettings:
    """Tables marked only by horizontal rules (top, header, bottom; or one under every row)."""

    rules: RuleSettings = field(default_factory=RuleSettings)
    min_rule_em: float = 6.0
    """A rule shorter than six characters underlines a word, it does not bound a table."""
    stack_extent_em: float = 2.0
    """Rules of one table start and end within this of each other."""
    heading_factor: float = 1.3
    """Text this much larger than the body between two rules is a heading between two tables."""
    header_rule_ratio: float = field(default=0.8, metadata=SHARE)
    """A header rule drawn thinner than this share of the bottom rule marks a header."""
    min_full_rows: float = field(default=0.6, metadata=SHARE)
    """Share of rows that must show text in two cells or more (a table, not a ruled text box)."""

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True, slots=True)
class AlignedSettings:
    """Tables whose only structure is text alignment (deliberately conservative)."""

    min_rows: int = 3
    """Fewer aligned baselines than this are a coincidence (unless a two-row table)."""
    run_gap_em: float = 1.0
    """Two runs on one baseline at least this far apart are separate cells."""
    max_mean_cell_chars: int = 24
    """Cells longer than this on average are running text set in columns."""
    min_density: float = field(default=0.6, metadata=SHARE)
    """Share of the grid that must hold text: sparse grids are diagrams or scattered labels."""
    long_cell_chars: int = 15
    """Two columns whose typical cell is this long are running text set in columns."""
    min_full_rows: float = field(default=0.6, metadata=SHARE)
    """Share of rows with text in two cells or more."""
    baseline_em: float = 0.15
    """Lines whose tops differ by at most this share a baseline."""
    flush_em: float = 0.3
    """Runs whose left edges differ by at most this are set flush in one column."""
    label_text_share: float = field(default=0.75, metadata=SHARE)
    """Share of a label column's rows that must have text beside the label: a label whose text
    is shared with the row above (one text for two goals) leaves its own cell empty."""

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True, slots=True)
class StitchSettings:
    """When a table on the next page continues one."""

    max_lines_around: int = 4
    """Lines allowed between a table and its page edge (running header/footer, page number,
    caption, a 续表 label)."""
    ruled_column_em: float = 1.5
    """Drawn column edges of two parts of one table agree within this."""
    ruled_column_share: float = field(default=0.04, metadata=SHARE)
    """... or within this share of the table's width (wide tables drawn at other scales)."""
    text_column_em: float = 3.0
    """Column edges found from whitespace are gap midpoints that move from page to page."""
    text_column_share: float = field(default=0.06, metadata=SHARE)
    """... or this share of the table's width."""
    outer_factor: float = 3.0
    """The tables' outer edges may differ by this many column tolerances."""
    text_snap_em: float = 0.3
    """A continuation cell's text reaching this little into a column does not occupy it."""
    page_column_share: float = field(default=0.5, metadata=SHARE)
    """Lines under a table no wider than this share of it are a page column's text flowing on
    (a two-column page), not a paragraph that ends the table."""

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True, slots=True)
class ContinuationSettings:
    """Rows of a borderless table run onto the top of the next page (``continuation.py``)."""

    edge_margin_em: float = 0.3
    """A run reaching this little over a column edge still keeps inside its column."""
    outline_em: float = 1.0
    """Runs may start or end this far outside the table's outline (fills pad a little)."""
    size_share: float = field(default=0.15, metadata=SHARE)
    """Rows are set at the table's size within this share (a heading or a note is not)."""
    max_gap_em: float = 2.5
    """A baseline further than this under the one above ends the part."""
    row_step_factor: float = 1.25
    """A step between baselines this many line pitches tall, with text in the first column,
    starts a row (a wrapped label follows at line pitch)."""
    rule_margin_em: float = 0.5
    """A horizontal rule this far inside the part's top and bottom runs between its rows."""
    max_lead_bands: int = 2
    """Baselines at the page top that do not fit the columns (a continuation label, a caption
    repeated with ``（续）``) passed over before the rows start."""
    line_pitch_em: float = 1.8
    """Wrapped lines of one cell follow at leading, well under this many em apart (1.2-1.5):
    baselines set evenly further apart are rows, even in a table that wraps its cells."""

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True, slots=True)
class CaptionSettings:
    """Where a table's labelled caption may be."""

    max_gap_em: float = 3.0
    """A caption sits within three lines of its table (further away it labels something else
    or is a reference in running text)."""
    max_chars: int = 80
    """A caption is a name, not a paragraph that happens to start with 表 3."""
    max_plain_chars: int = 40
    """An unlabelled caption is a short name."""
    max_width_share: float = field(default=0.8, metadata=SHARE)
    """... narrower than the table (a line as wide as the table is running text)."""
    narrow_table_em: float = 30.0
    """... unless the table is narrower than this many of the line's heights: a short caption
    fills a narrow table (a column of a two-column page), so width tells nothing there."""
    below_gap_lines: float = 1.5
    """An unlabelled caption sits within one and a half line heights under the table (its own
    or the table's text size, whichever is larger: a caption smaller than the table's text
    still sits a table-row's padding away)."""
    apart_lines: float = 0.8
    """... and the next line is at least this many line heights lower (else a paragraph)."""
    heading_factor: float = 1.15
    """A line set this much larger than the table's text is a heading, not a caption."""
    running_share: float = field(default=0.2, metadata=SHARE)
    """Text repeated on this share of pages (and three) is a running header or footer."""

    def __post_init__(self) -> None:
        _validate(self)
