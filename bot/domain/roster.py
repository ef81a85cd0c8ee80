"""Reading roster and group CSV files into checked rows, with a message per bad row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.csvtext import column_separator
from bot.domain.limits import (
    MAX_EMAIL,
    MAX_GROUP_NAME,
    MAX_LANGUAGE,
    MAX_MENTOR_CAPACITY,
    MAX_OTHER_LANGUAGE,
    MAX_PERSON_NAME,
    MAX_PROGRAMME,
    MAX_SIGNUP_NOTE,
    MAX_THEME_NAME,
    MAX_YEAR,
)
from bot.domain.signup import (
    MAX_LANGUAGES_TEXT,
    MAX_THEMES_TEXT,
    SLOTS,
    is_slack_user_id,
    language_code,
    languages_text,
    slots_text,
    themes_text,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YES = {"yes", "y", "true", "1", "ja", "j", "x"}
_NO = {"no", "n", "false", "0", "nej", ""}


class ParticipantRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str
    role: ParticipantRole
    programme: str | None = None
    year: str | None = None
    language: str | None = None
    certified: bool | None = None
    wishes: Mapping[str, object] = field(default_factory=dict)
    """The sign-up columns the file has (languages, themes, availability, note, capacity),
    in their stored form: a column the file lacks is not here, so importing an older file
    keeps what people said in the sign-up form."""
    people: Mapping[str, str] = field(default_factory=dict)
    """preferred_mentor / friend → the email or Slack ID the file gives (looked up in Slack
    on import); an empty cell is "" (the wish is cleared)."""


@dataclass(frozen=True)
class GroupRow:
    line: int
    mentor_email: str
    mentee_emails: tuple[str, ...]
    name: str | None


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (no header, missing columns)."""


def _read(text: str, required: dict[str, tuple[str, ...]]) -> list[tuple[int, dict[str, str]]]:
    """Rows keyed by canonical column name; `required` maps each name to the other headers
    accepted for it, and a name starting with "?" is an optional column."""
    text = text.lstrip("\ufeff")
    # Spreadsheets in many regions separate columns with ";" (see bot/domain/csvtext.py).
    reader = csv.DictReader(
        io.StringIO(text), delimiter=column_separator(text), skipinitialspace=True
    )
    if not reader.fieldnames:
        raise CsvFormatError("the file is empty: the first line must name the columns")
    headers = {(h or "").strip().lower().replace(" ", "_"): h for h in reader.fieldnames}
    mapping: dict[str, str] = {}
    for canonical, aliases in required.items():
        for alias in (canonical.lstrip("?"), *aliases):
            if alias in headers:
                mapping[canonical] = headers[alias]
                break
    missing = [name for name in required if name not in mapping and not name.startswith("?")]
    if missing:
        raise CsvFormatError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"the first line has: {', '.join(h for h in reader.fieldnames if h)}"
        )
    rows = []
    for record in reader:
        if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
            continue
        values = {
            canonical.lstrip("?"): (record.get(header) or "").strip()
            for canonical, header in mapping.items()
        }
        rows.append((reader.line_num, values))
    return rows


def parse_roster(text: str) -> tuple[list[RosterRow], list[RowProblem]]:
    columns = {
        "name": ("full_name",),
        "email": ("e-mail", "mail"),
        "role": (),
        "?programme": ("program", "programme"),
        "?year": (),
        "?language": ("lang",),
        "?certified": (),
        # What matching weighs (issue 17), for schemes that collect sign-ups elsewhere.
        "?languages": ("spoken_languages",),
        "?themes": (),
        "?availability": ("times",),
        "?preferred_mentor": ("mentor_wish",),
        "?friend": (),
        "?note": (),
        "?capacity": (),
    }
    rows: list[RosterRow] = []
    problems: list[RowProblem] = []
    for line, values in _read(text, columns):
        problem = _roster_problem(values) or _wishes_problem(values)
        if problem:
            problems.append(RowProblem(line, problem))
            continue
        rows.append(
            RosterRow(
                line=line,
                name=values["name"],
                email=values["email"].lower(),
                role=ParticipantRole(values["role"].lower()),
                programme=values.get("programme") or None,
                year=values.get("year") or None,
                language=(values.get("language") or "").lower() or None,
                certified=_yes_no(values.get("certified", "")),
                wishes=_wishes(values),
                people={
                    column: values[column].strip()
                    for column in ("preferred_mentor", "friend")
                    if column in values
                },
            )
        )
    return rows, problems


def _split(text: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(f"[{separators}]+", text) if part.strip()]


def _wishes_problem(values: dict[str, str]) -> str | None:
    """What is wrong with the sign-up columns of a row, if anything."""
    for name in _split(values.get("languages", ""), ",;/"):
        if len(name) > MAX_OTHER_LANGUAGE:
            return f"languages: “{name[:40]}” is not a language"
    if len(",".join(_languages(values.get("languages", "")))) > MAX_LANGUAGES_TEXT:
        return "languages: too many to store"
    themes = _split(values.get("themes", ""), ";|\n")
    if any(len(theme) > MAX_THEME_NAME for theme in themes):
        return f"themes: a theme's name is at most {MAX_THEME_NAME} characters"
    if len("\n".join(themes)) > MAX_THEMES_TEXT:
        return "themes: too many to store"
    slots = _split(values.get("availability", "").lower(), ",; ")
    unknown = [slot for slot in slots if slot not in SLOTS]
    if unknown:
        return (
            f"availability “{unknown[0][:40]}” should be a weekday and a part of the day, "
            "like mon-morning, thu-evening"
        )
    for column in ("preferred_mentor", "friend"):
        person = values.get(column, "").strip()
        if person and not (_EMAIL.match(person) or is_slack_user_id(person)):
            return f"{column} “{person[:60]}” should be an email address or a Slack user ID"
    if len(values.get("note", "")) > MAX_SIGNUP_NOTE:
        return f"note is at most {MAX_SIGNUP_NOTE:,} characters"
    capacity = values.get("capacity", "").strip()
    if capacity and not (
        capacity.isascii() and capacity.isdigit() and 1 <= int(capacity) <= MAX_MENTOR_CAPACITY
    ):
        return (
            f"capacity “{capacity[:20]}” should be a number of groups "
            f"from 1 to {MAX_MENTOR_CAPACITY}"
        )
    return None


def _languages(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(language_code(name) for name in _split(text, ",;/")))


def _wishes(values: dict[str, str]) -> dict[str, object]:
    """The sign-up columns present in the file, as Participant stores them."""
    wishes: dict[str, object] = {}
    if "languages" in values:
        wishes["languages"] = languages_text(_languages(values["languages"]))
    if "themes" in values:
        wishes["themes"] = themes_text(dict.fromkeys(_split(values["themes"], ";|\n")))
    if "availability" in values:
        ticked = set(_split(values["availability"].lower(), ",; "))
        wishes["availability"] = slots_text(slot for slot in SLOTS if slot in ticked)
    if "note" in values:
        wishes["note"] = values["note"].strip() or None
    if "capacity" in values:
        wishes["capacity"] = int(values["capacity"].strip() or "1")
    return wishes


_ROSTER_LIMITS = {
    "name": MAX_PERSON_NAME,
    "email": MAX_EMAIL,
    "programme": MAX_PROGRAMME,
    "year": MAX_YEAR,
    "language": MAX_LANGUAGE,
}
_GROUP_LIMITS = {"mentor_email": MAX_EMAIL, "name": MAX_GROUP_NAME}


def _length_problem(values: dict[str, str], limits: dict[str, int]) -> str | None:
    """A field longer than its limit, checked before the row is read any further (and
    before the value is echoed in another problem)."""
    for column, limit in limits.items():
        length = len(values.get(column) or "")
        if length > limit:
            return (
                f"{column} is {length:,} characters, at most {limit:,} fit: "
                "shorten it in the file and run the command again"
            )
    return None


def _roster_problem(values: dict[str, str]) -> str | None:
    too_long = _length_problem(values, _ROSTER_LIMITS)
    if too_long:
        return too_long
    if not values["name"]:
        return "no name"
    if not _EMAIL.match(values["email"]):
        return f"“{values['email']}” is not an email address"
    if values["role"].lower() not in {role.value for role in ParticipantRole}:
        return f"role “{values['role']}” should be mentor or mentee"
    certified = values.get("certified", "").lower()
    if certified not in _YES | _NO:
        return f"certified “{values['certified']}” should be yes or no"
    return None


def _yes_no(text: str) -> bool | None:
    lowered = text.strip().lower()
    if not lowered:
        return None
    return lowered in _YES


def parse_groups(text: str) -> tuple[list[GroupRow], list[RowProblem]]:
    columns = {
        "mentor_email": ("mentor",),
        "mentee_emails": ("mentees", "mentee_email"),
        "?name": ("group", "group_name"),
    }
    rows: list[GroupRow] = []
    problems: list[RowProblem] = []
    for line, values in _read(text, columns):
        too_long = _length_problem(values, _GROUP_LIMITS)
        if too_long:
            problems.append(RowProblem(line, too_long))
            continue
        mentor = values["mentor_email"].lower()
        mentees = tuple(
            dict.fromkeys(e.lower() for e in re.split(r"[;,\s]+", values["mentee_emails"]) if e)
        )
        bad = [email for email in (mentor, *mentees) if not _EMAIL.match(email)]
        long_email = next((email for email in mentees if len(email) > MAX_EMAIL), None)
        if long_email is not None:
            problems.append(
                RowProblem(
                    line,
                    f"a mentee email is {len(long_email):,} characters, at most {MAX_EMAIL} "
                    "fit: correct it in the file and run the command again",
                )
            )
        elif bad:
            problems.append(RowProblem(line, f"not an email address: {', '.join(bad)}"))
        elif not mentees:
            problems.append(RowProblem(line, "no mentee emails"))
        elif mentor in mentees:
            problems.append(RowProblem(line, f"{mentor} is both mentor and mentee"))
        else:
            rows.append(GroupRow(line, mentor, mentees, values.get("name") or None))
    return rows, problems
