from django.apps import AppConfig


class ModelStoreConfig(AppConfig):
    name = "model_store"
    verbose_name = "Registro de modelos"
