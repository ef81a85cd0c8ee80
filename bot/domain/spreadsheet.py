"""CSV files the bot writes, safe to open in a spreadsheet.

A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs
skip before looking) is read by Excel, LibreOffice and Google Sheets as a formula: a group
named `=HYPERLINK("http://evil","x")` would become a link in the coordinator's sheet. Such
text cells get a leading `'`, as OWASP recommends (CSV injection), which spreadsheets show
as text. Numbers the bot itself writes (counts) are left as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """`value` as a cell no spreadsheet runs: text that could start a formula gets a `'`
    in front; anything else (numbers, empty cells) is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    handle: IO[str], fieldnames: Sequence[str], rows: Iterable[Mapping[str, object]]
) -> None:
    """Write a header and `rows` to `handle`, every cell made spreadsheet-safe: the one way
    the bot writes CSV."""
    writer = csv.DictWriter(handle, fieldnames=[str(spreadsheet_safe(f)) for f in fieldnames])
    writer.writeheader()
    safe_names = dict(zip(fieldnames, writer.fieldnames, strict=True))
    writer.writerows(
        {safe_names[key]: spreadsheet_safe(value) for key, value in row.items()} for row in rows
    )
