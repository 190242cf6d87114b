from django.apps import AppConfig


class ModelStoreConfig(AppConfig):
    name = "model_store"
    verbose_name = "Registro de modelos"

    def ready(self) -> None:
        from core.health import register_check

        from .serving import models_health

        # /healthz: which version of each model is in production and loaded here (nothing is loaded
        # to answer), degraded while a production artifact fails verification.
        register_check("models", models_health)
