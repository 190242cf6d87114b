"""The product's URLs plus the reference pages the benchmarks compare against (never deployed)."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urls
from salic_ml.models import Project


def plain_select(request, pronac: str) -> JsonResponse:
    """One indexed SELECT of a project row, serialised as JSON: the floor under the project pages."""
    row = Project.objects.filter(pronac=pronac).values("pronac", "name", "segment_id", "uf", "situation").first()
    return JsonResponse({"project": row}, json_dumps_params={"default": str})


urlpatterns = [*product_urls, path("bench/plain-select/<str:pronac>/", plain_select)]
