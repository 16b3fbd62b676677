"""xAPI export of about 10^6 statements from Python: the one-string export
(``balai.xapi_statements``, then written to a file) against the streaming one
(``balai.write_xapi_statements``, batches of 10,000), and the batches an LRS client posts
(``balai.xapi_batches``, each parsed by ``json.loads`` as a client would).

The ledger is bench_tracking's synthetic program (100 events per registration) at
10,000 registrations: 10^6 events, about 10^6 statements. Each way runs in a fresh
process that builds the same ledger, resets the process's peak resident set
(/proc/self/clear_refs) and then exports, so each peak is the export's alone on top of
the ledger (reported with the process's whole peak).

    .venv/bin/python bench/bench_xapi.py [--registrations 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_tracking

import balai

XAPI = {"base_iri": "https://pelatihan.example.go.id/xapi/2027", "home_page": "https://sso.example"}
WAYS = ("one string", "write_xapi_statements", "xapi_batches + json.loads")


def peak_kib() -> tuple[int, int]:
    """(VmHWM, VmRSS) of this process, KiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmHWM"].split()[0]), int(fields["VmRSS"].split()[0])


def export(way: str, registrations: int) -> dict[str, float]:
    roster = bench_tracking.world(registrations)
    ledger = balai.Ledger(roster)
    bench_tracking.ingest(ledger, bench_tracking.events(registrations))
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    _, before = peak_kib()
    out = Path(tempfile.mkdtemp(prefix="bench-xapi-")) / "statements.json"
    start = time.perf_counter()
    count = 0
    if way == WAYS[0]:
        text = balai.xapi_statements(ledger, **XAPI)
        out.write_text(text, encoding="utf-8")
        count = text.count('"version":"1.0.3"')
    elif way == WAYS[1]:
        balai.write_xapi_statements(ledger, out, **XAPI)
    else:
        for batch in balai.xapi_batches(ledger, **XAPI):
            count += len(json.loads(batch))
    seconds = time.perf_counter() - start
    peak, _ = peak_kib()
    if out.exists():
        count = count or out.read_text(encoding="utf-8").count('"version":"1.0.3"')
        out.unlink()
    out.parent.rmdir()
    return {
        "seconds": seconds,
        "statements": count,
        "export_mib": (peak - before) / 1024,
        "process_mib": peak / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)  # one child's part
    arguments = parser.parse_args()
    if arguments.way:
        print(json.dumps(export(arguments.way, arguments.registrations)))
        return
    print(f"balai {balai.__version__}, {arguments.registrations:,} registrations")
    results = {}
    for way in WAYS:
        command = [sys.executable, __file__, "--registrations", str(arguments.registrations)]
        child = subprocess.run(
            [*command, "--way", way],
            check=True,
            capture_output=True,
            text=True,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        )
        results[way] = json.loads(child.stdout)
    base = results[WAYS[0]]
    print(
        f"{'way':<28} {'statements':>11} {'seconds':>8} {'export peak MiB':>16} "
        f"{'process peak MiB':>17} {'time ratio':>10} {'memory ratio':>12}"
    )
    for way, r in results.items():
        print(
            f"{way:<28} {r['statements']:>11,} {r['seconds']:>8.2f} {r['export_mib']:>16.0f} "
            f"{r['process_mib']:>17.0f} {r['seconds'] / base['seconds']:>10.2f} "
            f"{r['export_mib'] / base['export_mib']:>12.2f}"
        )


if __name__ == "__main__":
    main()
