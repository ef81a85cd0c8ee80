"""The load generator of `bench.bench_ack`, run in its own process so that the clocks timing
the bot are not slowed down by the fake Slack the bot is calling (or by anything else in the
benchmark's own process).

    python -m bench.loadgen SECRET

Reads one job per line on stdin, `{"url": ..., "requests": FILE, "concurrency": N,
"out": FILE}`, and answers each with a line "done". The requests file is a list of
`{"content_type": ..., "body": ...}`, sent in order, `concurrency` at a time. Each is signed
as Slack signs (v0 HMAC-SHA256 over "v0:{timestamp}:{body}") just before it is sent, on a
new connection as Slack's are. The out file gets, per request, when it was sent (Unix time),
how long the answer took (seconds) and the HTTP status (0: no answer).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit


def _sign(secret: bytes, body: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    digest = hmac.new(secret, f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def run(
    url: str, secret: str, requests: list[dict[str, str]], concurrency: int
) -> list[dict[str, float]]:
    target = urlsplit(url)
    host, port, path = target.hostname or "127.0.0.1", target.port or 80, target.path
    results: list[dict[str, float] | None] = [None] * len(requests)
    next_index = iter(range(len(requests)))
    lock = threading.Lock()
    start = threading.Barrier(concurrency)

    def client() -> None:
        start.wait()
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            request = requests[index]
            body = request["body"]
            headers = {"Content-Type": request["content_type"], **_sign(secret.encode(), body)}
            sent = time.time()
            began = time.perf_counter()
            connection = http.client.HTTPConnection(host, port, timeout=30)
            try:
                connection.request("POST", path, body=body.encode(), headers=headers)
                answer = connection.getresponse()
                answer.read()
                status = answer.status
            except OSError:
                status = 0
            finally:
                connection.close()
            results[index] = {
                "sent": sent,
                "elapsed": time.perf_counter() - began,
                "status": status,
            }

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in results if r is not None]


def main() -> None:
    secret = sys.argv[1]
    for line in sys.stdin:
        job = json.loads(line)
        requests = json.loads(Path(job["requests"]).read_text())
        results = run(job["url"], secret, requests, int(job["concurrency"]))
        Path(job["out"]).write_text(json.dumps(results))
        print("done", flush=True)


if __name__ == "__main__":
    main()
