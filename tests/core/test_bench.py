"""``manage.py bench`` reads wrk's report."""

from core.management.commands.bench import parse_wrk

WRK = """Running 5s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Latency Distribution
     50%    3.21ms
     75%    4.00ms
     90%    6.00ms
     99%    1.20s
  4321 requests in 5.00s, 10.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    864.20
Transfer/sec:      2.00MB
"""


def test_parse_wrk_reads_rate_percentiles_and_errors():
    measured = parse_wrk(WRK)
    assert measured.rps == 864.2
    assert measured.p50_ms == 3.21
    assert measured.p99_ms == 1200.0
    assert measured.errors == 5


def test_parse_wrk_of_a_failed_run_is_zero():
    measured = parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")
    assert measured.rps == 0.0
    assert measured.errors == 0
