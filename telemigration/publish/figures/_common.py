"""Shared parts of the figures: the drawn-figure record, the style context and atomic saving.

Figures are built on ``matplotlib.figure.Figure`` with an explicit Agg canvas, not
on pyplot, so drawing changes no global state: the style applies only inside
``figure_style()`` and importing this package leaves ``matplotlib.rcParams`` alone.
"""

from __future__ import annotations

import contextlib
import os
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from telemigration.publish.atomic import atomic_output

# Sizes in inches at 150 dpi: a one-panel figure is 960 x 660 pixels, a
# two-panel figure 1650 x 660, legible at 100% zoom on a laptop screen.
DPI = 150
ONE_PANEL = (6.4, 4.4)
TWO_PANELS = (11.0, 4.4)

_STYLE = {
    "font.size": 11.0,
    "axes.titlesize": 12.0,
    "axes.labelsize": 12.0,
    "legend.fontsize": 9.5,
    "xtick.labelsize": 10.0,
    "ytick.labelsize": 10.0,
    "lines.linewidth": 1.8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    # Fixed so that the PDFs of two runs are identical.
    "pdf.compression": 6,
    "svg.hashsalt": "telemigration",
}


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Apply the workbench's plot style for the duration of the block only."""
    with matplotlib.rc_context(_STYLE):
        yield


def new_figure(size: tuple[float, float], panels: int = 1) -> tuple[Figure, list]:
    """Create a figure with an Agg canvas and ``panels`` axes side by side."""
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, panels)
    return figure, list(axes) if panels > 1 else [axes]


@dataclass(frozen=True)
class DrawnFigure:
    """A drawn figure, the numbers it shows, and a one-sentence caption.

    ``data`` contains what the figure drew (curves, crossings, thresholds, fitted
    values) as plain floats and NumPy arrays, so tests can check the picture
    against the solver without reading pixels.
    """

    name: str
    title: str
    caption: str
    figure: Figure
    data: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", types.MappingProxyType(dict(self.data)))


@dataclass(frozen=True)
class WrittenFigure:
    """A figure saved as PNG and PDF, with its caption and data."""

    name: str
    title: str
    caption: str
    png: Path
    pdf: Path
    data: Mapping[str, object]


def save_figure(drawn: DrawnFigure, out_dir: str | os.PathLike[str]) -> WrittenFigure:
    """Save ``drawn`` as ``<name>.png`` and ``<name>.pdf`` in ``out_dir``, each atomically."""
    directory = Path(out_dir)
    paths = {}
    metadata = {"pdf": {"CreationDate": None, "ModDate": None}, "png": {"Software": None}}
    with figure_style():
        for extension in ("png", "pdf"):
            target = directory / f"{drawn.name}.{extension}"
            with atomic_output(target) as temporary:
                drawn.figure.savefig(temporary, format=extension, metadata=metadata[extension])
            paths[extension] = target
    return WrittenFigure(drawn.name, drawn.title, drawn.caption, paths["png"], paths["pdf"], drawn.data)
