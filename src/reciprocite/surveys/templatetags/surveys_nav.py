"""Template tags of the surveys app: the Surveys link of the main menu and the surveys'
own menu (questionnaires, campaigns, reviews, form previews), for those who run surveys."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Questionnaire
from ..permissions import can_review
from ..permissions import can_run_surveys as _can_run_surveys

register = template.Library()


@register.simple_tag
def can_run_surveys(user) -> bool:
    """True for analysts and administrators (surveys.permissions.can_run_surveys)."""
    return bool(user and user.is_authenticated and _can_run_surveys(user))


@register.inclusion_tag("surveys/_menu.html", takes_context=True)
def surveys_menu(context):
    """The surveys' menu: nothing for whoever may not run surveys."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and _can_run_surveys(user)):
        return {"items": []}
    match = getattr(request, "resolver_match", None)
    here = match.url_name if match and match.app_name == "surveys" else ""
    items = [
        (
            _("Questionnaires"),
            reverse("surveys:questionnaire_list"),
            here.startswith("questionnaire"),
        ),
        (_("Campaigns"), reverse("surveys:campaign_list"), here.startswith("campaign")),
    ]
    if can_review(user):
        items.append((_("Reviews"), reverse("surveys:review_list"), here.startswith("review")))
    form_id = (match.kwargs.get("form_id") if match else None) or ""
    for questionnaire in Questionnaire.objects.order_by("form_id").only("form_id", "title"):
        items.append(
            (
                _("Preview: %(title)s") % {"title": questionnaire.title},
                reverse("surveys:collect_preview", args=[questionnaire.form_id]),
                here == "collect_preview" and form_id == questionnaire.form_id,
            )
        )
    return {"items": items}
