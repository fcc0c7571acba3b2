from typing import Any

from django.apps import AppConfig


class ProvisionsConfig(AppConfig):
    name = "provisions"
    verbose_name = "Provisions"

    def ready(self) -> None:
        from platforms.signals import version_recorded
        from provisions import checks  # noqa: F401  # registers the system checks

        version_recorded.connect(_relink_on_record, dispatch_uid="provisions.relink")

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from conductatlas.api.caching import data_changed

        # What the cached reads (comparisons, categories, the matrix) show.
        for name in ("Topic", "Category", "Provision", "Silence", "Framework", "Article", "CategoryArticle", "Finding"):
            model = self.get_model(name)
            post_save.connect(data_changed, sender=model, dispatch_uid=f"cache.{name}.save")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"cache.{name}.delete")
        from provisions.models import Provision

        m2m_changed.connect(
            data_changed,
            sender=Provision.secondary_categories.through,
            dispatch_uid="cache.Provision.secondary",
        )


def _relink_on_record(sender: Any, version: Any, **kwargs: Any) -> None:
    from provisions.services import provisions_relink

    provisions_relink(version=version)
