"""Progress display for long commands: a rich progress bar on a terminal, nothing otherwise.

Progress is shown only when standard output is a terminal and JSON output was
not requested, so piped output and ``--json`` stay machine-readable.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Advance = Callable[[str], None]


def progress_enabled(json_output: bool = False, stream: TextIO | None = None) -> bool:
    """Return True when progress should be drawn: ``stream`` (default stdout) is a TTY and not JSON."""
    if json_output:
        return False
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextlib.contextmanager
def step_progress(total: int, description: str, *, enabled: bool) -> Iterator[Advance]:
    """Yield ``advance(label)``, which marks the step called ``label`` (one of ``total``) as done.

    With ``enabled`` false the function yields a no-op and draws nothing. The bar
    is transient: it disappears when the block ends, leaving the command's own output.
    """
    if not enabled:
        yield _ignore
        return
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[label]}"),
        TimeElapsedColumn(),
        console=Console(file=sys.stdout),
        transient=True,
    )
    with progress:
        task = progress.add_task(description, total=total, label="")

        def advance(label: str) -> None:
            progress.update(task, advance=1, label=label)

        yield advance


def _ignore(label: str) -> None:
    del label
