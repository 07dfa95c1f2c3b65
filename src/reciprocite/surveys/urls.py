from django.urls import include, path

from .views import analysis, campaigns, collect, data, questionnaires, reviews

app_name = "surveys"
urlpatterns = [
    path("", include(questionnaires.urlpatterns)),
    path("", include(data.urlpatterns)),
    path("", include(campaigns.urlpatterns)),
    path("", include(analysis.urlpatterns)),
    path("", include(reviews.urlpatterns)),
    path("", include(collect.urlpatterns)),
]
