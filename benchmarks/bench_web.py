"""Load benchmark of the browser workspace: N concurrent clients read a mix of pages for S seconds.

    python benchmarks/bench_web.py                     # 20 clients, 30 s, against 127.0.0.1
    python benchmarks/bench_web.py --clients 5 --seconds 5

It starts `regdoc serve` as its own process on a free port of 127.0.0.1 over the shipped data tree, waits until
it answers, warms each page once (uncounted), then runs the clients (threads with one keep-alive connection each,
keeping the session cookie the server sets, as a browser does)
until the time is up; every request has a 10 s timeout, and the server is stopped at the end whatever happens.
It reports requests per second, the median, p95 and maximum latency over all requests and per page, and the
errors (any status but 200, or a failed connection). Nothing is sent anywhere but 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = [
    "/",
    "/regulation?date=2025-06-01&doc=kk",
    "/regulation?date=2026-02-20&doc=both",
    "/history/4.2?a=0&b=1&doc=both",
    "/compare?from=2026-02-19&to=2026-02-20&doc=kk",
    "/compare?from=2025&to=2026&doc=ru",
    "/resolutions?year=2026",
    "/resolutions/2026-02-20-9-7?doc=both",
    "/evaluations/2025?doc=kk",
    "/evaluations/2025?sort=legal.returned_funds&doc=ru",
    "/organisations/aktobe?year=2025&doc=kk",
    "/documents/2026-02-20-9-7",
    "/spreadsheets",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start within 30 s")


def client(port: int, until: float, offset: int, out: list, errors: list) -> None:
    """One browser: a keep-alive connection, and the cookies the server sets (its session) sent back."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    cookies: dict[str, str] = {}
    i = offset
    while time.monotonic() < until:
        page = PAGES[i % len(PAGES)]
        i += 1
        start = time.perf_counter()
        try:
            headers = {"Accept-Language": "kk"}
            if cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            conn.request("GET", page, headers=headers)
            response = conn.getresponse()
            response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
            elapsed = time.perf_counter() - start
            if response.status != 200:
                errors.append(f"{page}: {response.status}")
            out.append((page, elapsed))
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{page}: {type(exc).__name__}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    if not (1 <= args.clients <= 100 and 1 <= args.seconds <= 120):
        raise SystemExit("bounded: 1-100 clients, 1-120 seconds")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    server = subprocess.Popen([sys.executable, "-m", "regdoc", "serve", "--root", str(REPO), "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(port, server)
        warm: list = []
        warm_errors: list = []
        for k in range(len(PAGES)):  # each page once, uncounted (first load and scoring)
            client(port, time.monotonic() + 0.001, k, warm, warm_errors)
        if warm_errors:
            raise SystemExit(f"warm-up failed: {warm_errors}")
        results: list = []
        errors: list = []
        start = time.monotonic()
        until = start + args.seconds
        threads = [threading.Thread(target=client, args=(port, until, k, results, errors), daemon=True)
                   for k in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 30)
        wall = time.monotonic() - start
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    times = [t for _, t in results]
    print(f"{args.clients} clients, {wall:.1f} s, {len(results)} requests, {len(results) / wall:.1f} requests/s, "
          f"{len(errors)} errors")
    if times:
        print(f"all pages: median {statistics.median(times) * 1000:.1f} ms, p95 {percentile(times, 0.95) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms")
    for page in PAGES:
        own = [t for p, t in results if p == page]
        if own:
            print(f"  {page:<52} n={len(own):<5} median {statistics.median(own) * 1000:7.1f} ms  "
                  f"p95 {percentile(own, 0.95) * 1000:7.1f} ms")
    if errors:
        print("errors:", *sorted(set(errors))[:10], sep="\n  ")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
