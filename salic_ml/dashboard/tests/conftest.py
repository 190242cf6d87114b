from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from model_store.models import ModelVersion
from salic_ml.models import Project, ProjectScore

from . import builders


@pytest.fixture(autouse=True)
def fresh_cache():
    """Segment summaries are cached per version id, and ids repeat across rolled-back tests."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    version: ModelVersion
    rich: Project  # every kind of evidence, outlier on several indicators
    scores: list[ProjectScore]


def build_world(extra_projects: int = 0) -> World:
    """Two areas, three segments, a dozen scored projects (plus `extra_projects` more in segment S1)."""
    version = builders.model_version(1)
    s1 = builders.segment("S1", area_code="1", name="Teatro")
    s2 = builders.segment("S2", area_code="1", name="Dança")
    s3 = builders.segment("S3", area_code="2", name="Música")
    p1, p2 = builders.proponent("111"), builders.proponent("222", "Associação Cultural Dois")
    scores = []
    specs = [
        ("100001", s1, p1, "SP", 8.4),
        ("100002", s1, p1, "RJ", 6.5),
        ("100003", s1, p2, "SP", 4.2),
        ("100004", s1, p2, "MG", 3.0),
        ("100005", s2, p1, "SP", 1.5),
        ("100006", s2, p2, "BA", 0.0),
        ("100007", s2, p2, "SP", 7.1),
        ("100008", s3, p1, "RS", 2.2),
        ("100009", s3, p2, "SP", 9.6),
        ("100010", s3, p2, "PE", 5.5),
    ]
    for pronac, seg, prop, uf, complexity in specs:
        proj = builders.project(pronac, seg=seg, prop=prop, uf=uf, name=f"Festival {pronac}")
        scores.append(builders.score(proj, version, complexity))
    scores += add_projects(version, seg=s1, prop=p2, n=extra_projects)
    rich = builders.project("123456", seg=s1, prop=p1, name="Turnê com evidências", uf="SP")
    outliers = (
        "item_prices",
        "receipts_over_approved",
        "common_items",
        "new_suppliers",
        "shared_receipts_transfer",
        "funds_to_verify",
        "proponent_history",
    )
    rows = builders.indicator_rows(value=500.0, outliers=outliers, evidence=builders.rich_evidence(rich))
    scores.append(builders.score(rich, version, 7.8, rows))
    return World(version, rich, scores)


def add_projects(version: ModelVersion, *, seg, prop, n: int, start: int = 0) -> list[ProjectScore]:
    scores = []
    for i in range(start, start + n):
        proj = builders.project(f"2{i:05d}", seg=seg, prop=prop, uf="SP")
        scores.append(builders.score(proj, version, (i % 100) / 10))
    return scores


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def evaluator_client(evaluator_user) -> Client:
    client = Client()
    client.force_login(evaluator_user)
    return client
