"""The .ics file attached to a chosen meeting date, built with icalendar.

The event is written in the term's time zone with a VTIMEZONE definition, so a calendar set
to another zone still shows the right hour. A meeting keeps one UID for its life: a change
(moved, another place, cancelled) is the same UID with a higher SEQUENCE, so calendars
replace the event they hold; a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.places import place_url
from bot.i18n import Translator

PRODUCT_ID = "-//mentorbot//Mentor groups//EN"


def meeting_uid(*, poll_id: int | None, meeting_id: int, channel_id: str) -> str:
    """The meeting's UID in every .ics of it: a planned meeting is named by the poll that
    chose it (the first .ics was sent before the meeting row was read back)."""
    if poll_id is not None:
        return f"mentorbot-poll-{poll_id}@{channel_id}"
    return f"mentorbot-meeting-{meeting_id}@{channel_id}"


def meeting_summary(t: Translator, group_name: str) -> str:
    """The event's SUMMARY, in the term's language: what a calendar lists."""
    # TRANSLATORS: the title of the meeting in people's calendars (.ics SUMMARY).
    return t.gettext("Mentor group: {group}").format(group=group_name)


def poll_meeting_description(t: Translator) -> str:
    """The DESCRIPTION of a meeting a date poll chose, in the term's language."""
    # TRANSLATORS: the description of the meeting in people's calendars (.ics DESCRIPTION).
    return t.gettext("Your mentor group's meeting, chosen by the date poll in Slack.")


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
    sequence: int = 0,
    cancelled: bool = False,
    t: Translator,
) -> bytes:
    """`location` is where the group meets (a room, a video link, or the channel); a web
    address is also the event's URL and a line of its description, worded in `t`'s
    language (the term's)."""
    # Imported on first use (about 5 MB): only the worker, announcing a date, needs it.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", ends_at.astimezone(zone))
    event.add("summary", title)
    event.add("location", location)
    link = place_url(location)
    if link is not None:
        event.add("url", link)
        # TRANSLATORS: a line of the calendar event's description, before the video link.
        join = t.gettext("Join: {link}").format(link=link)
        description = f"{description}\n{join}"
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    # icalendar leaves to_ical's return type unannotated; it is the file's bytes.
    ical: bytes = calendar.to_ical()
    return ical
