from django.urls import path

from . import views as api

urlpatterns = [
    path("projects/", api.ProjectListApi.as_view(), name="salic-projects"),
    path("projects/<str:pronac>/", api.ProjectDetailApi.as_view(), name="salic-project"),
    path("segments/", api.SegmentListApi.as_view(), name="salic-segments"),
    path("segments/<str:code>/", api.SegmentDetailApi.as_view(), name="salic-segment"),
    path("indicators/", api.IndicatorCatalogApi.as_view(), name="salic-indicators"),
]
