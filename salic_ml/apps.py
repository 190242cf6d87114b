import sys

from django.apps import AppConfig


class SalicMlConfig(AppConfig):
    name = "salic_ml"
    verbose_name = "Indicadores SALIC"

    def ready(self) -> None:
        # Artifacts pickled before the modelling wing existed name their class `salic_ml.training.SalicModel`;
        # this alias lets those signed artifacts load (and be rolled back to) unchanged.
        from salic_ml.modelling import artifact

        sys.modules.setdefault("salic_ml.training", artifact)
