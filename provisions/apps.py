from typing import Any

from django.apps import AppConfig


class ProvisionsConfig(AppConfig):
    name = "provisions"
    verbose_name = "Provisions"

    def ready(self) -> None:
        from platforms.signals import version_recorded

        version_recorded.connect(_relink_on_record, dispatch_uid="provisions.relink")


def _relink_on_record(sender: Any, version: Any, **kwargs: Any) -> None:
    from provisions.services import provisions_relink

    provisions_relink(version=version)
