"""make load's verdict, read from Locust's CSV: a request type misses its target when its p95 is
over its limit (pages and forms 300 ms, PDFs 1.5 s) or when any of its requests failed."""

from __future__ import annotations

from pathlib import Path

from bench.load import locust_rows

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def _line(kind: str, name: str, count: int, failures: int, p50: str, p95: str, rate: str) -> str:
    return (
        f"{kind},{name},{count},{failures},{p50},{p50},1,{p95},1000,{rate},0,"
        f"{p50},{p50},{p50},{p50},{p95},{p95},{p95},{p95},{p95},{p95},{p95}"
    )


def test_locust_rows_hold_each_request_type_to_its_target(tmp_path: Path) -> None:
    stats = tmp_path / "load_stats.csv"
    stats.write_text(
        "\n".join(
            [
                HEADER,
                _line("GET", "GP: home page", 500, 0, "20", "45", "1.7"),
                _line("GET", "Secretary: day view", 40, 0, "90", "320", "0.1"),
                _line("POST", "GP: submit a referral", 30, 1, "30", "60", "0.1"),
                _line("GET", "PDF: indication report", 12, 0, "400", "1400", "0.04"),
                _line("", "Aggregated", 582, 1, "22", "300", "1.94"),
            ]
        ),
        encoding="utf-8",
    )
    rows, throughput, total = locust_rows(stats)
    verdict = {row.figure.split(" (")[0]: row.met for row in rows}
    assert verdict == {
        "GET GP: home page": True,
        "GET Secretary: day view": False,  # p95 320 ms > 300 ms
        "POST GP: submit a referral": False,  # one failure
        "GET PDF: indication report": True,  # a PDF has 1.5 s
    }
    assert (throughput, total) == (1.94, 582)
