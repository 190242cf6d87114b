from __future__ import annotations

import pytest

from model_store.services import GateResult, dataset_snapshot_create, model_version_apply_gate, model_version_register


def make_version(name: str = "toy", payload: dict | None = None, *, passed: bool = True, key: str | None = None):
    """Register a candidate holding `payload` and run a gate with the given verdict."""
    payload = payload if payload is not None else {"weights": [1, 2, 3]}
    dataset = dataset_snapshot_create(kind="faq", rows=payload, row_counts={"rows": 1}, source="test")
    mv = model_version_register(
        name=name,
        obj=payload,
        params={"p": 1},
        metrics={"macro_f1": 0.9},
        report={},
        dataset=dataset,
        key=key or f"key-{payload}",
    )
    from model_store.services import production_version

    return model_version_apply_gate(
        version=mv, result=GateResult(passed, [] if passed else ["worse"]), compared_to=production_version(name)
    )


@pytest.fixture
def registered():
    return make_version
