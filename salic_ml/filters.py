from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from core.serializers import QUERY_TEXT
from salic_ml.modelling.scoring import BAND_LABELS

from .models import ProjectScore

ORDERINGS = (("complexity", "complexity"), ("project__pronac", "pronac"), ("project__name", "name"))
EMPTY = {"type": "string", "maxLength": 0}


class RankingOrdering(django_filters.OrderingFilter):
    """The chosen order, then the project, so that pages never overlap; no column keeps the ranking.
    Ordering by complexity breaks its ties by severity, in the same direction.

    django-filter's own filter clears the ranking order on `?ordering=,` and leaves ties to chance.
    """

    def filter(self, qs, value):
        columns = []
        for param in value or []:
            if not param:
                continue
            column = self.get_ordering_value(param)
            columns.append(column)
            if column.lstrip("-") == "complexity":
                columns.append(column.replace("complexity", "severity"))
        return qs.order_by(*columns, "project_id") if columns else qs


class ProjectScoreFilter(django_filters.FilterSet):
    # The schemas state what the form fields accept (no NUL characters, lengths, range, choices) and
    # that an empty value leaves the filter out. `uf` and `search` keep their spaces until the filter
    # method, so their length limit applies to the value as sent.
    area = extend_schema_field(QUERY_TEXT)(
        django_filters.CharFilter(field_name="project__area__code", help_text="código da área")
    )
    segment = extend_schema_field(QUERY_TEXT)(
        django_filters.CharFilter(field_name="project__segment__code", help_text="código do segmento")
    )
    uf = extend_schema_field({**QUERY_TEXT, "maxLength": 2})(
        django_filters.CharFilter(method="filter_uf", max_length=2, strip=False)
    )
    band = extend_schema_field({"type": "string", "enum": [*BAND_LABELS, ""]})(
        django_filters.ChoiceFilter(choices=list(BAND_LABELS.items()))
    )
    min_complexity = extend_schema_field({"oneOf": [{"type": "number", "minimum": 0, "maximum": 10}, EMPTY]})(
        django_filters.NumberFilter(field_name="complexity", lookup_expr="gte", min_value=0, max_value=10)
    )
    search = extend_schema_field({**QUERY_TEXT, "maxLength": 200})(
        django_filters.CharFilter(
            method="filter_search", max_length=200, strip=False, help_text="PRONAC ou parte do nome"
        )
    )
    ordering = extend_schema_field(
        {"type": "string", "enum": [*(f"{sign}{name}" for _, name in ORDERINGS for sign in ("", "-")), ""]}
    )(RankingOrdering(fields=ORDERINGS))

    class Meta:
        model = ProjectScore
        fields: list[str] = []

    def filter_uf(self, queryset, name, value):
        # Imports store UFs upper-cased; an exact match keeps the index (iexact would wrap UPPER()).
        value = value.strip().upper()
        return queryset.filter(project__uf=value) if value else queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(project__pronac=value) | Q(project__name__icontains=value)) if value else queryset
