"""Everything a person reads in the admin is Portuguese: no English model names or column headers."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin

pytestmark = pytest.mark.django_db

# Words the admin shows when a model or field has no Portuguese name (Django derives them from code).
ENGLISH = {
    "Name", "Status", "Message", "Trigger", "Gate passed", "Created at", "Version", "Kind", "Reason", "Forced",
    "Progress", "Model versions", "Model version", "Promotions", "Training runs", "Training run",
    "Dataset snapshots", "Model artifacts", "Actor label", "From version", "To version", "Row counts",
    "Source", "Fingerprint", "Params", "Metrics", "Duration seconds", "Requested by",
}  # fmt: skip
CHECKED_APPS = ("model_store", "salic_ml", "salic_dashboard")


def visible_labels(html: str) -> set[str]:
    """Column headers, breadcrumbs, headings and app-index links: where model and field names appear."""
    found = set()
    for pattern in (r"<th[^>]*>(.*?)</th>", r"<h[1-3][^>]*>(.*?)</h[1-3]>", r"<caption>(.*?)</caption>",
                    r'<div class="breadcrumbs">(.*?)</div>', r'<th scope="row"><a [^>]*>(.*?)</a>'):  # fmt: skip
        for chunk in re.findall(pattern, html, flags=re.S):
            found.update(t.strip() for t in re.split(r"<[^>]+>|›|&rsaquo;", chunk) if t.strip())
    return found


def test_admin_pages_of_the_registry_and_salic_data_speak_portuguese(client, staff_user):
    client.force_login(staff_user)
    models = [m for m in admin.site._registry if m._meta.app_label in CHECKED_APPS]
    urls = ["/admin/", *sorted({f"/admin/{m._meta.app_label}/" for m in models})]
    urls += [f"/admin/{m._meta.app_label}/{m._meta.model_name}/" for m in models]
    english = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        hits = visible_labels(response.content.decode()) & ENGLISH
        if hits:
            english[url] = sorted(hits)
    assert not english, english
