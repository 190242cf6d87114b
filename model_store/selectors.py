"""Reads shared by the admin, the API and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max

from .models import ModelVersion, Promotion


def model_names_summary() -> list[dict[str, Any]]:
    """One row per model name: latest version, production version, number of versions."""
    rows = ModelVersion.objects.values("name").annotate(latest=Max("version"), versions=Count("id")).order_by("name")
    production = dict(ModelVersion.objects.production().values_list("name", "version"))
    return [
        {
            "name": r["name"],
            "latest_version": r["latest"],
            "production_version": production.get(r["name"]),
            "versions": r["versions"],
        }
        for r in rows
    ]


def model_versions_for(name: str):
    return (
        ModelVersion.objects.for_name(name)
        .select_related("dataset", "compared_to")
        .defer("report")
        .order_by("-version")
    )


def promotion_history(name: str):
    return (
        Promotion.objects.filter(name=name).select_related("from_version", "to_version").order_by("-created_at", "-id")
    )
