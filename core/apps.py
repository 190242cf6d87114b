from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        from .roles import sync_role_permissions

        # Permissions only exist after every app migrated, so roles get theirs here.
        post_migrate.connect(sync_role_permissions, dispatch_uid="core.sync_role_permissions")
