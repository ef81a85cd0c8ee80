"""`mentorbot sandbox`: the whole bot in a browser, against an embedded stand-in for Slack.

One process holds everything: the fake Slack workspace (`fake.py`, the only module that
knows where the fake lives), the bot's real HTTP endpoint, its real worker on a thread, a
clock the visitor moves (`clock.py`, `schedule.py`), a demo term (`demo.py`), and a small web
server for the page (`web.py`, `static/`). Every action on the page is delivered to the bot
as Slack would deliver it: signed, to `/slack/events`.
"""
