"""The golden gate's figures: the project's own sample articles, cased and lowercased.

Runs :mod:`warmonitor.evaluate` (the same scoring ``tests/test_evaluate.py`` pins floors on) and prints,
per shape, how many expected events were found, how many had every expected field right, each
field's accuracy, and the "must not find" violations.

Run: .venv/bin/python bench/golden.py
"""

from __future__ import annotations

from _common import emit_json, load_pipeline, print_table, say

from warmonitor.evaluate import FIELDS, score


def main() -> None:
    pipe = load_pipeline()
    figures = {}
    for shape in ("cased", "lowercased"):
        result = score(pipe, lowercase=shape == "lowercased")
        figures[shape] = result.figures()
        say(f"{shape}: {result.detected}/{result.expected} expected events found, {result.complete} with every field "
            f"right; {result.violations}/{result.forbidden} must-not-find rules broken")
    print_table(["figure", "cased", "lowercased"],
                [(name, figures["cased"][name], figures["lowercased"][name])
                 for name in ("detection", "exact", *FIELDS, "violations")])
    emit_json(figures)


if __name__ == "__main__":
    main()
