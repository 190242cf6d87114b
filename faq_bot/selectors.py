"""Reads for the admin's review queue and quality panel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Handoff, Message


def faq_quality_stats(*, days: int = 30) -> dict[str, Any]:
    """Messages per day, and fallback and helpful rates per model version (rates 0–1, None if no data)."""
    since = timezone.now() - timedelta(days=days)
    recent = Message.objects.filter(created_at__gte=since)
    per_day = recent.annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("id")).order_by("day")
    per_version = (
        Message.objects.filter(model_version__isnull=False)
        .values("model_version__version")
        .annotate(
            messages=Count("id"),
            fallbacks=Count("id", filter=Q(fallback=True)),
            rated=Count("feedback"),
            helpful=Count("feedback", filter=Q(feedback__helpful=True)),
        )
        .order_by("model_version__version")
    )
    versions = [
        {
            "version": row["model_version__version"],
            "messages": row["messages"],
            "fallback_rate": round(row["fallbacks"] / row["messages"], 4) if row["messages"] else None,
            "rated": row["rated"],
            "helpful_rate": round(row["helpful"] / row["rated"], 4) if row["rated"] else None,
        }
        for row in per_version
    ]
    return {
        "days": [{"day": row["day"].isoformat(), "messages": row["n"]} for row in per_day],
        "versions": versions,
        "handoffs": faq_handoff_stats(since=since),
    }


def faq_handoff_stats(*, since) -> dict[str, Any]:
    """Requests for a person since `since`: total, per status, per reason and per channel."""
    recent = Handoff.objects.filter(requested_at__gte=since)
    status = dict(recent.values_list("status").annotate(n=Count("id")))
    reasons = dict(recent.values_list("reason").annotate(n=Count("id")))
    channels = dict(recent.values_list("conversation__channel").annotate(n=Count("id")))
    return {
        "total": sum(status.values()),
        "status": [{"label": label, "count": status.get(value, 0)} for value, label in Handoff.Status.choices],
        "reasons": [{"label": label, "count": reasons.get(value, 0)} for value, label in Handoff.Reason.choices],
        "channels": channels,
    }
