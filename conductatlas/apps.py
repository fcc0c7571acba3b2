from django.apps import AppConfig


class ConductAtlasConfig(AppConfig):
    name = "conductatlas"
    verbose_name = "ConductAtlas"
