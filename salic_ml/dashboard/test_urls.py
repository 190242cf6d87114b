"""URLconf for the dashboard tests until config/urls.py includes the dashboards itself."""

from django.contrib import admin
from django.urls import include, path

import config.urls

from . import admin as _dashboard_admin  # noqa: F401  (registers EvaluatorFeedback before admin.site.urls)

urlpatterns = [
    path("salic/", include("salic_ml.dashboard.urls")),
    # Rebuilt here so the admin URLs include models registered after config.urls was imported.
    path("admin/", admin.site.urls),
    *config.urls.urlpatterns,
]

handler404 = config.urls.handler404
handler500 = config.urls.handler500
