"""The ``sites`` namespace: the sites app's pages (``sites/urls.py``) and the two of them that
read inquiries (``inquiries/views/sites.py``), routed together so their names stay
``sites:...``."""

from car_programme.routes import record_paths
from inquiries.views import sites
from sites import urls as sites_urls

app_name = "sites"

urlpatterns = [
    *sites_urls.urlpatterns,
    *record_paths("sites", "site", sites, "CaseSite", ("detail",)),
    *record_paths("organisations", "organisation", sites, "Organisation", ("list",)),
]
