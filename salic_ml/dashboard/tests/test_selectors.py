"""Reading scalars out of the indicators JSON in the database, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db.models import BooleanField, FloatField

from salic_ml.dashboard.selectors import JsonScalar
from salic_ml.dashboard.stats import summarise
from salic_ml.models import ProjectScore

pytestmark = pytest.mark.django_db


def test_json_scalars_keep_null_missing_true_false_and_numbers_apart(world):
    score = world.scores[0]
    score.indicators = {
        "a": {"value": 2.5, "flag": True},
        "b": {"value": None, "flag": False},
        "c": {"value": 7, "flag": None},
    }
    score.save()
    row = ProjectScore.objects.filter(pk=score.pk).values_list(
        *(JsonScalar("indicators", name, "value", output_field=FloatField()) for name in "abcd"),
        *(JsonScalar("indicators", name, "flag", output_field=BooleanField()) for name in "abcd"),
    )[0]
    assert row == (2.5, None, 7.0, None, True, False, None, None)


def test_summaries_use_the_log_scale_only_for_positive_values():
    positive = summarise([1.0, 10.0, 100.0, 1000.0], log=True)
    assert positive.log and positive.median == pytest.approx(31.6228, rel=1e-4)
    with_zero = summarise([0.0, 10.0, 100.0], log=True)
    assert not with_zero.log and with_zero.median == 10.0
    assert summarise([5.0], log=False) is None
    assert summarise([None, 1.0, 2.0], log=False).n == 2


def test_large_segments_keep_a_bounded_sample_that_still_ranks_a_project():
    summary = summarise([float(i) for i in range(10_000)], log=False)
    assert summary.n == 10_000 and len(summary.sample) == 501
    assert summary.share_below(2_500.0) == pytest.approx(0.25, abs=0.002)
    assert (summary.min, summary.max) == (0.0, 9_999.0)
