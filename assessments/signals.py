from django.dispatch import Signal

# Sent after the commit of a workflow step that people are told about (submit, return, verify, reject), with
# assessment_id and status; the notifications app listens (assessments never imports it).
assessment_notified = Signal()
