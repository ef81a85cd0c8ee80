"""The .ics file attached to a chosen meeting date, built with icalendar.

The event is written in the term's time zone with a VTIMEZONE definition, so a calendar set
to another zone still shows the right hour.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

PRODUCT_ID = "-//mentorbot//Mentor groups//EN"


def meeting_ics(
    *,
    uid: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    description: str,
    zone: ZoneInfo,
    stamp: datetime,
) -> bytes:
    # Imported on first use (about 5 MB): only the worker, announcing a date, needs it.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", ends_at.astimezone(zone))
    event.add("summary", title)
    event.add("location", location)
    event.add("description", description)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    # icalendar leaves to_ical's return type unannotated; it is the file's bytes.
    ical: bytes = calendar.to_ical()
    return ical
