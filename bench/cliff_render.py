#!/usr/bin/env python3
"""cliff's side of `cargo bench -p osc-output`: renders the same 10,000 x 10 table with
cliff's formatters (what python-openstackclient prints through) and prints the best of a few
runs per format, in the bench's own line format. Run it with the devcloud venv's python.
"""
import argparse
import io
import sys
import time

from cliff.formatters import commaseparated, json_format, table, value, yaml_format
from cliff import columns as cliff_columns
from osc_lib.cli import format_columns
from osc_lib import utils


class SizeColumn(cliff_columns.FormattableColumn):
    def human_readable(self):
        return utils.format_size(self._value)

    def machine_readable(self):
        return self._value


def dataset(rows):
    columns = [f"Column {i}" for i in range(10)]
    data = []
    for r in range(rows):
        data.append((
            f"{r:08x}-5b7d-4c1e-9a8f-0123456789ab",
            f"server-{r}",
            "ACTIVE" if r % 3 == 0 else "SHUTOFF",
            r,
            r / 7.0,
            r % 2 == 0,
            format_columns.ListColumn(["prod", f"tag{r}"]),
            format_columns.DictColumn({"owner": "alice", "n": r}),
            SizeColumn(r * 1048576),
            None,
        ))
    return columns, data


def timed(label, formatter, columns, data, runs, **overrides):
    parser = argparse.ArgumentParser()
    formatter.add_argument_group(parser)
    args = parser.parse_args([])
    for k, v in overrides.items():
        setattr(args, k, v)
    best = None
    size = 0
    for _ in range(runs):
        out = io.StringIO()
        start = time.perf_counter()
        formatter.emit_list(columns, data, out, args)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        size = len(out.getvalue().encode())
    print(f"{label:<28} {best * 1e3:>8.2f} ms  ({size} bytes)", flush=True)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    columns, data = dataset(10_000)
    timed("table 10000x10", table.TableFormatter(), columns, data, runs)
    timed("csv 10000x10", commaseparated.CSVLister(), columns, data, runs)
    timed("json 10000x10", json_format.JSONFormatter(), columns, data, runs)
    timed("value 10000x10", value.ValueFormatter(), columns, data, runs)
    timed("yaml 10000x10", yaml_format.YAMLFormatter(), columns, data, runs)


if __name__ == "__main__":
    main()
