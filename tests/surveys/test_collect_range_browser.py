"""The range slider in a real Chromium: keyboard use (native), the value shown beside it
following the slider, "No answer" unticked by moving it and taking the answer back when
ticked; what is stored is what the respondent chose; no axe-core violation."""

from __future__ import annotations

from tests.browser.support import (  # noqa: F401 - fixtures used by name
    MARKS,
    assert_no_axe_violation,
    browser,
    context,
)

pytestmark = MARKS


def test_the_slider_answers_only_when_touched(context, live_server):  # noqa: F811
    from playwright.sync_api import expect

    from tests.surveys import collect_support as cs

    questionnaire = cs.widgets()
    invitation, path = cs.invite(questionnaire, language="en")
    page = context.new_page()
    page.goto(live_server.url + path)
    slider = page.locator("#q-q_range")
    output = page.locator("#q-q_range-output")
    none = page.locator("#q-q_range-none")
    expect(slider).to_have_attribute("type", "range")
    expect(output).to_have_text("no answer")
    expect(none).to_be_checked()
    expect(page.locator(".collect-range-nojs")).to_have_count(0)  # JS moves the box itself
    assert_no_axe_violation(page)

    # untouched and saved: nothing stored, not the middle of the scale
    with page.expect_navigation():
        page.click("main .collect-actions button[value=save]")
    invitation.refresh_from_db()
    assert "q_range" not in invitation.draft["data"]
    expect(output).to_have_text("no answer")

    slider.focus()
    start = int(slider.input_value())
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(output).to_have_text(str(start + 2))
    expect(none).not_to_be_checked()
    none.check()
    expect(output).to_have_text("no answer")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    expect(output).to_have_text(str(start + 1))
    expect(none).not_to_be_checked()
    with page.expect_navigation():
        page.click("main .collect-actions button[value=save]")
    expect(page.locator("#q-q_range-output")).to_have_text(str(start + 1))
    invitation.refresh_from_db()
    assert invitation.draft["data"]["q_range"] == start + 1
    expect(page.locator("#q-q_range-none")).not_to_be_checked()
    assert_no_axe_violation(page)
