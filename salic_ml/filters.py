from __future__ import annotations

import django_filters
from django.db.models import Q

from .models import ProjectScore
from .scoring import BAND_LABELS


class ProjectScoreFilter(django_filters.FilterSet):
    area = django_filters.CharFilter(field_name="project__area__code", help_text="código da área")
    segment = django_filters.CharFilter(field_name="project__segment__code", help_text="código do segmento")
    uf = django_filters.CharFilter(method="filter_uf", max_length=2)
    band = django_filters.ChoiceFilter(choices=list(BAND_LABELS.items()))
    min_complexity = django_filters.NumberFilter(field_name="complexity", lookup_expr="gte", min_value=0, max_value=10)
    search = django_filters.CharFilter(method="filter_search", max_length=200, help_text="PRONAC ou parte do nome")
    ordering = django_filters.OrderingFilter(
        fields=(("complexity", "complexity"), ("project__pronac", "pronac"), ("project__name", "name")),
    )

    class Meta:
        model = ProjectScore
        fields: list[str] = []

    def filter_uf(self, queryset, name, value):
        # Imports store UFs upper-cased; an exact match keeps the index (iexact would wrap UPPER()).
        return queryset.filter(project__uf=value.strip().upper())

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(project__pronac=value) | Q(project__name__icontains=value)) if value else queryset
