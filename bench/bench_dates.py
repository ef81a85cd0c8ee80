"""Cost and accuracy of date understanding, next to raw dateparser.

    python bench/bench_dates.py [--cases FILE ...]

Prints the first call's cost (in a fresh process, so imports and locale loading are real),
the steady-state cost per parse, and for each table of cases (default: the test table and
the held-out phrases) and each language in it, how often our parser and raw dateparser
(given only that language) give the expected answer, how often each gives a confidently
wrong date (a date where the answer was another date or a refusal), and the median cost
of one parse for each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.dates import DateNotUnderstood, understand_datetime

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TABLES = (
    ROOT / "tests" / "data" / "date_cases.tsv",
    ROOT / "tests" / "data" / "date_heldout.tsv",
    ROOT / "bench" / "data" / "date_phrases_heldout.tsv",
)
FIRST_CALL = """
import time
started = time.perf_counter()
from datetime import datetime
from zoneinfo import ZoneInfo
from bot.domain.dates import understand_datetime
zone = ZoneInfo("Europe/Copenhagen")
understand_datetime("i morgen kl. 16", now=datetime(2026, 11, 27, 9, tzinfo=zone), zone=zone,
                    languages=("da", "en"))
print(time.perf_counter() - started)
"""


@dataclass(frozen=True)
class Case:
    text: str
    now: datetime
    zone: ZoneInfo
    languages: tuple[str, ...]
    expected: str


def load(path: Path) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, now, zone_name, languages, expected = line.split("\t")
        zone = ZoneInfo(zone_name)
        cases.append(
            Case(
                text,
                datetime.fromisoformat(now).replace(tzinfo=zone),
                zone,
                tuple(languages.split(",")),
                expected,
            )
        )
    return cases


def ours(case: Case) -> str:
    try:
        return understand_datetime(
            case.text, now=case.now, zone=case.zone, languages=case.languages
        ).isoformat()
    except DateNotUnderstood:
        return "error"


def raw(case: Case) -> str:
    result = dateparser.parse(
        case.text,
        # Only the text's own language: raw dateparser given English as well reads more
        # of these phrases wrongly, not fewer.
        languages=[case.languages[0]],
        settings={
            "RELATIVE_BASE": case.now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "TIMEZONE": str(case.zone),
            "RETURN_AS_TIMEZONE_AWARE": True,
        },
    )
    return "error" if result is None else result.isoformat()


def score(parse: Callable[[Case], str], cases: list[Case]) -> tuple[int, int, float]:
    """Right answers, confidently wrong ones, and the median seconds per parse (each case
    parsed five times in a row, so the figure is the parser's, not the caches' it shares)."""
    right = confidently_wrong = 0
    timings = []
    for case in cases:
        for _ in range(5):
            started = time.perf_counter()
            answer = parse(case)
            timings.append(time.perf_counter() - started)
        if answer == case.expected:
            right += 1
        elif answer != "error":
            confidently_wrong += 1
    return right, confidently_wrong, statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, nargs="*", default=list(DEFAULT_TABLES))
    args = parser.parse_args()

    first = subprocess.run(
        [sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, check=True, cwd=ROOT
    )
    print(
        f"first parse in a fresh process (imports and locale data included): "
        f"{float(first.stdout) * 1000:.0f} ms"
    )

    all_cases = [case for path in args.cases for case in load(path)]
    for case in all_cases:  # warm: every language's tables and dateparser's locales loaded
        ours(case)
        raw(case)
    timings = []
    for case in all_cases * 3:
        started = time.perf_counter()
        ours(case)
        timings.append(time.perf_counter() - started)
    timings.sort()
    median, p95 = statistics.median(timings), timings[int(len(timings) * 0.95)]
    print(
        f"steady state over {len(timings)} parses: median {median * 1000:.2f} ms, "
        f"p95 {p95 * 1000:.2f} ms"
    )
    print(
        "| table | language | cases | ours right | ours confidently wrong | ours per parse "
        "| raw dateparser right | raw confidently wrong | raw per parse |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for path in args.cases:
        by_language: dict[str, list[Case]] = {}
        for case in load(path):
            by_language.setdefault(case.languages[0], []).append(case)
        for language, cases in by_language.items():
            our_right, our_wrong, our_cost = score(ours, cases)
            raw_right, raw_wrong, raw_cost = score(raw, cases)
            print(
                f"| {path.name} | {language} | {len(cases)} | {our_right / len(cases):.1%} "
                f"| {our_wrong} | {our_cost * 1000:.2f} ms | {raw_right / len(cases):.1%} "
                f"| {raw_wrong} | {raw_cost * 1000:.2f} ms |"
            )


if __name__ == "__main__":
    main()
