"""Who may open the dashboards: evaluators, and staff who operate the models.

Plain `is_staff` is not enough: FAQ editors are staff (they use the admin) but must not read
project data, the same rule the indicators API follows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from core.roles import EVALUATORS, can_operate_models

# Our own login page: the admin's (settings.LOGIN_URL) only accepts staff accounts.
LOGIN_URL = "salic_dashboard:login"


def can_view_dashboards(user: Any) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    # Checked first: for superusers it answers without a query.
    if can_operate_models(user):
        return True
    return user.groups.filter(name=EVALUATORS).exists()


def evaluator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the dashboards' login page (with ?next=); signed-in users without the role get 403."""

    @login_required(login_url=LOGIN_URL)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_view_dashboards(request.user):
            raise PermissionDenied("Acesso restrito a avaliadores.")
        return view(request, *args, **kwargs)

    return wrapped
