from rest_framework.routers import SimpleRouter

from monitoring.api import views

router = SimpleRouter()
router.register("watches", views.WatchViewSet, basename="watch")
router.register("alerts", views.AlertViewSet, basename="alert")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
