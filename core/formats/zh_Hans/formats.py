"""Simplified Chinese number format of the site: amounts grouped by thousands with a comma (8,000,000.00 CNY),
as in the zone's financial reports; Django's zh_Hans has no separator, so long amounts were unreadable.
Everything not set here (dates: 2014年6月30日, 2014年6月30日 18:00; input formats) comes from Django's zh_Hans
formats."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
