from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views as core_views

admin.site.site_header = "Rouanet ML — administração"
admin.site.site_title = "Rouanet ML"
admin.site.index_title = "Conteúdo, modelos e dados"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/models/", include("model_store.urls")),
]

handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
