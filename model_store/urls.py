from django.urls import path

from . import api

urlpatterns = [
    path("", api.ModelNameListApi.as_view(), name="models-list"),
    path("<slug:name>/versions/", api.ModelVersionListApi.as_view(), name="models-versions"),
    path("<slug:name>/versions/<int:version>/", api.ModelVersionDetailApi.as_view(), name="models-version-detail"),
    path("<slug:name>/versions/<int:version>/promote/", api.ModelVersionPromoteApi.as_view(), name="models-promote"),
    path("<slug:name>/rollback/", api.ModelRollbackApi.as_view(), name="models-rollback"),
]
