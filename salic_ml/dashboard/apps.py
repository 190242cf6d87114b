from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The evaluators' dashboards as an app of their own (templates, static, admin, views); it has no
    tables: the feedback it records is data of `salic_ml`."""

    name = "salic_ml.dashboard"
    label = "salic_dashboard"
    verbose_name = "Painéis SALIC"
