"""Action, callback and block IDs shared by the Block Kit builders and the listeners."""

START_POLL = "start_poll"
JOIN_GROUP = "join_group"
DECLINE_GROUP = "decline_group"
POLL_MODAL = "poll_modal"
POLL_VOTE_PREFIX = "poll_vote_"
POLL_CLOSE = "poll_close"
POLL_CANCEL = "poll_cancel"
