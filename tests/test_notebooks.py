"""The notebooks run top to bottom: each jupytext file is converted to .ipynb and executed.

The kernel is "python3", which jupyter_client starts with the running
interpreter, so the notebooks see the same environment as the tests. A cell
that raises fails the test (nbclient raises CellExecutionError).
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import telemigration

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.py"))

# Seconds one cell may run; the slowest notebook takes well under a minute.
CELL_TIMEOUT_S = 600


def execute_notebook(source: Path, work: Path) -> nbformat.NotebookNode:
    """Convert a jupytext percent-format file to .ipynb in ``work`` and execute it there."""
    notebook = jupytext.read(source)
    converted = work / f"{source.stem}.ipynb"
    jupytext.write(notebook, converted)
    executable = nbformat.read(converted, as_version=4)
    client = NotebookClient(
        executable, kernel_name="python3", timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(work)}}
    )
    client.execute()
    return executable


@pytest.fixture(autouse=True)
def kernel_imports_this_package(monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel runs in a temporary directory. The directory that contains the
    # package these tests import goes first on its path, so both run the same
    # code whether the package is installed or only checked out.
    root = str(Path(telemigration.__file__).resolve().parent.parent)
    existing = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", root if not existing else os.pathsep.join([root, existing]))


def test_at_least_four_notebooks() -> None:
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("source", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs(source: Path, tmp_path: Path) -> None:
    executed = execute_notebook(source, tmp_path)
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert code_cells
    for cell in code_cells:
        errors = [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]
        assert errors == []


def test_failing_cell_fails(tmp_path: Path) -> None:
    source = tmp_path / "failing.py"
    source.write_text("# %%\nx = 1\n\n# %%\nraise ValueError('deliberate')\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(CellExecutionError, match="deliberate"):
        execute_notebook(source, work)
