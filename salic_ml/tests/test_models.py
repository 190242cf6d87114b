"""The database itself refuses impossible SALIC values."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from salic_ml.ingest import salic_import_run
from salic_ml.models import BudgetLine, Fundraising, Receipt

from .csv_sets import base_set, write_set

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (BudgetLine, "quantity"),
        (BudgetLine, "unit_price_approved"),
        (BudgetLine, "total_approved"),
        (Receipt, "amount"),
        (Fundraising, "amount"),
    ],
)
def test_negative_amounts_violate_a_check_constraint(tmp_path, model, field):
    salic_import_run(paths=[write_set(tmp_path, base_set())])
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=model.objects.first().pk).update(**{field: -1})


def test_an_unknown_payment_type_violates_a_check_constraint(tmp_path):
    salic_import_run(paths=[write_set(tmp_path, base_set())])
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.update(payment_type="pix")
