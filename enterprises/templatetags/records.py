from django import template

from enterprises.records import display_value

register = template.Library()


@register.filter
def field_value(record, name: str):
    return display_value(record, name)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
