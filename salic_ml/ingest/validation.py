"""Row validation, a chunk of rows at a time: field types, required values, keys and references.

Fields are checked column by column. A column whose values repeat (codes, dates, UFs, payment
types, item names) is parsed once per distinct value; a column of unique numbers or ids is first
checked as a whole by C-level string tests and converted in bulk, and only falls back to parsing
value by value — with a precise reason per value — when that check fails. This keeps millions
of rows to a few seconds while every error still names its line, column and reason.

The per-file rules (duplicates, references, defaults) use `ImportState`, which remembers what
earlier valid rows and files established. Sets and dicts of ids are fine in memory at SALIC's
scale (2M lines ≈ a few hundred MB) and are dropped before writing starts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from .columns import (
    CODE,
    DATE,
    DOCUMENT,
    INT,
    MAX_FIELD_CHARS,
    NUMBER,
    PAYMENT,
    TEXT,
    UF,
    Column,
    FileSpec,
    HeaderMap,
)
from .values import (
    collapse_spaces,
    parse_code,
    parse_date,
    parse_document,
    parse_int,
    parse_number,
    parse_payment_type,
    parse_salic_code,
    parse_uf,
)

Problem = tuple[str, str]  # (column label, reason)
Row = tuple[object, ...]


@dataclass
class ImportState:
    """What the import knows so far; filled by accepted rows, read by the checks of later rows."""

    db_pronacs: set[str] = field(default_factory=set)
    db_segment_area: dict[str, str] = field(default_factory=dict)
    db_has_lines: bool = False
    # replace (the default): for the projects a file holds, the file is the whole truth of that table
    append: bool = False
    # project rows of this import
    pronac_lines: dict[str, int] = field(default_factory=dict)  # pronac → line number
    segment_area: dict[str, tuple[str, int]] = field(default_factory=dict)  # segment → (area, line)
    areas: dict[str, str] = field(default_factory=dict)  # code → name
    segments: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (area code, name)
    proponents: set[str] = field(default_factory=set)
    # budget lines of this import, and those looked up in the database: line_id → pronac
    lines: dict[int, str] = field(default_factory=dict)
    db_lines: dict[int, str] = field(default_factory=dict)
    receipt_keys: set[tuple[int, int]] = field(default_factory=set)
    suppliers: dict[str, str] = field(default_factory=dict)  # id → name
    fundraising_seen: dict[str, int] = field(default_factory=dict)
    fundraising_ids: dict[str, int] = field(default_factory=dict)  # source id → line
    # PRONACs of the budget-line file: without `append`, their stored lines not in it are removed
    line_pronacs: set[str] = field(default_factory=set)
    db_lines_gone: dict[int, str] = field(default_factory=dict)  # stored lines those projects lose
    # file kind → PRONACs named by refused rows (--skip-invalid): nothing of theirs is removed
    refused_pronacs: dict[str, set[str]] = field(default_factory=dict)
    # names given beside the rows (SALIC's budget lines): code → name
    area_names: dict[str, str] = field(default_factory=dict)
    segment_names: dict[str, str] = field(default_factory=dict)
    _pronacs: dict[str, str] = field(default_factory=dict)

    def known_pronac(self, pronac: str) -> bool:
        return pronac in self.pronac_lines or pronac in self.db_pronacs

    def shared_pronac(self, pronac: str) -> str:
        """One string object per PRONAC: `lines` holds millions of them (saves ~100 MB at 2M lines)."""
        return self._pronacs.setdefault(pronac, pronac)

    def drop_lookups(self) -> None:
        """Free the big reference sets once every file is validated (writing does not need them)."""
        self.lines, self.db_lines, self.receipt_keys, self.fundraising_seen = {}, {}, set(), {}
        self.pronac_lines, self.db_pronacs, self._pronacs, self.fundraising_ids = {}, set(), {}, {}
        self.line_pronacs, self.db_lines_gone = set(), {}


def _text(max_length: int, *, collapse: bool = False) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if "\r" in value:  # one newline convention, or PostgreSQL's COPY refuses the row
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if collapse:
            value = collapse_spaces(value)
        if max_length and len(value) > max_length:
            raise ValueError(f"longer than {max_length} characters ({len(value)})")
        return value

    return parse


def _limited(parse: Callable[[str], str], max_length: int) -> Callable[[str], str]:
    def run(value: str) -> str:
        result = parse(value)
        if len(result) > max_length:
            raise ValueError(f"longer than {max_length} characters ({len(result)})")
        return result

    return run


def _bounded(parse: Callable[[str], float], upper: float) -> Callable[[str], float]:
    def parse_bounded(value: str) -> float:
        result = parse(value)
        if result > upper:  # also catches float("9" * 400) == inf
            shown = value if len(value) <= 40 else value[:37] + "..."
            raise ValueError(f"too large: {shown!r} (at most {upper:,.0f})")
        return result

    return parse_bounded


def value_parser(column: Column, *, comma_decimal: bool, salic: bool = False) -> Callable[[str], object]:
    """The parser of one non-empty value of this column (raises ValueError with the reason).

    `salic`: SALIC's extracts write numeric codes as floats (`1.0`) and pad or double-space text.
    """
    kind = column.kind
    if kind == TEXT:
        return _text(column.max_length, collapse=salic)
    if kind == CODE:
        return _limited(parse_salic_code if salic else parse_code, column.max_length)
    if kind == DOCUMENT:
        return _limited(parse_document, column.max_length)
    if kind == UF:
        return parse_uf
    if kind == INT:
        return _bounded(parse_int, column.upper_bound)
    if kind == NUMBER:
        return _bounded(partial(parse_number, comma_decimal=comma_decimal), column.upper_bound)
    if kind == DATE:
        return parse_date
    if kind == PAYMENT:
        return parse_payment_type
    raise ValueError(f"unknown column kind {kind}")


def _within(values: list, upper: float) -> bool:
    """Every present value is at most `upper` (the slow path then names the ones that are not)."""
    present = [v for v in values if v is not None]
    return not present or max(present) <= upper


def empty_value(column: Column) -> object:
    if column.default:
        return column.default
    return "" if column.kind in (TEXT, CODE, DOCUMENT, UF) else None


def _fast_column(
    column: Column, values: Sequence[str], *, comma_decimal: bool, salic: bool = False
) -> list[object] | None:
    """Convert a whole column when C-level checks prove every value well-formed, else None.

    Values may be unstripped: surrounding spaces fail these checks and take the slow path.
    """
    kind = column.kind
    if kind in (DATE, UF, PAYMENT):
        return None  # these repeat: the distinct-value path of convert_column is fast for them
    complete = "" not in values
    joined = "".join(values)
    if kind == INT:
        if joined.isascii() and (joined.isdigit() or not joined):
            result = list(map(int, values)) if complete else [int(v) if v else None for v in values]
            return result if _within(result, column.upper_bound) else None
        return None
    if kind == NUMBER:
        # Digits and one kind of separator only: no signs, exponents, "nan" or "1_000" get here.
        separator = "," if comma_decimal else "."
        digits = joined.replace(separator, "")
        if not digits.isascii() or not (digits.isdigit() or not digits):
            return None
        try:
            if separator == ",":
                result = [float(v.replace(",", ".")) if v else None for v in values]
            else:
                result = list(map(float, values)) if complete else [float(v) if v else None for v in values]
        except ValueError:  # "1.2.3" and the like: let the slow path name the value
            return None
        return result if _within(result, column.upper_bound) else None
    if kind in (CODE, DOCUMENT):
        if kind == DOCUMENT and "-" in joined:
            # Anonymised extracts: signed 64-bit hashes, kept as they are (see parse_document).
            if joined.count("-") != sum(v[:1] == "-" for v in values):
                return None
            joined = joined.replace("-", "")
        if joined.isascii() and (joined.isalnum() or not joined) and max(map(len, values)) <= column.max_length:
            return list(values)
        return None
    if kind == TEXT:
        stripped = list(map(str.strip, values))
        if "\r" in joined or (column.max_length and max(map(len, stripped)) > column.max_length):
            return None
        if salic and "  " in joined and any("  " in v for v in stripped):
            return None  # double spaces inside: the parser collapses them
        return stripped
    return None


def convert_column(
    column: Column, values: list[str], parse: Callable[[str], object]
) -> tuple[list[object], dict[int, str]]:
    """Normalised values of one column (stripped strings in) and {row index: reason} for bad ones."""
    empty = empty_value(column)
    distinct = set(values)
    if len(distinct) * 3 <= len(values):
        # Repeating values: parse each distinct one once.
        table: dict[str, object] = {}
        bad: dict[str, str] = {}
        for value in distinct:
            if not value:
                table[value] = empty
                if column.required:
                    bad[value] = "required value is empty"
                continue
            try:
                table[value] = parse(value)
            except ValueError as exc:
                table[value] = empty
                bad[value] = str(exc)
        out = list(map(table.__getitem__, values))
        if not bad:
            return out, {}
        return out, {i: bad[v] for i, v in enumerate(values) if v in bad}
    out: list[object] = []
    errors: dict[int, str] = {}
    for i, value in enumerate(values):
        if not value:
            out.append(empty)
            if column.required:
                errors[i] = "required value is empty"
            continue
        try:
            out.append(parse(value))
        except ValueError as exc:
            out.append(empty)
            errors[i] = str(exc)
    return out, errors


class ChunkChecker:
    """Validates the rows of one file, a chunk at a time."""

    def __init__(
        self,
        spec: FileSpec,
        header: HeaderMap,
        state: ImportState,
        *,
        comma_decimal: bool,
        has_nul: bool,
        salic: bool = False,
    ):
        self.spec = spec
        self.header = header
        self.has_nul = has_nul
        self.comma_decimal = comma_decimal
        self.salic = salic
        self.state = state
        self.parsers = [value_parser(c, comma_decimal=comma_decimal, salic=salic) for c in spec.columns]
        self.rules = RULES[spec.kind](spec, header, state)
        self.raw_labels = {pos: label for pos, label in zip(header.positions, header.labels, strict=True)}
        self._side_codes: dict[str, set[str]] = {}  # raw codes whose names were looked at

    def check(
        self, lines: list[int], raws: list[list[str]], *, long_lines: bool = True
    ) -> tuple[list[Row], dict[int, list[Problem]]]:
        """Accepted normalised rows (in order), and the problems of refused rows by chunk index.

        `lines` are the rows' line numbers in the file, for messages that point at another row;
        `long_lines` says whether the chunk may hold a field beyond MAX_FIELD_CHARS.
        """
        width = self.header.width
        problems: dict[int, list[Problem]] = {}
        if not all(len(raw) == width for raw in raws) or self.has_nul:
            for i, raw in enumerate(raws):
                if len(raw) != width:
                    problems[i] = [("", f"expected {width} fields, found {len(raw)}")]
                elif self.has_nul and any("\x00" in v for v in raw):
                    problems[i] = [(self._label(p), "contains a NUL byte") for p, v in enumerate(raw) if "\x00" in v]
        good = [i for i in range(len(raws)) if i not in problems] if problems else range(len(raws))
        rows = [raws[i] for i in good] if problems else raws
        if not rows:
            return [], problems
        fields = list(zip(*rows, strict=True))
        if self.header.side:
            self._note_side_names(fields)
        if long_lines:
            for position, raw_column in enumerate(fields):
                if max(map(len, raw_column)) > MAX_FIELD_CHARS:
                    for j, value in enumerate(raw_column):
                        if len(value) > MAX_FIELD_CHARS:
                            reason = f"field longer than {MAX_FIELD_CHARS} characters ({len(value)})"
                            problems.setdefault(good[j], []).append((self._label(position), reason))
        columns: list[list[object]] = []
        n = len(rows)
        for column, parse, position, label in zip(
            self.spec.columns, self.parsers, self.header.positions, self.header.labels, strict=True
        ):
            if position is None:
                columns.append([empty_value(column)] * n)
                continue
            raw_column = fields[position]
            # Well-formed columns need no stripping: try them as they are first.
            converted = _fast_column(column, raw_column, comma_decimal=self.comma_decimal, salic=self.salic)
            if converted is None or (column.required and empty_value(column) in converted):
                values = list(map(str.strip, raw_column))
                converted, errors = convert_column(column, values, parse)
                for j, reason in errors.items():
                    if len(raw_column[j]) <= MAX_FIELD_CHARS:  # else already reported as too long
                        problems.setdefault(good[j], []).append((label, reason))
            columns.append(converted)
        accepted = self.rules.check_and_accept(columns, good, [lines[i] for i in good], problems)
        return accepted, problems

    def _label(self, position: int) -> str:
        return self.raw_labels.get(position, f"field {position + 1}")

    def _note_side_names(self, fields: list[tuple[str, ...]]) -> None:
        """Remember the area and segment names given beside the rows (first name per code wins)."""
        side = self.header.side
        for prefix, names in (("area_", self.state.area_names), ("segment_", self.state.segment_names)):
            if prefix + "code" not in side:
                continue
            codes = fields[side[prefix + "code"]]
            named = self._side_codes.setdefault(prefix, set())  # raw codes that have a name
            new = set(codes) - named
            if not new:
                continue  # the usual chunk: every code already named
            for raw, name in dict.fromkeys(zip(codes, fields[side[prefix + "name"]], strict=True)):  # row order
                name = collapse_spaces(name.strip())[:200]
                if raw not in new or not name:
                    continue
                try:
                    code = parse_salic_code(raw.strip())
                except ValueError:
                    continue  # a broken code beside the row is not the row's problem
                names.setdefault(code, name)
                named.add(raw)


class Rules:
    """File-specific checks that need more than one field, or earlier rows; they accept rows too."""

    def __init__(self, spec: FileSpec, header: HeaderMap, state: ImportState) -> None:
        self.spec = spec
        self.state = state
        self.labels = dict(zip(spec.names, header.labels, strict=True))
        self.at = {name: i for i, name in enumerate(spec.names)}

    def check_and_accept(
        self,
        columns: list[list[object]],
        index: Iterable[int],
        lines: list[int],
        problems: dict[int, list[Problem]],
    ) -> list[Row]:
        """Check each row in order (a duplicate is the second occurrence), accept the good ones."""
        self.prepare(columns)
        if not problems and self.accept_all(columns):
            return list(zip(*columns, strict=True))
        accepted: list[Row] = []
        for i, line, row in zip(index, lines, zip(*columns, strict=True), strict=True):
            if i in problems:
                continue
            found = self.check(row)
            if found:
                problems[i] = found
            else:
                accepted.append(self.accept(row, line))
        return accepted

    def prepare(self, columns: list[list[object]]) -> None:
        """Column-wise work before the row loop (defaults, database look-ups)."""

    def accept_all(self, columns: list[list[object]]) -> bool:
        """Accept every row at once if column-wise checks prove each row would pass; else False."""
        return False

    def check(self, row: Row) -> list[Problem]:
        return []

    def accept(self, row: Row, line: int) -> Row:
        return row


class ProjectRules(Rules):
    def check(self, row: Row) -> list[Problem]:
        state, at = self.state, self.at
        problems: list[Problem] = []
        pronac = row[at["pronac"]]
        if pronac in state.pronac_lines:
            problems.append(
                (self.labels["pronac"], f"duplicate pronac {pronac} (first at line {state.pronac_lines[pronac]})")
            )
        segment, area = row[at["segment_code"]], row[at["area_code"]]
        seen = state.segment_area.get(segment)
        if seen and seen[0] != area:
            problems.append(
                (self.labels["segment_code"], f"segment {segment} is in area {seen[0]} (line {seen[1]}), not {area}")
            )
        elif not seen and state.db_segment_area.get(segment, area) != area:
            problems.append(
                (
                    self.labels["segment_code"],
                    f"segment {segment} is in area {state.db_segment_area[segment]} in the database, not {area}",
                )
            )
        return problems

    def accept(self, row: Row, line: int) -> Row:
        state, at = self.state, self.at
        state.pronac_lines[row[at["pronac"]]] = line
        area, segment = row[at["area_code"]], row[at["segment_code"]]
        state.segment_area.setdefault(segment, (area, line))
        if not state.areas.get(area):
            state.areas[area] = row[at["area_name"]]
        if segment not in state.segments or not state.segments[segment][1]:
            state.segments[segment] = (area, row[at["segment_name"]])
        state.proponents.add(row[at["proponent_id"]])
        return row


class BudgetLineRules(Rules):
    def prepare(self, columns: list[list[object]]) -> None:
        at = self.at
        occurrences = columns[at["occurrences"]]
        if None in occurrences:
            columns[at["occurrences"]] = occurrences = [1.0 if o is None else o for o in occurrences]
        totals = columns[at["total_approved"]]
        if None in totals:
            quantity, price = columns[at["quantity"]], columns[at["unit_price_approved"]]
            columns[at["total_approved"]] = [
                t if t is not None or q is None or p is None else round(q * o * p, 2)
                for t, q, o, p in zip(totals, quantity, occurrences, price, strict=True)
            ]

    def accept_all(self, columns: list[list[object]]) -> bool:
        state = self.state
        ids, pronacs = columns[self.at["line_id"]], columns[self.at["pronac"]]
        if len(set(ids)) != len(ids) or not state.lines.keys().isdisjoint(ids):
            return False
        distinct = set(pronacs)
        if not all(state.known_pronac(p) for p in distinct):
            return False
        state.lines.update(zip(ids, map(state.shared_pronac, pronacs), strict=True))
        state.line_pronacs |= distinct
        return True

    def check(self, row: Row) -> list[Problem]:
        state, at = self.state, self.at
        line_id, pronac = row[at["line_id"]], row[at["pronac"]]
        problems: list[Problem] = []
        if line_id in state.lines:
            problems.append((self.labels["line_id"], f"duplicate line_id {line_id}"))
        if not state.known_pronac(pronac):
            problems.append((self.labels["pronac"], f"unknown pronac {pronac} (not in projects.csv nor the database)"))
        return problems

    def accept(self, row: Row, line: int) -> Row:
        pronac = self.state.shared_pronac(row[self.at["pronac"]])
        self.state.lines[row[self.at["line_id"]]] = pronac
        self.state.line_pronacs.add(pronac)
        return row


class ReceiptRules(Rules):
    def prepare(self, columns: list[list[object]]) -> None:
        state = self.state
        if not state.db_has_lines:
            return
        lines, known = state.lines, state.db_lines
        wanted = {i for i in columns[self.at["line_id"]] if i is not None and i not in lines and i not in known}
        if wanted:
            owners = lookup_line_owners(wanted)
            replaced = state.line_pronacs - state.refused_pronacs.get("budget_lines", set())
            if not state.append and replaced:
                # The budget-line file replaces these projects' lines: a stored line it omits is gone.
                state.db_lines_gone.update({i: p for i, p in owners.items() if p in replaced})
                owners = {i: p for i, p in owners.items() if p not in replaced}
            known.update(owners)

    def accept_all(self, columns: list[list[object]]) -> bool:
        state, at = self.state, self.at
        keys = list(zip(columns[at["receipt_id"]], columns[at["line_id"]], strict=True))
        if len(set(keys)) != len(keys) or not state.receipt_keys.isdisjoint(keys):
            return False
        if list(map(state.lines.get, columns[at["line_id"]])) != columns[at["pronac"]]:
            return False  # unknown here, in the database, or another project's: row by row
        state.receipt_keys.update(keys)
        suppliers = state.suppliers
        for supplier, name in zip(columns[at["supplier_id"]], columns[at["supplier_name"]], strict=True):
            if not suppliers.get(supplier):
                suppliers[supplier] = name
        return True

    def check(self, row: Row) -> list[Problem]:
        state, at = self.state, self.at
        problems: list[Problem] = []
        receipt_id, line_id, pronac = row[at["receipt_id"]], row[at["line_id"]], row[at["pronac"]]
        if (receipt_id, line_id) in state.receipt_keys:
            problems.append((self.labels["receipt_id"], f"duplicate receipt {receipt_id} for line {line_id}"))
        owner = state.lines.get(line_id) or state.db_lines.get(line_id)
        if owner is None and line_id in state.db_lines_gone:
            gone = state.db_lines_gone[line_id]
            reason = (
                f"line {line_id} of pronac {gone} is not in the budget-line file, which replaces that project's lines"
            )
            problems.append((self.labels["line_id"], reason))
        elif owner is None:
            problems.append(
                (self.labels["line_id"], f"unknown line_id {line_id} (not in budget_lines.csv nor the database)")
            )
        elif owner != pronac:
            problems.append((self.labels["line_id"], f"line {line_id} belongs to pronac {owner}, not {pronac}"))
        return problems

    def accept(self, row: Row, line: int) -> Row:
        state, at = self.state, self.at
        state.receipt_keys.add((row[at["receipt_id"]], row[at["line_id"]]))
        supplier = row[at["supplier_id"]]
        if not state.suppliers.get(supplier):
            state.suppliers[supplier] = row[at["supplier_name"]]
        return row


class FundraisingRules(Rules):
    """Each row gets its key (`row_key`): `id:` + the row's own id when the file gives one (SALIC's
    Idcaptacao, our source_id), so a corrected amount replaces the stored one; else a hash of its
    content (pronac, sponsor, date, amount) and occurrence number — a corrected row is then a new
    row, and the old one goes because the file no longer has it."""

    def check(self, row: Row) -> list[Problem]:
        problems: list[Problem] = []
        pronac = row[self.at["pronac"]]
        if not self.state.known_pronac(pronac):
            problems.append((self.labels["pronac"], f"unknown pronac {pronac} (not in projects.csv nor the database)"))
        source = row[self.at["row_key"]]
        if source and source in self.state.fundraising_ids:
            first = self.state.fundraising_ids[source]
            problems.append((self.labels["row_key"], f"duplicate id {source} (first at line {first})"))
        return problems

    def accept(self, row: Row, line: int) -> Row:
        at = self.at
        source = row[at["row_key"]]
        if source:
            self.state.fundraising_ids[source] = line
            return (f"id:{source}", *row[1:])
        # Identical rows are legitimate (two equal deposits on one day); their occurrence number
        # keeps them apart while a re-import of the same file maps onto the same keys.
        base = f"{row[at['pronac']]}|{row[at['sponsor_id']]}|{row[at['received_at']]}|{row[at['amount']]!r}"
        occurrence = self.state.fundraising_seen.get(base, 0)
        self.state.fundraising_seen[base] = occurrence + 1
        key = hashlib.sha256(f"{base}|{occurrence}".encode()).hexdigest()
        return (key, *row[1:])


RULES: dict[str, Callable[[FileSpec, HeaderMap, ImportState], Rules]] = {
    "projects": ProjectRules,
    "budget_lines": BudgetLineRules,
    "receipts": ReceiptRules,
    "fundraising": FundraisingRules,
}


def lookup_line_owners(line_ids: Iterable[int]) -> dict[int, str]:
    """line_id → pronac for budget lines already in the database, in batches of 500 ids."""
    from salic_ml.models import BudgetLine

    ids = sorted(line_ids)
    owners: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        owners.update(BudgetLine.objects.filter(line_id__in=batch).values_list("line_id", "project__pronac"))
    return owners
