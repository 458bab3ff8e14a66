"""The PDF report with and without pdflatex, atomic writes and the progress switch."""

from __future__ import annotations

import io
import json
import os
import shutil

import pytest

from telemigration.cli.main import main
from telemigration.publish.atomic import atomic_output, atomic_write_text
from telemigration.publish.figures import FIGURES
from telemigration.publish.pdflatex import INSTALL_HINT
from telemigration.publish.progress import progress_enabled, step_progress

PDFLATEX = shutil.which("pdflatex")
# Under CI (CI=true) a missing pdflatex fails these tests instead of skipping them.
SKIP_WITHOUT_PDFLATEX = PDFLATEX is None and not os.environ.get("CI")


@pytest.mark.skipif(
    SKIP_WITHOUT_PDFLATEX, reason="pdflatex is not installed here (apt-get install texlive-latex-base); CI installs it"
)
def test_report_compiles_with_figures(tmp_path, capsys) -> None:
    assert main(["report", "--out", str(tmp_path), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    pdf = tmp_path / "report.pdf"
    assert output["pdf"] == str(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 100_000
    source = (tmp_path / "report.tex").read_text(encoding="utf-8")
    assert "\\usepackage{graphicx}" in source
    for name in FIGURES:
        assert f"\\includegraphics[width=\\textwidth]{{{name}.pdf}}" in source
        assert (tmp_path / f"{name}.pdf").exists()
    for key in ("claims", "figures", "dfs-goods", "table-4-4"):
        assert f"\\label{{sec:{key}}}" in source
    leftovers = [path.name for path in tmp_path.iterdir() if path.name.endswith((".part", ".log", ".aux"))]
    assert leftovers == []


def test_report_without_pdflatex_keeps_tex(tmp_path, monkeypatch, capsys) -> None:
    # A PATH with no executables at all, so pdflatex cannot be found.
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "out"
    assert main(["report", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    error_lines = captured.err.strip().splitlines()
    assert len(error_lines) == 1
    assert INSTALL_HINT in error_lines[0]
    assert (out / "report.tex").stat().st_size > 10_000
    assert not (out / "report.pdf").exists()


def test_atomic_write_replaces_whole_file(tmp_path) -> None:
    target = tmp_path / "a.txt"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [path.name for path in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_output_interrupted_leaves_old_file(tmp_path) -> None:
    target = tmp_path / "figure.png"
    target.write_bytes(b"complete")
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as temporary:
            temporary.write_bytes(b"half")
            raise KeyboardInterrupt
    assert target.read_bytes() == b"complete"
    assert [path.name for path in tmp_path.iterdir()] == ["figure.png"]


def test_atomic_output_keeps_suffix_and_creates_directory(tmp_path) -> None:
    target = tmp_path / "new" / "figure.pdf"
    with atomic_output(target) as temporary:
        assert temporary.parent == target.parent
        assert temporary.name.endswith(".pdf.part")
        temporary.write_bytes(b"%PDF")
    assert target.read_bytes() == b"%PDF"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_terminal_without_json() -> None:
    assert progress_enabled(False, _Terminal())
    assert not progress_enabled(True, _Terminal())
    assert not progress_enabled(False, io.StringIO())


def test_disabled_progress_draws_nothing(capsys) -> None:
    with step_progress(3, "work", enabled=False) as advance:
        for label in ("a", "b", "c"):
            advance(label)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


@pytest.mark.parametrize("command", ["latex", "figures", "report"])
def test_out_pointing_at_a_file_is_rejected(tmp_path, capsys, command: str) -> None:
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me", encoding="utf-8")
    for out in (existing, existing / "below"):
        assert main([command, "--out", str(out)]) == 2
        error_lines = capsys.readouterr().err.strip().splitlines()
        assert len(error_lines) == 1
        assert "--out" in error_lines[0]
        assert str(out) in error_lines[0]
        assert "not a directory" in error_lines[0]
    assert existing.read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(
    SKIP_WITHOUT_PDFLATEX, reason="pdflatex is not installed here (apt-get install texlive-latex-base); CI installs it"
)
def test_report_has_no_wide_overfull_boxes(tmp_path) -> None:
    import re
    import subprocess

    from telemigration.publish.report import write_report

    write_report(tmp_path, compile_pdf_file=False)
    completed = subprocess.run(
        [PDFLATEX, "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", "report.tex"],
        cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    log = (tmp_path / "report.log").read_text(encoding="utf-8", errors="replace")
    widths = [float(width) for width in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]
    assert [width for width in widths if width > 10.0] == []
