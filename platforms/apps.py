from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = "Archive"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from conductatlas.api.caching import data_changed

        # What the cached reads show: which platforms, documents and versions are in force.
        for name in ("Platform", "DocumentType", "Document", "Version"):
            model = self.get_model(name)
            post_save.connect(data_changed, sender=model, dispatch_uid=f"cache.{name}.save")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"cache.{name}.delete")
