"""Load and validate the numbers of Baldwin and Dingel (2021) shipped with the package.

The CSV files live in ``telemigration/data/paper``; its SOURCES.md gives where
each number sits in the paper (table, column, row) and which readings of the
garbled text were needed. Every loader takes an optional ``data_dir`` so that a
caller can point it at corrected copies. A missing file, a wrong header, a short
or long row, a malformed or out-of-domain number, or a duplicated key raises
``DataFileError`` naming the file, the line and the value.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from telemigration.errors import DataFileError, InvalidParameterError

PAPER_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "paper"

# Regressors of Tables 4.1 to 4.3, in printed row order.
REGRESSORS = (
    "log_distance",
    "log_distance_trend",
    "time_zone_diff",
    "shared_language",
    "colonial_link",
    "shared_legal_origin",
)
GRAVITY_TABLES = ("4.1", "4.2", "4.3")
SIGNIFICANCE_LETTERS = ("", "a", "b", "c")
WAGE_PERIODS = ("hour", "month", "year")

# Blinder's categories, and which of them each scenario of Table 2.1 counts as
# offshorable (section 2: Low is categories I and II, High also III).
BLINDER_CATEGORIES = ("I", "I and II", "II", "III", "IV")
LOW_SCENARIO_CATEGORIES = frozenset({"I", "I and II", "II"})
HIGH_SCENARIO_CATEGORIES = LOW_SCENARIO_CATEGORIES | {"III"}


@dataclass(frozen=True)
class GravityCoefficient:
    """One printed cell of Tables 4.1 to 4.3: a coefficient and its standard error."""

    table: str
    column: int
    regressor: str
    coefficient: float
    std_error: float
    significance: str


@dataclass(frozen=True)
class GravityColumn:
    """One column of Tables 4.1 to 4.3: the sample, the fit and the six coefficients."""

    table: str
    column: int
    services: str
    sample: str
    period: str
    observations: int
    r2: float
    coefficients: tuple[GravityCoefficient, ...]

    @property
    def label(self) -> str:
        """Return the column's label, e.g. 'Table 4.3 column 5 (OBS, o,d in G20, 2005-2019)'."""
        return f"Table {self.table} column {self.column} ({self.services}, {self.sample}, {self.period})"

    def coefficient(self, regressor: str) -> GravityCoefficient:
        """Return the cell of ``regressor``; raises InvalidParameterError for an unknown name."""
        for cell in self.coefficients:
            if cell.regressor == regressor:
                return cell
        raise InvalidParameterError("shifter", regressor, f"expected one of {', '.join(REGRESSORS)}")


@dataclass(frozen=True)
class JobInput:
    """One cell of Table 4.4's inputs: OBS imports of a destination from an origin, and the origin's wage."""

    destination: str
    origin: str
    imports_busd: float
    hourly_wage: float


@dataclass(frozen=True)
class PrintedJobCell:
    """One cell of Table 4.4 as printed (two decimals, jobs in millions, percent as a fraction)."""

    destination: str
    origin: str
    base_jobs_millions: float
    percent_increase: float
    jobs_increase_millions: float


@dataclass(frozen=True)
class LocalWage:
    """A wage of footnote 10 in local currency, with the exchange rate the footnote uses."""

    origin: str
    currency: str
    amount: float
    period: str
    usd_per_unit: float
    occupation: str
    survey: str


@dataclass(frozen=True)
class PaperNumber:
    """A number stated in the text, with its unit, section and the sentence it comes from."""

    name: str
    value: float
    unit: str
    section: str
    statement: str


@dataclass(frozen=True)
class Occupation:
    """One row of Table 2.1: Blinder's category, the Low and High scenario flags and the workers."""

    rank: int
    occupation: str
    category: str
    low: int
    high: int
    workers: int


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV whose header is exactly ``columns``; return (line number, row) pairs."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle, strict=True)
            header = tuple(reader.fieldnames or ())
            if header != columns:
                raise DataFileError(path, f"the header is {', '.join(header) or '(empty)'}; expected {', '.join(columns)}")
            rows = []
            for row in reader:
                if None in row or any(value is None for value in row.values()):
                    raise DataFileError(path, f"line {reader.line_num} has {_field_count(row)} fields; expected {len(columns)}")
                rows.append((reader.line_num, row))
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataFileError(path, f"cannot be read as UTF-8 CSV: {error}") from None
    if not rows:
        raise DataFileError(path, "the file has a header but no rows")
    return rows


def _field_count(row: dict) -> int:
    present = [value for key, value in row.items() if key is not None and value is not None]
    return len(present) + len(row.get(None) or ())


def _number(path: Path, line: int, column: str, text: str, *, positive: bool = False) -> float:
    """Parse a finite float (and a positive one when asked) or raise DataFileError."""
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(path, f"line {line}, column {column}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise DataFileError(path, f"line {line}, column {column}: {text!r} is not a finite number")
    if positive and value <= 0.0:
        raise DataFileError(path, f"line {line}, column {column}: {text!r} must be > 0")
    return value


def _integer(path: Path, line: int, column: str, text: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise DataFileError(path, f"line {line}, column {column}: {text!r} is not an integer") from None
    if value < minimum:
        raise DataFileError(path, f"line {line}, column {column}: {text!r} must be >= {minimum}")
    return value


def _choice(path: Path, line: int, column: str, text: str, allowed: tuple[str, ...]) -> str:
    if text not in allowed:
        raise DataFileError(path, f"line {line}, column {column}: {text!r} is not one of {', '.join(map(repr, allowed))}")
    return text


def _unique(path: Path, line: int, key: tuple, seen: set) -> None:
    if key in seen:
        raise DataFileError(path, f"line {line} repeats {key!r}")
    seen.add(key)


def _directory(data_dir: Path | str | None) -> Path:
    return PAPER_DATA_DIR if data_dir is None else Path(data_dir)


def load_gravity_columns(data_dir: Path | str | None = None) -> tuple[GravityColumn, ...]:
    """Load every column of Tables 4.1, 4.2 and 4.3 with its coefficients and fit."""
    directory = _directory(data_dir)
    coefficient_path = directory / "gravity_coefficients.csv"
    fit_path = directory / "gravity_fit.csv"

    cells: dict[tuple[str, int], list[GravityCoefficient]] = {}
    seen: set = set()
    for line, row in _read_rows(coefficient_path, ("table", "column", "regressor", "coefficient", "std_error", "significance")):
        table = _choice(coefficient_path, line, "table", row["table"], GRAVITY_TABLES)
        column = _integer(coefficient_path, line, "column", row["column"], minimum=1)
        regressor = _choice(coefficient_path, line, "regressor", row["regressor"], REGRESSORS)
        _unique(coefficient_path, line, (table, column, regressor), seen)
        cells.setdefault((table, column), []).append(
            GravityCoefficient(
                table, column, regressor,
                _number(coefficient_path, line, "coefficient", row["coefficient"]),
                _number(coefficient_path, line, "std_error", row["std_error"], positive=True),
                _choice(coefficient_path, line, "significance", row["significance"], SIGNIFICANCE_LETTERS),
            )
        )

    columns = []
    seen = set()
    for line, row in _read_rows(fit_path, ("table", "column", "services", "sample", "period", "observations", "r2")):
        table = _choice(fit_path, line, "table", row["table"], GRAVITY_TABLES)
        column = _integer(fit_path, line, "column", row["column"], minimum=1)
        _unique(fit_path, line, (table, column), seen)
        r2 = _number(fit_path, line, "r2", row["r2"])
        if not 0.0 <= r2 <= 1.0:
            raise DataFileError(fit_path, f"line {line}, column r2: {row['r2']!r} must lie in [0, 1]")
        found = cells.get((table, column), [])
        missing = [name for name in REGRESSORS if name not in {cell.regressor for cell in found}]
        if missing:
            raise DataFileError(coefficient_path, f"Table {table} column {column} lacks {', '.join(missing)}")
        found.sort(key=lambda cell: REGRESSORS.index(cell.regressor))
        columns.append(
            GravityColumn(
                table, column, row["services"], row["sample"], row["period"],
                _integer(fit_path, line, "observations", row["observations"], minimum=1), r2, tuple(found),
            )
        )
    orphans = sorted(set(cells) - seen)
    if orphans:
        raise DataFileError(fit_path, f"no row for Table {orphans[0][0]} column {orphans[0][1]}, which has coefficients")
    return tuple(columns)


def parse_column_spec(spec: str) -> tuple[str, int]:
    """Split a column reference such as '4.3:5' into the table ('4.3') and column number (5)."""
    table, separator, column = str(spec).partition(":")
    if not separator or table not in GRAVITY_TABLES or not column.isdigit():
        raise InvalidParameterError(
            "column", spec, f"expected TABLE:COLUMN with TABLE one of {', '.join(GRAVITY_TABLES)}, e.g. 4.3:5"
        )
    return table, int(column)


def gravity_column(spec: str = "4.3:5", data_dir: Path | str | None = None) -> GravityColumn:
    """Return one column of Tables 4.1 to 4.3, named as 'TABLE:COLUMN' (default: Table 4.3 column 5, OBS)."""
    table, number = parse_column_spec(spec)
    columns = load_gravity_columns(data_dir)
    for column in columns:
        if (column.table, column.column) == (table, number):
            return column
    available = [str(column.column) for column in columns if column.table == table]
    raise InvalidParameterError("column", spec, f"Table {table} has columns {', '.join(available)}")


def load_job_inputs(data_dir: Path | str | None = None) -> tuple[JobInput, ...]:
    """Load Table 4.4's inputs: OBS imports in 2019 (billions of USD) joined with hourly wages (USD)."""
    directory = _directory(data_dir)
    wage_path = directory / "hourly_wages.csv"
    import_path = directory / "obs_imports_2019.csv"

    wages: dict[str, float] = {}
    for line, row in _read_rows(wage_path, ("origin", "hourly_wage_usd")):
        if row["origin"] in wages:
            raise DataFileError(wage_path, f"line {line} repeats the origin {row['origin']!r}")
        wages[row["origin"]] = _number(wage_path, line, "hourly_wage_usd", row["hourly_wage_usd"], positive=True)

    inputs = []
    seen: set = set()
    for line, row in _read_rows(import_path, ("destination", "origin", "imports_busd")):
        _unique(import_path, line, (row["destination"], row["origin"]), seen)
        if row["origin"] not in wages:
            raise DataFileError(wage_path, f"no hourly wage for origin {row['origin']!r}, which {import_path.name} line {line} needs")
        inputs.append(
            JobInput(
                row["destination"], row["origin"],
                _number(import_path, line, "imports_busd", row["imports_busd"], positive=True), wages[row["origin"]],
            )
        )
    return tuple(inputs)


def load_printed_table_4_4(data_dir: Path | str | None = None) -> tuple[PrintedJobCell, ...]:
    """Load Table 4.4's printed base jobs, percent increase and jobs increase."""
    path = _directory(data_dir) / "table_4_4_printed.csv"
    cells = []
    seen: set = set()
    columns = ("destination", "origin", "base_jobs_millions", "percent_increase", "jobs_increase_millions")
    for line, row in _read_rows(path, columns):
        _unique(path, line, (row["destination"], row["origin"]), seen)
        cells.append(
            PrintedJobCell(
                row["destination"], row["origin"],
                *(_number(path, line, name, row[name], positive=True) for name in columns[2:]),
            )
        )
    return tuple(cells)


def load_footnote_10_wages(data_dir: Path | str | None = None) -> tuple[LocalWage, ...]:
    """Load footnote 10's wages in local currency and its exchange rates to USD."""
    path = _directory(data_dir) / "footnote_10_wages.csv"
    wages = []
    seen: set = set()
    columns = ("origin", "currency", "amount", "period", "usd_per_unit", "occupation", "survey")
    for line, row in _read_rows(path, columns):
        _unique(path, line, (row["origin"],), seen)
        wages.append(
            LocalWage(
                row["origin"], row["currency"],
                _number(path, line, "amount", row["amount"], positive=True),
                _choice(path, line, "period", row["period"], WAGE_PERIODS),
                _number(path, line, "usd_per_unit", row["usd_per_unit"], positive=True),
                row["occupation"], row["survey"],
            )
        )
    return tuple(wages)


def load_paper_numbers(data_dir: Path | str | None = None) -> dict[str, PaperNumber]:
    """Load the numbers stated in the text of sections 2 and 4, keyed by name."""
    path = _directory(data_dir) / "paper_numbers.csv"
    numbers: dict[str, PaperNumber] = {}
    for line, row in _read_rows(path, ("name", "value", "unit", "section", "statement")):
        if row["name"] in numbers:
            raise DataFileError(path, f"line {line} repeats the name {row['name']!r}")
        numbers[row["name"]] = PaperNumber(
            row["name"], _number(path, line, "value", row["value"]), row["unit"], row["section"], row["statement"]
        )
    return numbers


def paper_number(name: str, data_dir: Path | str | None = None) -> float:
    """Return the value of one number of ``paper_numbers.csv``; raises DataFileError if it is absent."""
    numbers = load_paper_numbers(data_dir)
    if name not in numbers:
        raise DataFileError(_directory(data_dir) / "paper_numbers.csv", f"no row named {name!r}")
    return numbers[name].value


def load_table_2_1(data_dir: Path | str | None = None) -> tuple[Occupation, ...]:
    """Load Table 2.1 and check that each scenario flag follows the category rule of section 2."""
    path = _directory(data_dir) / "table_2_1.csv"
    rows = []
    for line, row in _read_rows(path, ("rank", "occupation", "category", "low", "high", "workers")):
        rank = _integer(path, line, "rank", row["rank"], minimum=1)
        if rank != len(rows) + 1:
            raise DataFileError(path, f"line {line}, column rank: {row['rank']!r}; expected {len(rows) + 1}")
        category = _choice(path, line, "category", row["category"], BLINDER_CATEGORIES)
        low = int(_choice(path, line, "low", row["low"], ("0", "1")))
        high = int(_choice(path, line, "high", row["high"], ("0", "1")))
        if (low, high) != (int(category in LOW_SCENARIO_CATEGORIES), int(category in HIGH_SCENARIO_CATEGORIES)):
            raise DataFileError(
                path, f"line {line}: low={low}, high={high} contradict category {category!r} "
                "(Low counts categories I and II, High also III)"
            )
        rows.append(
            Occupation(rank, row["occupation"], category, low, high, _integer(path, line, "workers", row["workers"], minimum=1))
        )
    return tuple(rows)
