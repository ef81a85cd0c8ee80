"""Action, callback and block IDs shared by the Block Kit builders and the listeners."""

START_POLL = "start_poll"
JOIN_GROUP = "join_group"
DECLINE_GROUP = "decline_group"
APPROVE_JOIN = "approve_join"
REFUSE_JOIN = "refuse_join"
POLL_MODAL = "poll_modal"
POLL_VOTE_PREFIX = "poll_vote_"
POLL_NONE_WORKS = "poll_none_works"
POLL_PICK = "poll_pick"
POLL_CLOSE = "poll_close"
POLL_CANCEL = "poll_cancel"
# The mentor's "Add a date" and "Move the deadline" on a running poll, their small forms,
# and the forms' one input block.
POLL_ADD_DATE = "poll_add_date"
POLL_MOVE_DEADLINE = "poll_move_deadline"
POLL_ADD_DATE_MODAL = "poll_add_date_modal"
POLL_DEADLINE_MODAL = "poll_deadline_modal"
POLL_CHANGE_WHEN = "poll_change_when"
LOG_MODAL = "log_modal"
ATTENDANCE_MODAL = "attendance_modal"
MEETING_DELETE = "meeting_delete"
DID_MEET = "did_meet"
DID_NOT_MEET = "did_not_meet"
FIX_ATTENDANCE = "fix_attendance"

# Input blocks of the poll form: the builder lays them out, the listener reads them, and the
# services' FieldErrors name them.
OPTIONS_TEXT = "options_text"
LENGTH = "length"
DEADLINE = "deadline"
WHERE = "where"
PICKED_PREFIX = "picked_"


def picked_block(number: int) -> str:
    """The block of the form's `number`th date picker (from 1)."""
    return f"{PICKED_PREFIX}{number}"


# Input blocks of the meeting forms (log, and who came): the builders lay them out, the
# listeners read them, and the meeting services' FieldErrors name them.
WHEN = "when"
ATTENDEES = "attendees"
THEME = "theme"
NOTE = "note"

# The "Remind me later" button on reminders to one person (bot/blocks/snooze.py).
REMIND_LATER = "remind_later"

# The buttons of a group needing attention (the digest and a coordinator's App Home), and
# of a mentor's and a mentee's App Home.
DM_MENTOR_PREFIX = "dm_mentor_"
PAUSE_WEEK = "pause_week"
LOG_MEETING = "log_meeting"
SNOOZE_WEEK = "snooze_week"

# The mentor's nudge DM: "We planned it offline" (the meeting is arranged outside the bot).
PLANNED_OFFLINE = "planned_offline"

# The theme select in the answer to "Yes, we met" (values "MEETING_ID:THEME_ID").
MEETING_THEME = "meeting_theme"

# "More ideas" on the day-before reminder: two more themes, shown to the clicker alone.
MORE_IDEAS = "more_ideas"

# The language picker in App Home: a person's own language for what only they see (value: a
# language code, or CHOOSE_TERM_LANGUAGE for the term's).
CHOOSE_LANGUAGE = "choose_language"
CHOOSE_TERM_LANGUAGE = "term"

# Signing up for the programme (issue 17): the "Join the programme" button (App Home), the
# role choice and the sign-up form, the Change / Withdraw buttons under a sign-up, and the
# form's input blocks (the builder lays them out, the listener reads them, FieldErrors name
# them).
SIGNUP_JOIN = "signup_join"
SIGNUP_ROLE_MODAL = "signup_role_modal"
SIGNUP_MODAL = "signup_modal"
SIGNUP_CHANGE = "signup_change"
SIGNUP_WITHDRAW = "signup_withdraw"
SIGNUP_ROLE = "signup_role"
SIGNUP_PROGRAMME = "signup_programme"
SIGNUP_YEAR = "signup_year"
SIGNUP_LANGUAGES = "signup_languages"
SIGNUP_OTHER_LANGUAGES = "signup_other_languages"
SIGNUP_THEMES = "signup_themes"
SIGNUP_TIMES_PREFIX = "signup_times_"
SIGNUP_PREFERRED_MENTOR = "signup_preferred_mentor"
SIGNUP_FRIEND = "signup_friend"
SIGNUP_NOTE = "signup_note"
SIGNUP_CAPACITY = "signup_capacity"


def signup_times_block(part_of_day: str) -> str:
    """The sign-up form's checkboxes for one part of the day ("morning"): one element per
    part keeps each under Slack's ten options (seven weekdays)."""
    return f"{SIGNUP_TIMES_PREFIX}{part_of_day}"


# `/mentor term close`: the coordinator's confirmation and "Not now" (value: the term's ID).
TERM_CLOSE_CONFIRM = "term_close_confirm"
TERM_CLOSE_CANCEL = "term_close_cancel"

# The belonging pulse's DM (issue 18): a statement's scale (one block per statement, one
# button per point: action "pulse_score_N", value "ROUND:STATEMENT:SCORE"), "Skip this
# time" and "Stop these check-ins" (value: the round).
PULSE_SCORE_PREFIX = "pulse_score_"
PULSE_SKIP = "pulse_skip"
PULSE_STOP = "pulse_stop"


def pulse_statement_block(statement: int) -> str:
    return f"pulse_statement_{statement}"


# `/mentor match` (issue 17): the review modal (private_metadata: the proposal's ID and the
# page), its buttons (value: the proposal's ID, or "PROPOSAL:POSITION" for a group's lock),
# the move form pushed over it, and the coordinators' DM about a late sign-up (value: the
# late proposal's ID).
REVIEW_MODAL = "review_modal"
REVIEW_MOVE_MODAL = "review_move_modal"
REVIEW_MOVE = "review_move"
REVIEW_LOCK = "review_lock"
REVIEW_UNLOCK = "review_unlock"
REVIEW_RERUN = "review_rerun"
REVIEW_APPROVE = "review_approve"
REVIEW_PAGE = "review_page"
REVIEW_PAGE_BACK = "review_page_back"
REVIEW_MOVE_PERSON = "review_move_person"
REVIEW_MOVE_TARGET = "review_move_target"
LATE_ADD = "late_add"
LATE_NOT_NOW = "late_not_now"


def review_group_block(position: int) -> str:
    """A proposed group's section in the review modal (it holds the group's lock button)."""
    return f"review_group_{position}"
