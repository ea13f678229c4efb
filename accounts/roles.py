"""Role names. Enterprise users are not a group: a user is one through a firm membership."""

OFFICER = "officer"
ADMINISTRATOR = "administrator"
STAFF_GROUPS = (OFFICER, ADMINISTRATOR)
