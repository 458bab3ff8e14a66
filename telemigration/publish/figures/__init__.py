"""The figures of Baldwin and Dingel (2021), section 5, drawn from the model.

Each figure function returns a ``DrawnFigure`` holding the matplotlib figure and
the data it drew; ``write_figures`` saves each as PNG and PDF, atomically.
Drawing uses ``matplotlib.figure.Figure`` with an Agg canvas inside a style
context, so importing or drawing changes no global matplotlib state.
"""

from __future__ import annotations

import logging
import os
from typing import Callable, Sequence

from telemigration.errors import InvalidParameterError
from telemigration.publish.figures._common import DrawnFigure, WrittenFigure, save_figure
from telemigration.publish.figures.dfs_goods import figure_5_1
from telemigration.publish.figures.eaton_kortum import figure_5_3
from telemigration.publish.figures.hockey_stick import figure_5_2, figure_5_4
from telemigration.publish.figures.sweeps import figure_elasticities, figure_omega_tau_s

logger = logging.getLogger(__name__)

# Every figure by file name, in the order they are drawn and shown in the report.
FIGURES: dict[str, Callable[[], DrawnFigure]] = {
    "figure-5-1": figure_5_1,
    "figure-5-2": figure_5_2,
    "figure-5-3": figure_5_3,
    "figure-5-4": figure_5_4,
    "omega-tau-s": figure_omega_tau_s,
    "service-elasticities": figure_elasticities,
}

__all__ = [
    "FIGURES", "DrawnFigure", "WrittenFigure", "figure_5_1", "figure_5_2", "figure_5_3", "figure_5_4",
    "figure_elasticities", "figure_omega_tau_s", "save_figure", "write_figures",
]


def write_figures(
    out_dir: str | os.PathLike[str],
    names: Sequence[str] | None = None,
    *,
    advance: Callable[[str], None] | None = None,
) -> list[WrittenFigure]:
    """Draw the named figures (default: all of ``FIGURES``) and save each as PNG and PDF in ``out_dir``."""
    chosen = list(FIGURES) if names is None else list(names)
    unknown = [name for name in chosen if name not in FIGURES]
    if unknown:
        raise InvalidParameterError("figure", unknown[0], f"expected one of {', '.join(FIGURES)}")
    written = []
    for name in chosen:
        logger.info("drawing %s", name)
        written.append(save_figure(FIGURES[name](), out_dir))
        if advance is not None:
            advance(name)
    return written
