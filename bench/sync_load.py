"""Load test of `quizgen serve`'s sync API (generator/tools/sync.py) on loopback.

50 learners x 2 devices x 200 events each, every device in its own thread at once, sending its
events in batches and pulling what the other device sent; then each log on the server and on both
devices is compared with what was sent: no event lost, none duplicated. Also sends an oversized
and a malformed request and prints their statuses. Prints figures; asserts nothing about speed.

    python bench/sync_load.py [--learners 50] [--events 200] [--batch 50]
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline.build import build  # noqa: E402
from generator.tools.serve import Site, StudyServer  # noqa: E402
from generator.tools.sync import Limits  # noqa: E402

RETRIES: list[int] = []


def post(port: int, path: str, body: bytes, latencies: list[float] | None = None) -> tuple[int, dict]:
    for _ in range(50):
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            raw = response.read()
        except ConnectionError:
            # the listen queue overflowed (the server's backlog), or it closed an oversized request
            # before reading it: a browser retries, and so does this client; counted
            RETRIES.append(1)
            time.sleep(0.05)
            continue
        finally:
            connection.close()
        if latencies is not None:
            latencies.append(time.perf_counter() - start)
        if response.status != 429:
            return response.status, json.loads(raw)
        time.sleep(float(response.getheader("Retry-After", "1")) / 10)  # the bucket refills at the rate limit
    raise RuntimeError("still rate-limited after 50 tries")


def oversized(port: int, path: str, length: int) -> int:
    """The status the server gives a request that says it is `length` bytes long, before its body."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n".encode())
        head = s.recv(4096).decode("latin-1")
    return int(head.split()[1])


def device(port: int, learner: str, name: str, events: int, batch: int, result: dict, latencies: list[float]) -> None:
    mine = [{"d": name, "c": c, "t": 1_700_000_000_000 + c * 1000, "id": f"q{c % 40}", "r": 1 + c % 4}
            for c in range(1, events + 1)]
    got: dict[tuple[str, int], int] = {}
    cursor = 0
    path = f"/api/sync/mini/{learner}"
    for i in range(0, len(mine), batch):
        status, answer = post(port, path, json.dumps({"cursor": cursor, "events": mine[i:i + batch]}).encode(), latencies)
        assert status == 200, answer
        cursor = answer["cursor"]
        for e in answer["events"]:
            got[(e["d"], e["c"])] = got.get((e["d"], e["c"]), 0) + 1
    result[(learner, name)] = (cursor, got)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "tests" / "fixtures", content)
        build(content, Path(tmp) / "decks")
        server = StudyServer(Site(Path(tmp) / "decks"), "127.0.0.1", 0)
        server.sync_store.limits = Limits()  # the defaults, as `quizgen serve` runs
        threading.Thread(target=server.serve_forever, daemon=True).start()
        learners = [f"{n:04d}" + "l" * 18 for n in range(args.learners)]
        result: dict = {}
        latencies: list[float] = []
        threads = [threading.Thread(target=device, args=(server.port, learner, name, args.events, args.batch, result, latencies))
                   for learner in learners for name in ("phone", "laptop")]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        # each device pulls once more: then it holds the union
        lost = duplicated = 0
        for learner in learners:
            for name in ("phone", "laptop"):
                cursor, got = result[(learner, name)]
                status, answer = post(server.port, f"/api/sync/mini/{learner}", json.dumps({"cursor": cursor, "events": []}).encode())
                for e in answer["events"]:
                    got[(e["d"], e["c"])] = got.get((e["d"], e["c"]), 0) + 1
                want = {(d, c) for d in ("phone", "laptop") for c in range(1, args.events + 1)}
                lost += len(want - set(got))
                duplicated += sum(n - 1 for n in got.values() if n > 1)
        counts = server.sync_store.counts()
        on_server = sum(counts.values())
        sent = args.learners * 2 * args.events
        too_big = oversized(server.port, f"/api/sync/mini/{learners[0]}", 600 * 1024)
        bad, bad_answer = post(server.port, f"/api/sync/mini/{learners[0]}", b'{"events": [{"d": "x", "c": 0}]}')
        server.shutdown()
        server.server_close()
        server.sync_store.close()
    latencies.sort()
    print(f"sync API load, loopback: {args.learners} learners x 2 devices x {args.events} events, batches of {args.batch}, all at once")
    print(f"  requests            {len(latencies)} in {wall:.2f} s ({len(latencies) / wall:.0f} requests/s, {sent / wall:.0f} events/s)")
    print(f"  latency             median {statistics.median(latencies) * 1000:.1f} ms, 95th {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")
    print(f"  events sent         {sent}; on the server {on_server} in {len(counts)} logs")
    print(f"  lost                {lost} (events a device lacks after its last pull)")
    print(f"  duplicated          {duplicated} (events a device received twice)")
    print(f"  retried             {len(RETRIES)} connections reset by the server's listen queue")
    print(f"  oversized request   HTTP {too_big}; malformed request HTTP {bad} ({bad_answer['error']})")


if __name__ == "__main__":
    main()
