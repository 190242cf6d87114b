"""The chat stays silent by the answering version's own thresholds; the settings are a floor."""

from __future__ import annotations

import pytest

from faq_bot.answering import is_fallback
from faq_bot.fallback import fallback_thresholds
from faq_bot.training import faq_train_blocking
from model_store.serving import load_version

pytestmark = pytest.mark.django_db


def test_a_trained_version_carries_the_thresholds_its_report_chose(base_content, settings):
    version = faq_train_blocking().version
    model = load_version(version).obj
    point = version.report["operating_point"]
    assert model.fallback_thresholds == {"min_confidence": point["min_confidence"], "min_margin": point["min_margin"]}
    assert point["min_confidence"] >= settings.FAQ_FALLBACK_MIN_CONFIDENCE
    assert version.metrics["coverage"] == point["coverage"] and "out_of_scope_false_accept" in version.metrics
    titles = [s["title"] for s in version.report["sections"]]
    assert "Ponto de operação (limiares escolhidos pelos dados)" in titles
    assert {c["id"] for c in version.report["charts"]} == {"risk-coverage", "reliability"}


def test_the_version_thresholds_decide_and_the_settings_only_raise_them(settings):
    class Version:
        fallback_thresholds = {"min_confidence": 0.7, "min_margin": 0.2}

    settings.FAQ_FALLBACK_MIN_CONFIDENCE, settings.FAQ_FALLBACK_MIN_MARGIN = 0.5, 0.1
    assert fallback_thresholds(Version()) == {"min_confidence": 0.7, "min_margin": 0.2}
    assert is_fallback([("a", 0.65), ("b", 0.1)], Version())  # passes the settings, not the version
    assert not is_fallback([("a", 0.75), ("b", 0.1)], Version())
    assert is_fallback([("a", 0.75), ("b", 0.6)], Version())  # margin 0.15 < 0.2
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 0.9
    assert is_fallback([("a", 0.75), ("b", 0.1)], Version())
    assert fallback_thresholds(None) == {"min_confidence": 0.9, "min_margin": 0.1}


def test_the_version_page_draws_the_risk_coverage_and_reliability_charts(base_content, client, staff_user):
    import json
    import re

    version = faq_train_blocking().version
    client.force_login(staff_user)
    page = client.get(f"/admin/model_store/modelversion/{version.pk}/change/").content.decode()
    assert 'id="chart-risk-coverage"' in page and 'id="chart-reliability"' in page
    assert "/static/vendor/plotly.min.js" in page and "/static/model_store/report_charts.js" in page
    charts = json.loads(re.search(r'<script id="report-charts" type="application/json">(.*?)</script>', page).group(1))
    operating = charts[0]["series"][1]
    assert operating["x"] == [version.report["operating_point"]["coverage"]]
    assert "Perguntas fora do escopo respondidas com uma intenção (falsa aceitação)" in page


NOT_OURS = [
    "vai fazer sol no domingo",
    "qual a temperatura agora",
    "previsão do tempo para amanhã",
    "quem ganhou a partida de ontem",
    "qual o placar do campeonato",
    "como tiro a carteira de identidade",
    "quando sai o auxílio do governo",
    "what is your name",
    "me passa uma receita de pudim",
    "kkkkk asdasd",
    "seu robô idiota",
    "onde compro remédio barato",
]


def test_the_gate_refuses_a_candidate_that_answers_more_out_of_scope_questions(base_content):
    from faq_bot.content import faq_content_import
    from faq_bot.importers import ContentBundle, IntentData
    from faq_bot.models import Intent
    from faq_bot.names import MODEL_NAME
    from model_store.services import production_version

    faq_content_import(bundle=ContentBundle(intents={"out_of_scope": IntentData("out_of_scope", examples=NOT_OURS)}))
    v1 = faq_train_blocking().version
    assert v1.status == "production"
    Intent.objects.filter(name="out_of_scope").update(active=False)  # the candidate forgets how to refuse
    candidate = faq_train_blocking().version
    assert candidate.status == "rejected" and production_version(MODEL_NAME) == v1
    ours, theirs = candidate.report["out_of_scope"]["false_accepts"], v1.report["out_of_scope"]["false_accepts"]
    assert ours > theirs
    reasons = [r for r in candidate.gate_reasons if "perguntas fora do escopo" in r]
    assert reasons and f"a produção responde {theirs}." in reasons[0], candidate.gate_reasons
