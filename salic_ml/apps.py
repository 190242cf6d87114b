from django.apps import AppConfig


class SalicMlConfig(AppConfig):
    name = "salic_ml"
    verbose_name = "Indicadores SALIC"
