"""Compile a LaTeX document to PDF with pdflatex, in a temporary directory.

The document is compiled twice (three times when labels are still settling) with
``-halt-on-error -interaction=nonstopmode -no-shell-escape``. The PDF is moved
onto its target only when every run succeeds and the log reports no undefined
reference, so a failed or interrupted build never leaves a partial PDF behind.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from telemigration.errors import TelemigrationError
from telemigration.publish.atomic import atomic_copy

logger = logging.getLogger(__name__)

INSTALL_HINT = "pdflatex not found; install TeX Live, e.g. apt-get install texlive-latex-base"

# Seconds one pdflatex run may take. A document of this workbench compiles in
# about a second; the limit only stops a run that hangs.
RUN_TIMEOUT_S = 120.0

# Warnings about undefined references, citations or labels. Only warning lines
# count, because overfull-box messages quote document text, which may contain
# the word "undefined".
_UNDEFINED = re.compile(r"^(LaTeX|Package \w+) Warning:.*undefined", re.IGNORECASE)
_RERUN = re.compile(r"Label\(s\) may have changed|Rerun to get", re.IGNORECASE)


class PdflatexNotFoundError(TelemigrationError, FileNotFoundError):
    """pdflatex is not on PATH."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class LatexCompileError(TelemigrationError, RuntimeError):
    """pdflatex failed, or the log reports an undefined reference or control sequence."""

    def __init__(self, document: str, problem: str, log_path: Path | None) -> None:
        self.document = document
        self.problem = problem
        self.log_path = log_path
        where = f"; the full log is {log_path}" if log_path is not None else ""
        super().__init__(f"pdflatex failed on {document}: {problem}{where}")


@dataclass(frozen=True)
class CompileResult:
    """A successful compilation: where the PDF went and how many pdflatex runs it took."""

    pdf_path: Path
    runs: int


def find_pdflatex() -> str | None:
    """Return the path of pdflatex on PATH, or None."""
    return shutil.which("pdflatex")


def compile_pdf(
    tex_source: str,
    pdf_path: str | os.PathLike[str],
    *,
    resources: Mapping[str, Path] | None = None,
    runs: int = 2,
) -> CompileResult:
    """Compile ``tex_source`` and move the PDF onto ``pdf_path`` atomically.

    ``resources`` maps a file name used inside the document (for example a
    figure for ``\\includegraphics``) to the file to copy next to it. Raises
    PdflatexNotFoundError without pdflatex, and LatexCompileError when a run fails
    or the final log mentions anything undefined. After a failure the log is
    saved next to ``pdf_path`` with the suffix ``.log``.
    """
    executable = find_pdflatex()
    if executable is None:
        raise PdflatexNotFoundError()
    target = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="telemigration-latex-") as directory:
        work = Path(directory)
        source = work / "document.tex"
        source.write_text(tex_source, encoding="utf-8")
        for name, path in (resources or {}).items():
            destination = work / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
        completed_runs = 0
        log_text = ""
        # One extra run is allowed when the log requests a rerun because labels moved.
        for run in range(runs + 1):
            if run >= runs and not _RERUN.search(log_text):
                break
            process = _run_pdflatex(executable, work, target)
            completed_runs += 1
            log_text = _read_log(work / "document.log")
            if process.returncode != 0:
                raise LatexCompileError(target.name, _first_error(log_text, process.stdout), _save_log(work, target))
        undefined = [line.strip() for line in log_text.splitlines() if _UNDEFINED.search(line)]
        if undefined:
            raise LatexCompileError(target.name, undefined[0], _save_log(work, target))
        atomic_copy(work / "document.pdf", target)
    logger.info("compiled %s in %d pdflatex runs", target, completed_runs)
    return CompileResult(target, completed_runs)


def _run_pdflatex(executable: str, work: Path, target: Path) -> subprocess.CompletedProcess[str]:
    command = [executable, "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", "document.tex"]
    try:
        return subprocess.run(
            command, cwd=work, capture_output=True, text=True, errors="replace", timeout=RUN_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise LatexCompileError(target.name, f"a pdflatex run took longer than {RUN_TIMEOUT_S:g} s", None) from None


def _read_log(path: Path) -> str:
    # pdflatex writes the log in the input's 8-bit encoding, not always UTF-8.
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _first_error(log_text: str, stdout: str) -> str:
    lines = (log_text or stdout).splitlines()
    for index, line in enumerate(lines):
        if line.startswith("!"):
            context = " ".join(part.strip() for part in lines[index:index + 3] if part.strip())
            return context
    return "pdflatex exited with an error and no '!' line in the log"


def _save_log(work: Path, target: Path) -> Path | None:
    log = work / "document.log"
    if not log.exists():
        return None
    return atomic_copy(log, target.with_suffix(".log"))
