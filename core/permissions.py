"""DRF permission classes shared by the apps' APIs."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from .roles import API_CLIENTS, EVALUATORS, can_operate_models


class DenyAll(BasePermission):
    """The default: a view that does not choose its permissions serves nobody."""

    def has_permission(self, request, view) -> bool:
        return False


def _in_groups(user, *groups: str) -> bool:
    return bool(user and user.is_authenticated and user.groups.filter(name__in=groups).exists())


class CanOperateModels(BasePermission):
    """Staff allowed to promote and roll back models (not every admin user, e.g. not editors)."""

    def has_permission(self, request, view) -> bool:
        return can_operate_models(request.user)


class IsStaffOrApiClientReadOnly(BasePermission):
    """Staff who operate models read and write; API clients only read."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if can_operate_models(user):
            return True
        return request.method in ("GET", "HEAD", "OPTIONS") and _in_groups(user, API_CLIENTS)


class CanReadIndicators(BasePermission):
    """Evaluators, API clients and staff read project indicators; nobody writes through the API."""

    def has_permission(self, request, view) -> bool:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return False
        user = request.user
        # Admin access alone (e.g. FAQ editors) does not open project data.
        return bool(
            user and user.is_authenticated and (can_operate_models(user) or _in_groups(user, API_CLIENTS, EVALUATORS))
        )
