"""CSV files as spreadsheets save them: the bytes read as text, and the column separator.

Excel saves "CSV" in the computer's regional settings: with `;` between columns where the
decimal mark is a comma (Danish, German, Polish …), with a byte-order mark for "CSV UTF-8",
and otherwise in the Windows code page of the region: cp1252 in Western Europe, cp1250 in
Central Europe (Polish). "Unicode text" is UTF-16 with tabs.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TYPOGRAPHY = set("–—‘’‚“”„…•·°€«»\u00a0´")
"""Non-letters above ASCII that people really type in names and lists."""
SEPARATORS = (",", ";", "\t")


@dataclass(frozen=True)
class DecodedCsv:
    text: str
    encoding: str


def decode_csv(data: bytes) -> DecodedCsv:
    """The text of a CSV file and the encoding it was read as: a byte-order mark decides,
    then UTF-8; otherwise a Windows code page, Central European (cp1250) when Western
    (cp1252) would put symbols where letters belong (Polish ł, ą, ż read as ³, ¹, ¿)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return DecodedCsv(data.decode(encoding).lstrip("\ufeff"), encoding)
    try:
        return DecodedCsv(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("cp1252", "cp1250"):
        try:
            candidates.append(DecodedCsv(data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        return DecodedCsv(data.decode("latin-1"), "latin-1")
    return min(candidates, key=lambda candidate: _misread_letters(candidate.text))


def _misread_letters(text: str) -> int:
    """Characters above ASCII that are neither letters nor typography: in a roster, the
    sign of a code page that does not fit."""
    return sum(
        1
        for character in text
        if ord(character) > 0x7F and not character.isalpha() and character not in _TYPOGRAPHY
    )


def column_separator(text: str) -> str:
    """The separator the header line uses most (`,` when it has none: a single column)."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {separator: header.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","
