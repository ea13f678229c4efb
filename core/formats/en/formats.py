"""English date formats of the site: year-month-day (2014-06-30, 2014-06-30 18:00), as in the zone's files and
the date inputs. Django's English "06/30/2014 6 p.m." reads as day/month to most of the park's English readers.
Everything not set here (numbers, long formats, input formats) comes from Django's en formats."""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
