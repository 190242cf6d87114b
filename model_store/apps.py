from django.apps import AppConfig


class ModelStoreConfig(AppConfig):
    name = "model_store"
    verbose_name = "Registro de modelos"

    def ready(self) -> None:
        from core.health import register_check

        from .serving import loaded_versions

        # /healthz lists which version of each model this process has loaded (no loading to answer).
        register_check("models", loaded_versions)
