"""A version's report page draws its risk–coverage and reliability charts in a real browser (CSP on)."""

from __future__ import annotations

import pytest

from faq_bot.training import faq_train_blocking

from .conftest import build_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_version_page_draws_both_charts(browser_page, staff_user):
    build_content()
    version = faq_train_blocking().version
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page.base_url + "/admin/login/")
    page.fill("#id_username", staff_user.username)
    page.fill("#id_password", "pw-staff-123")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/admin/login/" not in url)
    page.goto(page.base_url + f"/admin/model_store/modelversion/{version.pk}/change/")
    page.locator("#chart-risk-coverage.js-plotly-plot svg").first.wait_for()
    page.locator("#chart-reliability.js-plotly-plot svg").first.wait_for()
    assert page.locator("#chart-risk-coverage .scatterlayer .trace").count() == 3
    assert not errors
