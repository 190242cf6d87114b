"""Feedback that teaches: usefulness and agreement reports, suggested weights applied only by staff,
and the golden set of labelled projects the salic gate checks."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client

from model_store.models import TrainingRun
from salic_ml.dashboard.tests import builders
from salic_ml.modelling.feedback import count_band_changes, propose_weights, usefulness_by_version
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.training import salic_train_blocking
from salic_ml.models import EvaluatorFeedback, ProjectScore
from salic_ml.names import MODEL_NAME

pytestmark = pytest.mark.django_db


def _evaluators(n: int) -> list[User]:
    return [User.objects.create_user(f"aval{i}", password="x") for i in range(n)]


@pytest.fixture
def rated():
    """One version, six projects; five evaluators found item prices useful and new suppliers not."""
    version = builders.model_version(1)
    seg, prop = builders.segment("S1"), builders.proponent("1")
    scores = []
    for i, complexity in enumerate((8.0, 7.0, 5.0, 4.0, 1.0, 0.0)):
        outliers = ("item_prices", "new_suppliers") if complexity > 3 else ()
        rows = builders.indicator_rows(outliers=outliers)
        scores.append(builders.score(builders.project(f"90000{i}", seg=seg, prop=prop), version, complexity, rows))
    users = _evaluators(5)
    for user, score, rating in zip(users, scores[:5], (5, 2, 3, 4, 1), strict=True):
        EvaluatorFeedback.objects.create(
            project=score.project,
            model_version=version,
            user=user,
            rating=rating,
            indicator_votes={"item_prices": True, "new_suppliers": False},
        )
    return version, scores


def test_usefulness_is_counted_per_version_and_indicator(rated):
    counts = {(u.version, u.indicator): (u.useful, u.not_useful) for u in usefulness_by_version(MODEL_NAME)}
    assert counts == {(1, "item_prices"): (5, 0), (1, "new_suppliers"): (0, 5)}


def test_the_report_shows_usefulness_and_per_band_agreement(rated, staff_user):
    client = Client()
    client.force_login(staff_user)
    response = client.get("/admin/salic_ml/evaluatorfeedback/relatorio/")
    assert response.status_code == 200
    agreement = {a["band"]: a for a in response.context["agreement"]}
    # Muito complexo (8.0, 7.0) rated 5 and 2: one agrees; Complexo (5.0, 4.0) rated 3 and 4: one; Normal (1.0) rated 1.
    assert (agreement["Muito complexo"]["ratings"], agreement["Muito complexo"]["agreeing"]) == (2, 1)
    assert (agreement["Complexo"]["ratings"], agreement["Complexo"]["agreeing"]) == (2, 1)
    assert (agreement["Normal"]["ratings"], agreement["Normal"]["agreeing"]) == (1, 1)
    html = response.content.decode()
    assert REGISTRY["item_prices"].title in html and "100%" in html
    assert response.context["golden_complex"] == 2 and response.context["golden_simple"] == 2


def test_weights_are_suggested_from_votes_with_the_band_changes_they_would_cause(rated, staff_user):
    version, scores = rated
    current = {name: float(ind.weight) for name, ind in REGISTRY.items()}
    proposal = propose_weights(current, usefulness_by_version(MODEL_NAME))
    assert proposal.weights["item_prices"] == current["item_prices"] * 1.5
    assert proposal.weights["new_suppliers"] == 0.5  # halved (1 × 0.5), never below 0.5
    names = list(REGISTRY)
    valid = np.ones((2, len(names)), dtype=bool)
    outlier = np.zeros((2, len(names)), dtype=bool)
    total = sum(current.values())  # 29 with every indicator valid; the proposal makes it 29.5
    outlier[0, names.index("item_prices")] = True  # 10 × 2 / 29 = 0.7 → 10 × 3 / 29.5 = 1.0: still normal
    unusual = ("item_prices", "shared_receipts_transfer", "items_count")  # 10 × 8 / 29 = 2.8 → 10 × 9 / 29.5 = 3.1
    outlier[1, [names.index(n) for n in unusual]] = True
    assert total == 29
    count_band_changes(proposal, names, valid, outlier, current)
    assert proposal.band_changes == 1 and proposal.moves == {"normal → complexo": 1}

    client = Client()
    client.force_login(staff_user)
    page = client.get("/admin/salic_ml/evaluatorfeedback/sugestao-de-pesos/")
    assert page.status_code == 200 and page.context["proposal"].band_changes is not None
    assert TrainingRun.objects.count() == 0  # showing a suggestion changes nothing
    client.post("/admin/salic_ml/evaluatorfeedback/sugestao-de-pesos/")
    run = TrainingRun.objects.get()
    assert run.status == "queued" and run.params["weights"]["item_prices"] == 3.0


def test_staff_without_the_registry_permission_cannot_apply_a_suggestion(rated):
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename="view_evaluatorfeedback"))
    client = Client()
    client.force_login(clerk)
    assert client.post("/admin/salic_ml/evaluatorfeedback/sugestao-de-pesos/").status_code == 403
    assert not TrainingRun.objects.exists()


def test_the_gate_blocks_a_candidate_that_moves_a_labelled_project_to_the_wrong_side(tmp_path):
    call_command("salic_generate", "--projects", "300", "--seed", "5", "--out", str(tmp_path), stdout=StringIO())
    call_command("salic_import", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    first = salic_train_blocking()
    assert first.status == "succeeded" and first.version.status == "production"
    complex_one = ProjectScore.objects.filter(model_version=first.version, complexity__gt=3).order_by("-complexity")[0]
    simple_one = ProjectScore.objects.filter(model_version=first.version, complexity=0).order_by("project_id")[0]
    evaluators = _evaluators(2)
    for user in evaluators:
        EvaluatorFeedback.objects.create(project=complex_one.project, model_version=first.version, user=user, rating=5)
        EvaluatorFeedback.objects.create(project=simple_one.project, model_version=first.version, user=user, rating=1)
    # A candidate that silences every indicator the labelled project is unusual on.
    silenced = {n: 0.0 for n, row in complex_one.indicators.items() if row["is_outlier"]}
    run = salic_train_blocking(weights=silenced)
    candidate = run.version
    candidate.refresh_from_db()
    assert candidate.status == "rejected"
    golden = [r for r in candidate.gate_reasons if "avaliado como" in r]
    assert len(golden) == 1
    assert f"PRONAC {complex_one.project.pronac}, avaliado como complexo" in golden[0]
    assert "passaria de" in golden[0] and "(Normal)" in golden[0]
    assert candidate.params["weights"] == {**first.version.params["weights"], **silenced}


def test_the_feedback_list_links_to_both_reports(rated, staff_user):
    client = Client()
    client.force_login(staff_user)
    html = client.get("/admin/salic_ml/evaluatorfeedback/").content.decode()
    assert "/admin/salic_ml/evaluatorfeedback/relatorio/" in html
    assert "/admin/salic_ml/evaluatorfeedback/sugestao-de-pesos/" in html
