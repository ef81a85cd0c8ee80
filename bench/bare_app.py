"""The floor for acknowledgement latency: a Bolt app that only acknowledges, behind the same
HTTP server as mentorbot. Run by bench_ack.py as

    python bench/bare_app.py PORT SECRET API_URL [--process-before-response]

With the flag, Bolt runs each listener on the request's thread and answers when it returns,
as mentorbot does; without it, Bolt's default: the listener on a pool thread, and the
request's thread checking every 10 ms whether it acknowledged."""

from __future__ import annotations

import re
import signal
import sys
from types import FrameType

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import create_engine

from bot.server import HttpServer, make_wsgi_app


def main() -> None:
    port, secret, api_url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    app = App(
        client=WebClient(token="xoxb-fake-bot-token", base_url=api_url),
        signing_secret=secret,
        process_before_response="--process-before-response" in sys.argv[4:],
    )

    @app.command("/mentor")
    def command(ack: Ack) -> None:
        ack()

    @app.action(re.compile(".*"))
    def action(ack: Ack) -> None:
        ack()

    @app.view(re.compile(".*"))
    def view(ack: Ack) -> None:
        ack()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    engine = create_engine("sqlite://")
    # The floor acknowledges only: no replay records (its database has no tables).
    wsgi_app = make_wsgi_app(app, engine, refuse_replays=False)
    HttpServer(wsgi_app, host="127.0.0.1", port=port).serve_forever()


if __name__ == "__main__":
    main()
