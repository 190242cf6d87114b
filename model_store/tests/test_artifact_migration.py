"""Migration 0002 moves every stored artifact out of the version rows, byte for byte, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("model_store", "0001_initial")]
AFTER = [("model_store", "0002_modelartifact")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def whole_schema_restored():
    """Going back to model_store 0001 also unapplies every later migration that depends on it (other
    apps' too, e.g. salic_ml 0004); afterwards every app is migrated to its latest again, or the tests
    that follow meet an old schema."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_artifact_bytes_move_to_their_own_table_and_back():
    old = migrate(BEFORE)
    version_model = old.get_model("model_store", "ModelVersion")
    kept = version_model.objects.create(name="m", version=1, artifact=b"\x00bytes-one", sha256="a", signature="s")
    pruned = version_model.objects.create(name="m", version=2, artifact=None, sha256="b", signature="s")

    new = migrate(AFTER)
    artifact_model = new.get_model("model_store", "ModelArtifact")
    assert dict(artifact_model.objects.values_list("version_id", "data")) == {kept.pk: b"\x00bytes-one"}
    assert not artifact_model.objects.filter(version_id=pruned.pk).exists()
    columns = [
        c.name for c in connection.introspection.get_table_description(connection.cursor(), "model_store_modelversion")
    ]
    assert "artifact" not in columns

    old = migrate(BEFORE)
    version_model = old.get_model("model_store", "ModelVersion")
    assert bytes(version_model.objects.get(pk=kept.pk).artifact) == b"\x00bytes-one"
    assert version_model.objects.get(pk=pruned.pk).artifact is None


@pytest.fixture(autouse=True)
def back_to_the_latest_schema():
    """Going back to 0001 also unapplies every later migration that depends on model_store (of any
    app); whatever the test did, leave the database at the project's latest state for the next test."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
