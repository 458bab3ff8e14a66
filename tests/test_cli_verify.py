"""``telemigration verify``: JSON schema, readable text and the exit status from the audit."""

from __future__ import annotations

import io
import json
import sys
import types
from dataclasses import dataclass

import pytest

from telemigration.claims import registry
from telemigration.cli.main import main
from telemigration.cli.verify import format_text

CLAIM_KEYS = {"id", "section", "statement", "paper_value", "computed_value", "method", "status", "detail"}


def _reject_constant(name: str) -> None:
    raise AssertionError(f"non-finite number {name} in JSON output")


@pytest.fixture(scope="module")
def verify_json() -> tuple[int, dict]:
    """Run the real ``verify --json`` once for the module; the audit takes several seconds."""
    capture = pytest.MonkeyPatch()
    buffer = io.StringIO()
    capture.setattr(sys, "stdout", buffer)
    try:
        status = main(["verify", "--json"])
    finally:
        capture.undo()
    return status, json.loads(buffer.getvalue(), parse_constant=_reject_constant)


def test_verify_json_schema(verify_json):
    status, result = verify_json
    assert status == 0
    assert set(result) == {"claims", "audit"}
    assert result["claims"], "no claim is registered"
    for claim in result["claims"]:
        assert set(claim) >= CLAIM_KEYS
        assert claim["status"] in {"confirmed", "approximation", "differs"}
    assert result["audit"], "the audit has no rows"
    for row in result["audit"]:
        assert row["ok"] is True


def test_verify_lists_dfs_claims(verify_json):
    _, result = verify_json
    ids = {claim["id"] for claim in result["claims"]}
    assert {"eq-1", "eq-2", "footnote-15"} <= ids


def test_verify_text_fits_100_columns(verify_json):
    _, result = verify_json
    text = format_text(result, width=100)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    for claim in result["claims"]:
        assert claim["id"] in text
    assert "0 failing" in text


# --- exit status, with a stand-in audit --------------------------------------


@dataclass(frozen=True)
class StandInRow:
    """An audit row with the fields ``verify`` reads: to_dict() and ok."""

    parameter: str
    discrepancy: float
    tolerance: float

    @property
    def ok(self) -> bool:
        return self.discrepancy <= self.tolerance

    def to_dict(self) -> dict[str, object]:
        return {
            "curve": "stand-in curve",
            "point": "stand-in point",
            "parameter": self.parameter,
            "max_relative_discrepancy": self.discrepancy,
            "worst_pair": "autodiff/finite_difference",
            "tolerance": self.tolerance,
            "ok": self.ok,
        }


@pytest.fixture
def stand_in(monkeypatch):
    """Replace the claims and the audit with small known ones; return the audit rows to edit."""
    rows: list[StandInRow] = []
    audit_module = types.ModuleType("telemigration.claims.audit")
    audit_module.run_audit = lambda: tuple(rows)
    monkeypatch.setitem(sys.modules, "telemigration.claims.audit", audit_module)
    result = registry.ClaimResult(
        "stand-in", "5.1", "a statement", 1.5, 1.5, "arithmetic", registry.Status.CONFIRMED, "matches"
    )
    monkeypatch.setattr(registry, "evaluate_all", lambda: [result])
    return rows


def test_verify_exits_0_when_audit_passes(stand_in, capsys):
    stand_in.append(StandInRow("tau_s", 1e-12, 1e-8))
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert "stand-in" in out
    assert "FAILED" not in out


def test_verify_exits_1_when_audit_row_fails(stand_in, capsys):
    stand_in.append(StandInRow("tau_s", 1e-12, 1e-8))
    stand_in.append(StandInRow("gamma", 1e-3, 1e-8))
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "1 failing" in out
    failed = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1
    assert "gamma" in failed[0]


def test_verify_json_exit_1_and_rows(stand_in, capsys):
    stand_in.append(StandInRow("gamma", 1e-3, 1e-8))
    assert main(["verify", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["audit"][0]["ok"] is False
    assert result["claims"][0]["status"] == "confirmed"
