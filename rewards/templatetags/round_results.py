"""The published result of a round on an assessment's page: rewards adds it, assessments never imports rewards."""

from django import template

from rewards.selectors import round_result_for

register = template.Library()


@register.inclusion_tag("rewards/_round_result.html")
def round_result(assessment) -> dict:
    return {"result": round_result_for(assessment)}
