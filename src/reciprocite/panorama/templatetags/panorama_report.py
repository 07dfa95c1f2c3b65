"""``{% panorama_report_block %}``: the report's block on the panorama page (the form that
starts the PDF for signed-in users, a sign-in link for anonymous visitors)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("panorama/report/_button.html", takes_context=True)
def panorama_report_block(context):
    from ..report_views import report_form_context

    request = context["request"]
    options = context.get("options") or {}
    campaign = options.get("campaign") if isinstance(options, dict) else None
    if campaign is not None and not hasattr(campaign, "pk"):
        campaign = None
    return {
        "user": request.user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "report": report_form_context(request, campaign=campaign),
    }
