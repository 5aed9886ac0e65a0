#!/usr/bin/env python3
"""Word counting."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, text: str) -> "Report":
        self.counts.update(w.lower() for w in text.split())
        return self

    @property
    def top(self) -> list[tuple[str, int]]:
        return self.counts.most_common(3)


async def fetch(n: int) -> int:
    return n * 2


def main(argv: list[str]) -> int:
    report = Report()
    for path in argv[1:]:
        with open(path, encoding="utf-8") as fh:
            report.add(fh.read())
    match report.top:
        case []:
            print("empty", file=sys.stderr)
        case [(word, n), *_]:
            print(f"{word}: {n}")
    return 0 if report.top else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
