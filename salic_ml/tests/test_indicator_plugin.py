"""An indicator is a plug-in: one new module, and training, storage, incremental merging, the API,
the catalog and the diagnosis page take it in with no edit anywhere else."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.indicators.base import EvidenceColumn, Indicator, Result, empty_result, indicator
from salic_ml.modelling.training import salic_train_blocking
from salic_ml.models import ProjectScore

pytestmark = pytest.mark.django_db


class BiggestLine(Indicator):
    """Throw-away: the project's most expensive budget line is in the top 10% of all projects'."""

    name = "zz_biggest_line"
    weight = 1
    title = "Maior linha do orçamento (teste)"
    description = "Indicador descartável dos testes: a linha mais cara entre as 10% maiores."
    unit = "R$"
    level = "population"
    evidence_caption = "Linha mais cara do projeto"
    evidence_columns = (EvidenceColumn("Linha", "line_id", "id"), EvidenceColumn("Total", "total", "money"))

    def compute(self, frames, fitted, *, earlier=None):
        lines = frames.lines.sort_values(["project", "total"], ascending=[True, False])
        top = lines.groupby("project").head(1).set_index("project")
        biggest = top["total"].reindex(frames.projects.index)
        if fitted is None:
            fitted = {"limit": float(biggest.quantile(0.9))}
        table = empty_result(frames.projects.index)
        table["value"] = biggest
        table["expected_min"] = 0.0
        table["expected_max"] = fitted["limit"]
        table["valid"] = biggest.notna()
        table["is_outlier"] = (biggest > fitted["limit"]).to_numpy()
        evidence = {
            int(p): [{"line_id": int(top.at[p, "line_id"]), "total": float(top.at[p, "total"])}]
            for p in table.index[table["is_outlier"]]
        }
        return Result(table, evidence), fitted


@pytest.fixture
def throwaway():
    indicator(BiggestLine)
    yield REGISTRY[BiggestLine.name]
    del REGISTRY[BiggestLine.name]


@pytest.fixture
def trained(tmp_path, throwaway):
    call_command("salic_generate", "--projects", "300", "--seed", "5", "--out", str(tmp_path), stdout=StringIO())
    call_command("salic_import", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    run = salic_train_blocking()
    assert run.status == "succeeded", run.error
    return run.version


def test_a_new_indicator_module_is_scored_served_and_shown_without_other_edits(
    trained, throwaway, api_client, api_client_user, evaluator_user
):
    scores = ProjectScore.objects.filter(model_version=trained).select_related("project")
    flagged = [s for s in scores if s.indicators[throwaway.name]["is_outlier"]]
    plain = [s for s in scores if not s.indicators[throwaway.name]["is_outlier"]]
    assert flagged and plain, "some projects fall on each side of the limit"
    limit = min(s.indicators[throwaway.name]["value"] for s in flagged)
    assert all(s.indicators[throwaway.name]["value"] < limit for s in plain if s.indicators[throwaway.name]["valid"])
    for score in flagged:
        [evidence] = score.indicators[throwaway.name]["evidence"]
        line = score.project.budget_lines.get(line_id=evidence["line_id"])
        assert line.total_approved == pytest.approx(score.indicators[throwaway.name]["value"])
        assert score.indicators[throwaway.name]["weight"] == 1.0

    # Its weight counts in the score: the same project without it would score differently.
    top = max(flagged, key=lambda s: s.complexity)
    others = {k: v for k, v in top.indicators.items() if k != throwaway.name and v["valid"]}
    without = (
        10 * sum(v["weight"] for v in others.values() if v["is_outlier"]) / sum(v["weight"] for v in others.values())
    )
    assert top.complexity == pytest.approx(
        10
        * (sum(v["weight"] for v in others.values() if v["is_outlier"]) + 1)
        / (sum(v["weight"] for v in others.values()) + 1),
        abs=0.05,
    )
    assert not np.isclose(top.complexity, without, atol=0.05)

    token = Token.objects.create(user=api_client_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    detail = api_client.get(f"/api/salic/projects/{top.project.pronac}/").json()
    served = (
        {row["name"]: row for row in detail["indicators"]}
        if isinstance(detail["indicators"], list)
        else detail["indicators"]
    )
    assert served[throwaway.name]["is_outlier"] is True
    catalog = api_client.get("/api/salic/indicators/").json()
    assert throwaway.title in str(catalog)

    browser = Client()
    browser.force_login(evaluator_user)
    page = browser.get(f"/salic/projects/{top.project.pronac}/").content.decode()
    assert throwaway.title in page
    [evidence] = top.indicators[throwaway.name]["evidence"]
    assert "Linha mais cara do projeto" in page and f"<td>{evidence['line_id']}</td>" in page.replace(" ", "")
