"""Cost and accuracy of date understanding, next to raw dateparser.

    python bench/bench_dates.py [--cases FILE ...]

Prints the first call's cost (in a fresh process, so imports and locale loading are real),
the steady-state cost per parse, and for each table of cases (default: the test table and
the held-out phrases) how often our parser and raw dateparser give the expected answer, and
how often each gives a confidently wrong date (a date where the answer was another date or
a refusal).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.dates import DateNotUnderstood, understand_datetime

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TABLES = (
    ROOT / "tests" / "data" / "date_cases.tsv",
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
        languages=list(case.languages),
        settings={
            "RELATIVE_BASE": case.now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "TIMEZONE": str(case.zone),
            "RETURN_AS_TIMEZONE_AWARE": True,
        },
    )
    return "error" if result is None else result.isoformat()


def score(parse: object, cases: list[Case]) -> tuple[int, int]:
    right = confidently_wrong = 0
    for case in cases:
        answer = parse(case)  # type: ignore[operator]
        if answer == case.expected:
            right += 1
        elif answer != "error":
            confidently_wrong += 1
    return right, confidently_wrong


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
    for case in all_cases:  # warm
        ours(case)
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
    for path in args.cases:
        cases = load(path)
        our_right, our_wrong = score(ours, cases)
        raw_right, raw_wrong = score(raw, cases)
        print(
            f"{path.name}: {len(cases)} cases; ours {our_right / len(cases):.1%} right, "
            f"{our_wrong} confidently wrong; raw dateparser {raw_right / len(cases):.1%} right, "
            f"{raw_wrong} confidently wrong"
        )


if __name__ == "__main__":
    main()
