from django import template

from anomalies import selectors

register = template.Library()


@register.inclusion_tag("anomalies/_firm_card.html", takes_context=True)
def firm_anomalies(context, enterprise):
    """The firm's open anomalies as a compact card (the officer review page)."""
    request = context["request"]
    rows, total = selectors.firm_anomalies(user=request.user, enterprise=enterprise)
    return {"anomalies": rows, "total": total, "enterprise": enterprise, "next": request.get_full_path()}
