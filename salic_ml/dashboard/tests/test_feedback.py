"""Evaluator feedback: stored with the user and model version, updated on resubmission, CSRF, admin export."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory

from salic_ml.dashboard.admin import EvaluatorFeedbackAdmin
from salic_ml.dashboard.services import evaluator_feedback_save
from salic_ml.models import EvaluatorFeedback

from . import builders

pytestmark = pytest.mark.django_db

URL = "/salic/projects/123456/"


def test_feedback_is_stored_with_the_user_and_the_model_version(world, evaluator_client, evaluator_user):
    response = evaluator_client.post(
        URL,
        {"rating": "4", "vote_item_prices": "1", "vote_anomaly_score": "0", "vote_items_count": "", "comment": " ok "},
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}#avaliacao"
    feedback = EvaluatorFeedback.objects.get()
    assert (feedback.project, feedback.model_version, feedback.user) == (world.rich, world.version, evaluator_user)
    assert feedback.rating == 4
    assert feedback.indicator_votes == {"item_prices": True, "anomaly_score": False}
    assert feedback.comment == "ok"
    page = evaluator_client.get(response["Location"])
    assert "Avaliação registrada. Obrigado!" in page.content.decode()
    assert "(nota 4). Você pode alterá-la e enviar de novo." in page.content.decode()
    # The form comes back with the stored answers.
    assert page.context["form"].initial["rating"] == 4
    assert page.context["form"].initial["vote_item_prices"] == "1"


def test_sending_again_updates_the_same_feedback(world, evaluator_client):
    evaluator_client.post(URL, {"rating": "2", "vote_item_prices": "1"})
    first = EvaluatorFeedback.objects.get()
    response = evaluator_client.post(URL, {"rating": "5", "comment": "mudei de ideia"}, follow=True)
    assert "Avaliação atualizada. Obrigado!" in response.content.decode()
    again = EvaluatorFeedback.objects.get()
    assert again.pk == first.pk and again.created_at == first.created_at
    assert (again.rating, again.indicator_votes, again.comment) == (5, {}, "mudei de ideia")
    assert again.updated_at > first.updated_at


def test_each_evaluator_and_each_model_version_get_their_own_feedback(world, evaluator_client, staff_user):
    evaluator_client.post(URL, {"rating": "3"})
    staff = Client()
    staff.force_login(staff_user)
    staff.post(URL, {"rating": "1"})
    newer = builders.model_version(2, status="candidate")
    builders.score(world.rich, newer, 5.0)
    builders.promote(newer, previous=world.version)
    evaluator_client.post(URL, {"rating": "5"})
    assert sorted(EvaluatorFeedback.objects.values_list("user__username", "model_version__version", "rating")) == [
        ("evaluator", 1, 3),
        ("evaluator", 2, 5),
        ("staff", 1, 1),
    ]


@pytest.mark.parametrize(
    "data", [{}, {"rating": "0"}, {"rating": "6"}, {"rating": "x"}, {"rating": "3", "comment": "a" * 2001}]
)
def test_invalid_feedback_is_refused_and_nothing_is_stored(world, evaluator_client, data):
    response = evaluator_client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert not EvaluatorFeedback.objects.exists()


def test_votes_for_unknown_indicators_are_ignored(world, evaluator_client):
    evaluator_client.post(URL, {"rating": "3", "vote_nope": "1", "vote_item_prices": "maybe"})
    assert EvaluatorFeedback.objects.count() == 0  # "maybe" is not a choice: the form is invalid
    evaluator_client.post(URL, {"rating": "3", "vote_nope": "1"})
    assert EvaluatorFeedback.objects.get().indicator_votes == {}


def test_the_form_needs_a_csrf_token(world, evaluator_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(evaluator_user)
    assert client.post(URL, {"rating": "3"}).status_code == 403
    page = client.get(URL)
    token = page.context["csrf_token"]
    assert client.post(URL, {"rating": "3", "csrfmiddlewaretoken": str(token)}).status_code == 302


def test_editors_cannot_post_feedback(world, editor_user):
    client = Client()
    client.force_login(editor_user)
    assert client.post(URL, {"rating": "3"}).status_code == 403
    assert not EvaluatorFeedback.objects.exists()


def test_the_database_refuses_ratings_outside_one_to_five(world, evaluator_user):
    with pytest.raises(ValueError):
        evaluator_feedback_save(
            project=world.rich, model_version=world.version, user=evaluator_user, rating=6, indicator_votes={}
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluatorFeedback.objects.create(project=world.rich, model_version=world.version, user=evaluator_user, rating=0)


def test_the_admin_lists_feedback_and_exports_it_as_csv(world, evaluator_client, staff_user):
    evaluator_client.post(URL, {"rating": "4", "vote_item_prices": "1", "vote_anomaly_score": "0", "comment": "=1+1"})
    admin_client = Client()
    admin_client.force_login(staff_user)
    changelist = admin_client.get("/admin/salic_ml/evaluatorfeedback/?rating=4&model_version=" + str(world.version.pk))
    assert changelist.status_code == 200
    assert "123456" in changelist.content.decode()

    model_admin = EvaluatorFeedbackAdmin(EvaluatorFeedback, site)
    request = RequestFactory().get("/")
    request.user = staff_user
    response = model_admin.export_csv(request, EvaluatorFeedback.objects.all())
    text = b"".join(response.streaming_content).decode()[1:]
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    record = dict(zip(header, row, strict=True))
    assert record["pronac"] == "123456" and record["versao"] == "1" and record["avaliador"] == "evaluator"
    assert record["nota"] == "4" and record["comentario"] == "'=1+1"
    assert record["util_item_prices"] == "sim" and record["util_anomaly_score"] == "não"
    assert record["util_items_count"] == ""
