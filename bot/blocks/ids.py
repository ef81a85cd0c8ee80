"""Action, callback and block IDs shared by the Block Kit builders and the listeners."""

START_POLL = "start_poll"
JOIN_GROUP = "join_group"
DECLINE_GROUP = "decline_group"
