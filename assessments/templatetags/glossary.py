"""`{% abbr "TNI" %}` and `{{ text|abbreviations }}`: abbreviations explained and linked to the methodology page."""

from django import template

from assessments import glossary

register = template.Library()


@register.simple_tag
def abbr(short: str):
    return glossary.abbr(short)


@register.filter(is_safe=True)
def abbreviations(text):
    return glossary.abbreviate(text)
