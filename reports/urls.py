from reports.views import dashboards, exports, requests

app_name = "reports"

urlpatterns = [*dashboards.urlpatterns, *requests.urlpatterns, *exports.urlpatterns]
