"""Small builders for dashboard tests: projects with hand-written scores, no training needed."""

from __future__ import annotations

from typing import Any

from model_store.models import ModelVersion, Promotion
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import band_of
from salic_ml.models import Area, BudgetLine, Project, ProjectScore, Proponent, Receipt, Segment, Supplier
from salic_ml.names import MODEL_NAME


def model_version(number: int = 1, *, status: str = "production") -> ModelVersion:
    return ModelVersion.objects.create(
        name=MODEL_NAME, version=number, status=status, sha256=f"{number:064d}", training_key=f"key-{number}"
    )


def promote(version: ModelVersion, *, previous: ModelVersion | None) -> None:
    if previous is not None:
        ModelVersion.objects.filter(pk=previous.pk).update(status="archived")
    ModelVersion.objects.filter(pk=version.pk).update(status="production")
    Promotion.objects.create(name=MODEL_NAME, from_version=previous, to_version=version, actor_label="test")


def segment(code: str, *, area_code: str = "1", name: str = "") -> Segment:
    area, _ = Area.objects.get_or_create(code=area_code, defaults={"name": f"Área {area_code}"})
    return Segment.objects.create(code=code, name=name or f"Segmento {code}", area=area)


def proponent(proponent_id: str, name: str = "") -> Proponent:
    return Proponent.objects.create(proponent_id=proponent_id, name=name or f"Proponente {proponent_id}")


def project(pronac: str, *, seg: Segment, prop: Proponent, name: str = "", uf: str = "SP") -> Project:
    return Project.objects.create(
        pronac=pronac, name=name or f"Projeto {pronac}", proponent=prop, area=seg.area, segment=seg, uf=uf
    )


def indicator_rows(
    *, value: float = 10.0, outliers: tuple[str, ...] = (), evidence: dict[str, list[dict]] | None = None
) -> dict[str, dict[str, Any]]:
    """One row per registry indicator, valid, in range except the named outliers."""
    rows = {}
    for name, ind in REGISTRY.items():
        share = ind.unit == "proporção"
        rows[name] = {
            "value": 0.5 if share else value,
            "expected_min": 0.1 if share else 1.0,
            "expected_max": 0.9 if share else 100.0,
            "is_outlier": name in outliers,
            "valid": True,
            "weight": float(ind.weight),
            "evidence": (evidence or {}).get(name, []),
        }
    return rows


def score(
    proj: Project, version: ModelVersion, complexity: float, indicators: dict[str, dict] | None = None
) -> ProjectScore:
    return ProjectScore.objects.create(
        project=proj,
        model_version=version,
        complexity=complexity,
        base_complexity=complexity,
        band=band_of(complexity),
        indicators=indicators if indicators is not None else indicator_rows(value=complexity + 1),
    )


def rich_evidence(proj: Project) -> dict[str, list[dict]]:
    """Budget lines, suppliers and receipts in the database, and evidence rows of every kind pointing at them."""
    lines = [
        BudgetLine.objects.create(
            line_id=9000 + i,
            project=proj,
            item_id=500 + i,
            item_name=f"Cachê de artista {i}",
            quantity=1,
            unit_price_approved=100.0 * (i + 1),
            total_approved=100.0 * (i + 1),
        )
        for i in range(3)
    ]
    new_supplier = Supplier.objects.create(supplier_id="11222333000144", name="Fornecedor Único Ltda")
    for line in lines[:2]:
        Receipt.objects.create(
            receipt_id=77, line=line, project=proj, supplier=new_supplier, amount=50.0, payment_type="transfer"
        )
    return {
        "item_prices": [
            {
                "line_id": 9000,
                "item_id": 500,
                "unit_price": 100.0,
                "median_price": 20.0,
                "ratio": 5.0,
                "total": 100.0,
            }
        ],
        "receipts_over_approved": [{"line_id": 9001, "item_id": 501, "total": 200.0, "paid": 450.0, "ratio": 2.25}],
        "common_items": [{"line_id": 9002, "item_id": 502, "total": 300.0}],
        "new_suppliers": [{"supplier": new_supplier.pk}],
        "shared_receipts_transfer": [{"receipt_id": 77, "lines": 2}],
        "funds_to_verify": [{"raised": 1000.0, "verified": 100.0, "gap": 900.0}],
        "proponent_history": [{"project": proj.pk, "complexity": 7.0}],
    }
