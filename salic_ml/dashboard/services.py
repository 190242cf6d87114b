"""Writes made from the dashboards."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from model_store.models import ModelVersion
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.models import EvaluatorFeedback, Project


@transaction.atomic
def evaluator_feedback_save(
    *,
    project: Project,
    model_version: ModelVersion,
    user: Any,
    rating: int,
    indicator_votes: dict[str, bool],
    comment: str = "",
) -> tuple[EvaluatorFeedback, bool]:
    """Record (or replace) this evaluator's verdict on the project under this model version.

    Returns the feedback and whether it was created. Votes for names outside the indicator
    registry are dropped; an indicator left unanswered is simply absent.
    """
    if not 1 <= int(rating) <= 5:
        raise ValueError("rating must be between 1 and 5")
    now = timezone.now()
    votes = {name: bool(vote) for name, vote in indicator_votes.items() if name in REGISTRY}
    return EvaluatorFeedback.objects.update_or_create(
        project=project,
        model_version=model_version,
        user=user,
        defaults={"rating": int(rating), "indicator_votes": votes, "comment": comment.strip(), "updated_at": now},
        create_defaults={
            "rating": int(rating),
            "indicator_votes": votes,
            "comment": comment.strip(),
            "created_at": now,
            "updated_at": now,
        },
    )
