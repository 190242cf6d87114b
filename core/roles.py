"""The product's roles as Django groups, and the model permissions each one holds.

Groups are created by a migration; their permissions are (re)applied after every migrate,
because permissions of later apps do not exist yet while early migrations run.
"""

from __future__ import annotations

from typing import Any

EDITORS = "Editors"
EVALUATORS = "Evaluators"
API_CLIENTS = "API clients"
ROLE_NAMES = (EDITORS, EVALUATORS, API_CLIENTS)


def can_operate_models(user: Any) -> bool:
    """Promotion, forcing and rollback belong to staff who hold the registry's change permission."""
    return bool(user and user.is_active and user.is_staff and user.has_perm("model_store.change_modelversion"))


# group -> {app_label: {model_name: actions}}
ROLE_PERMISSIONS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    EDITORS: {
        "faq_bot": {
            "intent": ("view", "add", "change", "delete"),
            "example": ("view", "add", "change", "delete"),
            "answer": ("view", "add", "change", "delete"),
            "regressioncase": ("view", "add", "change", "delete"),
            # conversations: responses with variants and buttons, answer sequences, flows and
            # conversation tests, and the entity data (entities, synonyms, lookups, regexes)
            **{
                model: ("view", "add", "change", "delete")
                for model in (
                    "response",
                    "responsevariant",
                    "responsebutton",
                    "intentresponse",
                    "flow",
                    "flowstep",
                    "entity",
                    "synonym",
                    "lookuptable",
                    "regexpattern",
                )
            },
            "message": ("view", "change"),
            "conversation": ("view",),
            "feedback": ("view",),
            # the staff inbox: take a conversation, reply to the citizen, hand it back to the bot
            "handoff": ("view", "change"),
            "staffreply": ("view", "add"),
        },
        "model_store": {"modelversion": ("view",), "trainingrun": ("view",), "promotion": ("view",)},
    },
    EVALUATORS: {
        "salic_ml": {"*": ("view",), "evaluatorfeedback": ("view", "add")},
    },
    API_CLIENTS: {
        "salic_ml": {"*": ("view",)},
        "model_store": {"modelversion": ("view",)},
    },
}


def sync_role_permissions(sender: Any = None, **kwargs: Any) -> None:
    """Create the groups if needed and give each exactly the permissions listed above."""
    from django.contrib.auth.models import Group, Permission

    for group_name, apps in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted: list[Permission] = []
        for app_label, models in apps.items():
            perms = Permission.objects.filter(content_type__app_label=app_label).select_related("content_type")
            for perm in perms:
                model = perm.content_type.model
                action = perm.codename.split("_", 1)[0]
                actions = models.get(model, ()) + models.get("*", ())
                if action in actions:
                    wanted.append(perm)
        group.permissions.set(wanted)
