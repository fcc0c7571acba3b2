from rest_framework.routers import SimpleRouter

from platforms.api import views

router = SimpleRouter()
router.register("platforms", views.PlatformViewSet, basename="platform")
router.register("document-types", views.DocumentTypeViewSet, basename="document-type")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("versions", views.VersionViewSet, basename="version")
router.register("checks", views.CheckViewSet, basename="check")
router.register("changes", views.ChangeViewSet, basename="change")
