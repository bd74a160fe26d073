"""The health pages, one module per area."""

from accord.health.urls import index, signs, surveys

urlpatterns = [*surveys.urlpatterns, *signs.urlpatterns, *index.urlpatterns]
