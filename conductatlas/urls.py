from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from monitoring.api.urls import router as monitoring_router
from platforms.api.urls import router as platforms_router
from platforms.feeds import ChangesFeed, DocumentTypeChangesFeed, PlatformChangesFeed
from provisions.api.urls import router as provisions_router

# One router for /api/v1/ so that its root lists every resource.
api_router = DefaultRouter()
api_router.registry.extend(platforms_router.registry)
api_router.registry.extend(provisions_router.registry)
api_router.registry.extend(monitoring_router.registry)

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/v1/", include(api_router.urls)),
    path("feeds/changes/", ChangesFeed(), name="feed-changes"),
    path("feeds/changes/platforms/<slug:slug>/", PlatformChangesFeed(), name="feed-platform-changes"),
    path("feeds/changes/document-types/<slug:slug>/", DocumentTypeChangesFeed(), name="feed-document-type-changes"),
    path("admin/", admin.site.urls),
]

handler404 = "conductatlas.api.errors.not_found"
handler500 = "conductatlas.api.errors.server_error"
