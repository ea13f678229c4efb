"""English date formats of the site: year-month-day (2014-06-30, 2014-06-30 18:00), as in the zone's files and
the date inputs; Django's English "06/30/2014 6 p.m." reads as day/month to most of the park's English readers.
The long formats are the same, so a date printed without a format ({{ record.opened }}, the history page, the
admin) looks like every other date, as in Chinese, where Django's long and short formats already agree.
Everything not set here (numbers, input formats) comes from Django's en formats."""

SHORT_DATE_FORMAT = DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT = "Y-m-d H:i"
