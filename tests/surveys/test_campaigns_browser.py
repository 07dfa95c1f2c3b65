"""Campaign and review pages in a real Chromium: no axe-core violation, sending as a background
job (batch after batch) whose page leads back to the campaign with sent = total, accepting a
cooperation with the keyboard-free form."""

from __future__ import annotations

from tests.browser.support import (  # noqa: F401 - fixtures used by name
    MARKS,
    _taxonomy,
    assert_no_axe_violation,
    browser,
    page,
    sign_in,
)

pytestmark = MARKS


def test_create_a_campaign_and_send_it_in_batches(
    page,  # noqa: F811 - the fixture imported above
    world,
    members,
    cooperations_form,
    smtp_server,
    monkeypatch,
):
    from playwright.sync_api import expect

    from reciprocite.core.models import Job
    from reciprocite.surveys.models import Campaign
    from reciprocite.surveys.services import campaigns as svc

    monkeypatch.setattr(svc, "SEND_BATCH", 1)
    sign_in(page, "analyst")
    assert page.goto(page.base + "/surveys/campaigns/new/").status == 200
    assert_no_axe_violation(page)
    page.select_option("#id_questionnaire", str(cooperations_form.pk))
    page.fill("#id_title", "Étude 2026")
    for name in ("caen", "nantes", "rennes"):
        page.check(f"#recipient-{members[name].pk}")
    page.select_option(f"#language-{members['nantes'].pk}", "en")
    page.click("main form[method=post] button[type=submit]")
    campaign = Campaign.objects.get()
    page.wait_for_url(page.base + f"/surveys/campaigns/{campaign.pk}/")
    expect(page.locator("#sent-count")).to_have_text("0")
    expect(page.locator("ul.messages li")).to_have_count(1)  # "campaign created"
    assert_no_axe_violation(page)

    page.click(f'form[action="/surveys/campaigns/{campaign.pk}/send/"] button')
    # the job's page: three batches of one, then the summary and the way back
    page.wait_for_url(page.base + "/jobs/**")
    expect(page.locator("[data-job-status]")).to_have_attribute("data-job-status", "done")
    expect(page.locator("#job-status .alert.success")).to_be_visible()
    job = Job.objects.get(kind="surveys.campaign_send")
    assert (job.done, job.total, job.result["sent"], job.result["bounced"]) == (3, 3, 3, 0)
    expect(page.locator("#job-status .alert.success")).to_contain_text(job.result["summary"])
    assert_no_axe_violation(page)
    page.click(f'#job-status a[href="/surveys/campaigns/{campaign.pk}/"]')
    page.wait_for_url(page.base + f"/surveys/campaigns/{campaign.pk}/")
    expect(page.locator("#sent-count")).to_have_text("3")
    expect(page.locator('dd[data-status="invited"]')).to_have_text("3")
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [
        "cooperation@nantes.test",
        "dri@rennes.test",
        "international@caen.test",
    ]
    assert_no_axe_violation(page)
    assert page.goto(page.base + "/surveys/campaigns/").status == 200
    assert_no_axe_violation(page)


def test_review_pages_and_accepting_a_cooperation(page, world, cooperations_form):  # noqa: F811
    from playwright.sync_api import expect

    from reciprocite.surveys.models import CooperationReview
    from tests.surveys.test_reviews_services import HEROUVILLE_ANSWER, submit

    submit(cooperations_form, HEROUVILLE_ANSWER)
    sign_in(page, "analyst")
    assert page.goto(page.base + "/surveys/reviews/").status == 200
    assert_no_axe_violation(page)
    review = CooperationReview.objects.get(repeat_index=1)
    assert page.goto(page.base + f"/surveys/reviews/{review.pk}/").status == 200
    assert_no_axe_violation(page)
    page.fill("#id_budget_annuel_eur", "15000")
    page.click("button[name=action][value=accept]")
    expect(page.locator(f'a[href="/partnerships/{world.herouville_tikhvine.pk}/"]')).to_be_visible()
    review.refresh_from_db()
    assert review.status == "accepted"
    assert str(review.project.budget_amount) == "15000.00"
    assert_no_axe_violation(page)  # with the flash message
