"""Mounted at /salic/ by config/urls.py: path("salic/", include("salic_ml.dashboard.urls"))."""

from django.contrib.auth.views import LoginView
from django.urls import path

from . import views

app_name = "salic_dashboard"

urlpatterns = [
    path("", views.project_list, name="list"),
    # The admin login refuses accounts that are not staff, and evaluators are not staff.
    path(
        "entrar/",
        LoginView.as_view(template_name="salic_ml/dashboard/login.html", next_page="salic_dashboard:list"),
        name="login",
    ),
    path("export.csv", views.project_export, name="export"),
    path("projects/<str:pronac>/", views.project_detail, name="project"),
    path("segments/<str:code>/", views.segment_detail, name="segment"),
]
