from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.records import RECORD_KINDS, display_value

register = template.Library()


@register.filter
def field_value(record, name: str):
    return display_value(record, name)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def firm_sections(firm, active: str) -> list[dict]:
    """The firm's pages in tab order, once for the tabs of wide screens and the section menu of narrow ones."""
    sections = [("overview", reverse("enterprises:overview", args=[firm.pk]), _("Overview"))]
    sections += [
        (kind.slug, reverse("enterprises:record_list", args=[firm.pk, kind.slug]), kind.title)
        for kind in RECORD_KINDS.values()
    ]
    sections += [
        ("assessments", reverse("assessments:list", args=[firm.pk]), _("Assessments")),
        ("maturity", reverse("assessments:maturity", args=[firm.pk]), _("Maturity report")),
        ("members", reverse("enterprises:members", args=[firm.pk]), _("Members")),
        ("edit", reverse("enterprises:edit", args=[firm.pk]), _("Profile")),
    ]
    return [{"url": url, "label": label, "active": slug == active} for slug, url, label in sections]
