from reports.views import dashboards, editions, exports, requests

app_name = "reports"

urlpatterns = [
    *dashboards.urlpatterns,
    *requests.urlpatterns,
    *editions.urlpatterns,
    *exports.urlpatterns,
]
