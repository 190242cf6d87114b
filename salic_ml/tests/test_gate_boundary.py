"""The salic gate's documented limit: at most 10% of the projects may change band automatically."""

from __future__ import annotations

import pandas as pd
import pytest

from salic_ml.dashboard.tests import builders
from salic_ml.modelling.gate import salic_gate
from salic_ml.models import ProjectScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def production():
    version = builders.model_version(1)
    seg = builders.segment("1A")
    prop = builders.proponent("00000000000")
    for i in range(100):
        builders.score(builders.project(f"{150000 + i}", seg=seg, prop=prop), version, 1.0, builders.indicator_rows())
    return version


def candidate(production, *, changed: int) -> pd.DataFrame:
    """The production scores with the first `changed` projects moved from Normal to Muito complexo."""
    rows = (
        ProjectScore.objects.filter(model_version=production)
        .order_by("project_id")
        .values_list("project_id", "complexity", "band")
    )
    table = pd.DataFrame.from_records(list(rows), columns=["project", "complexity", "band"]).set_index("project")
    table.iloc[:changed, table.columns.get_loc("complexity")] = 8.0
    table.iloc[:changed, table.columns.get_loc("band")] = "muito_complexo"
    return table


def test_the_default_limit_is_ten_percent(settings):
    assert settings.SALIC_GATE_MAX_BAND_CHANGE == 0.10


def test_exactly_ten_percent_of_projects_changing_band_passes(production):
    result = salic_gate(candidate(production, changed=10), production, [])
    assert result.passed and result.report["band_changes"] == 10 and result.report["band_change_share"] == 0.1


def test_one_project_more_than_ten_percent_is_blocked_and_says_why(production):
    result = salic_gate(candidate(production, changed=11), production, [])
    assert not result.passed
    assert "11,0% dos projetos mudariam de faixa (limite 10%)" in result.reasons[0]
