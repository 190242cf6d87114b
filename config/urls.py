from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views
from core.api import PingApi
from faq_bot import api as faq_api
from faq_bot import views as faq_views
from faq_bot.channels import telegram as faq_telegram

admin.site.site_header = "Rouanet ML — administração"
admin.site.site_title = "Rouanet ML"
admin.site.index_title = "Conteúdo, modelos e dados"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/ping/", PingApi.as_view(), name="api-ping"),
    path("api/models/", include("model_store.urls")),
    path("api/faq/", include("faq_bot.urls")),
    path("api/salic/", include("salic_ml.api.urls")),
    path("webhooks/rest/webhook", faq_api.RasaWebhookApi.as_view(), name="rasa-webhook"),
    path("webhooks/telegram/webhook", faq_telegram.telegram_webhook, name="telegram-webhook"),
    path("chat/", faq_views.chat_page, name="chat"),
    path("chat/widget/", faq_views.chat_widget_page, name="chat-widget"),
    path("salic/", include("salic_ml.dashboard.urls")),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.forbidden"
handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
