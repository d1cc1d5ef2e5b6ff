"""An export's file: where it lives, how a batch of rows is written to it, its checksum.

A batch is appended where the last committed batch ended: the file is first cut back to
the size its row records, so that bytes written by a worker that died before committing
are written again, once. CSV (RFC 4180, a header line, CRLF line ends, UTF-8) or JSON
lines (one object per record, every value a string, LF line ends).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import orjson

# Format -> the extension its files are stored and served under, and their content type.
FORMATS: Final = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "jsonl": ("jsonl", "application/x-ndjson"),
}
CHUNK: Final = 1024 * 1024


def relative_path(account_id: int, export_hash: str, fmt: str) -> str:
    return str(Path("exports") / str(account_id) / f"{export_hash}.{FORMATS[fmt][0]}")


def encode(fmt: str, header: Sequence[str], rows: Sequence[Sequence[str]], *, first: bool) -> bytes:
    """The bytes of a batch; the CSV header comes with the first."""
    if fmt == "jsonl":
        return b"".join(orjson.dumps(dict(zip(header, row, strict=True))) + b"\n" for row in rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if first:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def append(path: Path, committed: int, data: bytes) -> int:
    """Write `data` after the first `committed` bytes of the file, durably; the new size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o640)
    try:
        os.ftruncate(fd, committed)
        os.lseek(fd, committed, os.SEEK_SET)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    return committed + len(data)


def checksum(path: Path, size: int) -> str:
    """SHA-256 of the file's first `size` bytes (all of it, once completed), in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        left = size
        while left > 0 and (chunk := file.read(min(CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()
