from rest_framework.routers import SimpleRouter

from provisions.api import views

router = SimpleRouter()
router.register("topics", views.TopicViewSet, basename="topic")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("provisions", views.ProvisionViewSet, basename="provision")
router.register("search", views.SearchViewSet, basename="search")
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("exports", views.ExportViewSet, basename="export")
