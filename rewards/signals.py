from django.dispatch import Signal

# Sent after the commit of round_open and round_publish, with round_id and status; notifications listens.
round_changed = Signal()
