"""Finding the input files and reading them as streams of CSV rows.

Encoding and delimiter are detected per file: one binary pass checks that the bytes are UTF-8
(falling back to Latin-1, which decodes anything) and notes NUL bytes and the sha256; the rows
are then read with the csv module over a text stream, so memory does not grow with the file.
A `.csv.gz` file is read the same way through gzip (sha256 and size are the compressed file's).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .columns import GZIP_SUFFIX, MAX_FIELD_CHARS, PARQUET_SUFFIX, SPEC_BY_FILE_NAME, FileSpec
from .errors import RowError

_CHUNK = 1 << 20

# The csv module's limit is process-wide; ours (columns.MAX_FIELD_CHARS) is checked per field
# with a proper message, so the module only has to stop truly absurd input.
csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))


@dataclass
class InputFile:
    path: Path
    spec: FileSpec
    encoding: str = ""
    delimiter: str = ","
    size: int = 0
    sha256: str = ""
    has_nul: bool = False
    # A file that mixes valid UTF-8 text with bytes that are not UTF-8 (one line saved as Latin-1):
    # the line of the first such byte. Read as Latin-1 it would store its UTF-8 rows as mojibake.
    mixed_encoding_line: int | None = None
    rows: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def gzipped(self) -> bool:
        return self.path.name.lower().endswith(GZIP_SUFFIX)

    def open_binary(self) -> io.BufferedIOBase:
        """The file's (decompressed) bytes."""
        return gzip.open(self.path, "rb") if self.gzipped else self.path.open("rb")

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.spec.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "bytes": self.size,
            "sha256": self.sha256,
        }


def spec_of(path: Path) -> FileSpec | None:
    """The file kind a name stands for: ours or SALIC's (`planilha_*.csv`), optionally `.gz`."""
    name = path.name.lower()
    if name.endswith(GZIP_SUFFIX):
        name = name[: -len(GZIP_SUFFIX)]
    return SPEC_BY_FILE_NAME.get(name)


def _parquet_twin(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(PARQUET_SUFFIX) and name[: -len(PARQUET_SUFFIX)] + ".csv" in SPEC_BY_FILE_NAME


def _parquet_kind(path: Path) -> str:
    return SPEC_BY_FILE_NAME[path.name.lower()[: -len(PARQUET_SUFFIX)] + ".csv"].kind


# pyarrow is not among our dependencies; a Parquet extract is named, not silently skipped.
_NO_PARQUET = "Parquet is not supported (pyarrow is not installed): export the query as CSV or .csv.gz"


def find_inputs(paths: list[Path]) -> tuple[list[InputFile], list[RowError]]:
    """Resolve files and directories to recognised input files, in import order.

    A directory contributes the recognised files inside it (others, like planted.csv, are left
    alone); a file named explicitly must be one of the known names (ours or SALIC's, `.csv` or
    `.csv.gz`).
    """
    found: dict[str, InputFile] = {}
    errors: list[RowError] = []
    known = ", ".join(SPEC_BY_FILE_NAME)
    for path in paths:
        if path.is_dir():
            entries = sorted(path.iterdir())
            candidates = [p for p in entries if spec_of(p) is not None]
            kinds = {spec_of(p).kind for p in candidates}
            # A Parquet extract beside its CSV is left alone; alone, it is named rather than skipped.
            parquet = [p for p in entries if _parquet_twin(p) and _parquet_kind(p) not in kinds]
            errors += [RowError(p.name, 0, "", _NO_PARQUET) for p in parquet]
            if not candidates and not parquet:
                errors.append(RowError(str(path), 0, "", f"directory has none of {known}"))
        elif path.is_file():
            if _parquet_twin(path):
                errors.append(RowError(path.name, 0, "", _NO_PARQUET))
                continue
            if spec_of(path) is None:
                errors.append(RowError(path.name, 0, "", f"unrecognised file name (expected one of {known})"))
                continue
            candidates = [path]
        else:
            errors.append(RowError(str(path), 0, "", "no such file or directory"))
            continue
        for candidate in candidates:
            spec = spec_of(candidate)
            if spec.kind in found:
                errors.append(RowError(candidate.name, 0, "", f"given twice ({found[spec.kind].path} and {candidate})"))
                continue
            found[spec.kind] = InputFile(path=candidate, spec=spec)
    order = [spec.kind for spec in SPEC_BY_FILE_NAME.values()]
    return sorted(found.values(), key=lambda f: order.index(f.spec.kind)), errors


def inspect_bytes(item: InputFile) -> None:
    """One binary pass: size, sha256, NUL bytes and whether the bytes are valid UTF-8.

    A gzipped file takes two passes: the stored bytes for size and sha256, the decompressed ones
    for the rest. A broken gzip stream raises OSError (or EOFError when it is cut short).
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    size = 0
    has_nul = False
    lines_before = 0  # newlines in the chunks already read
    first_bad_line: int | None = None
    saw_utf8_text = False  # a multi-byte UTF-8 sequence (an accented letter written as UTF-8)
    if item.gzipped:
        with item.path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                digest.update(chunk)
    with item.open_binary() as fh:
        head = b""
        while chunk := fh.read(_CHUNK):
            if not head:
                head = chunk[:3]
            if not item.gzipped:
                size += len(chunk)
                digest.update(chunk)
            has_nul = has_nul or b"\x00" in chunk
            saw_utf8_text = saw_utf8_text or _UTF8_MULTIBYTE.search(chunk) is not None
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    utf8 = False
                    first_bad_line = lines_before + chunk[: max(exc.start, 0)].count(b"\n") + 1
            lines_before += chunk.count(b"\n")
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    item.size = size
    item.sha256 = digest.hexdigest()
    item.has_nul = has_nul
    if not utf8:
        item.encoding = "latin-1"
        # Latin-1 Portuguese text almost never forms a valid UTF-8 multi-byte sequence ("Ã§"), so
        # seeing both means two encodings in one file: refused rather than guessed.
        item.mixed_encoding_line = (first_bad_line or lines_before) if saw_utf8_text else None
    else:
        item.encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"


# A lead byte followed by its continuation bytes: how UTF-8 writes "ç", "ã", "é", "—".
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def detect_delimiter(header_line: str) -> str:
    """`;` when the header has more semicolons than commas (and tabs), else `,`."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


@dataclass
class Chunk:
    lines: list[int]  # physical line number of each row (where the row ends)
    rows: list[list[str]]
    long_lines: bool  # a physical line longer than MAX_FIELD_CHARS was read: check field sizes


class RowReader:
    """Reads a file's data rows in chunks; `bytes_read` feeds the progress bar."""

    def __init__(self, item: InputFile) -> None:
        self.item = item
        self._raw = item.path.open("rb")
        self._binary = gzip.GzipFile(fileobj=self._raw, mode="rb") if item.gzipped else self._raw
        self._text = io.TextIOWrapper(self._binary, encoding=item.encoding, newline="")
        first = self._text.readline()
        item.delimiter = detect_delimiter(first)
        # Re-read the header through csv so a quoted header behaves like any other row.
        self._text.seek(0)
        self._long_lines = False
        self._reader = csv.reader(self._physical_lines(), delimiter=item.delimiter, quotechar='"', strict=False)
        try:
            self.header: list[str] | None = next(self._reader)
        except StopIteration:
            self.header = None
        except csv.Error as exc:
            self.close()
            raise ValueError(f"unreadable header: {exc}") from None

    @property
    def bytes_read(self) -> int:
        return self._raw.tell()  # of the stored file, like `InputFile.size`

    def _physical_lines(self) -> Iterator[str]:
        # Checking a line's length is much cheaper than checking every field's, and a field can
        # only be too long if its line is.
        for line in self._text:
            if len(line) > MAX_FIELD_CHARS:
                self._long_lines = True
            yield line

    def chunks(self, size: int) -> Iterator[Chunk]:
        reader = self._reader
        while True:
            self._long_lines = False
            lines: list[int] = []
            rows: list[list[str]] = []
            try:
                for row in reader:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue  # blank lines carry no data
                    lines.append(reader.line_num)
                    rows.append(row)
                    if len(rows) == size:
                        break
            except csv.Error as exc:
                raise CsvBroken(reader.line_num + 1, str(exc)) from None
            if not rows:
                return
            yield Chunk(lines=lines, rows=rows, long_lines=self._long_lines)

    def close(self) -> None:
        self._text.close()
        self._raw.close()

    def __enter__(self) -> RowReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CsvBroken(Exception):
    """The csv module could not go on (e.g. a field beyond 16 MB); the file cannot be read further."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}")
