"""`python -m mentorbot …`: the same as the `mentorbot` command."""

from mentorbot import main

main()
