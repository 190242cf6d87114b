"""The evaluator feedback form (the list's filters are plain GET parameters, see presentation.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms

from salic_ml.modelling.indicators import REGISTRY
from salic_ml.models import EvaluatorFeedback

VOTE_CHOICES = [("", "sem opinião"), ("1", "útil"), ("0", "não útil")]
RATING_CHOICES = [
    (1, "1 — muito simples"),
    (2, "2 — simples"),
    (3, "3 — média"),
    (4, "4 — complexa"),
    (5, "5 — muito complexa"),
]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Quão complexa foi de fato a análise deste projeto?",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Escolha uma nota de 1 a 5."},
    )
    comment = forms.CharField(
        label="Comentário (opcional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, indicator_names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator_names = [name for name in indicator_names if name in REGISTRY]
        for name in self.indicator_names:
            self.fields[f"vote_{name}"] = forms.ChoiceField(
                label=REGISTRY[name].title,
                required=False,
                choices=VOTE_CHOICES,
                widget=forms.RadioSelect,
            )

    @classmethod
    def initial_from(cls, feedback: EvaluatorFeedback | None) -> dict[str, Any]:
        if feedback is None:
            return {}
        initial: dict[str, Any] = {"rating": feedback.rating, "comment": feedback.comment}
        for name, vote in (feedback.indicator_votes or {}).items():
            initial[f"vote_{name}"] = "1" if vote else "0"
        return initial

    def vote_fields(self) -> Iterator[forms.BoundField]:
        for name in self.indicator_names:
            yield self[f"vote_{name}"]

    def indicator_votes(self) -> dict[str, bool]:
        votes = {}
        for name in self.indicator_names:
            answer = self.cleaned_data.get(f"vote_{name}")
            if answer in ("0", "1"):
                votes[name] = answer == "1"
        return votes
