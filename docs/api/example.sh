#!/usr/bin/env bash
# The API end to end with curl: a token, a meeting logged, a site's figures as CSV.
#
#   CAR_URL=https://car.example.org CAR_TOKEN=... GROUP=12 ATTENDEES=40,41 SITE=3 \
#       docs/api/example.sh
#   docs/api/example.sh meeting    # only the meeting (DATE=2016-05-10 for another day)
#   docs/api/example.sh figures    # only the last step: the site's figures
#
# 1. A token. Sign in, open "Sign-in security" on your account page (/accounts/security/),
#    and choose "New API token" (/accounts/security/api-tokens/new/): name it after what will
#    use it ("Council performance board"), choose how long it lasts (a year at most), and copy
#    the token shown. It is shown once: only its hash is kept. Revoke it on the same page. An
#    administrator can also make one for a user from the server's shell:
#
#      python manage.py shell -c "
#      import datetime as dt
#      from accounts.models import User
#      from accounts.services import api_token_create
#      token, secret = api_token_create(user=User.objects.get(email='me@example.org'),
#                                       name='Performance board', lifetime=dt.timedelta(days=90))
#      print(secret)"
#
#    A token reads and writes exactly what its user may on the pages, nothing more.
set -euo pipefail

CAR_URL="${CAR_URL:-http://localhost:8000}"
: "${CAR_TOKEN:?Set CAR_TOKEN to your API token (see step 1 above).}"
API="$CAR_URL/api/v1"
AUTH="Authorization: Bearer $CAR_TOKEN"

log_meeting() {
  # 2. A meeting of inquiry group $GROUP, with two of its members attending (their ids, as
  #    /api/v1/people/ lists them). The fields are those the activity form takes; an error
  #    comes back as 400 with a message next to its field, as on the form.
  : "${GROUP:?Set GROUP to the id of an inquiry group (see /api/v1/groups/).}"
  curl --fail-with-body --silent --show-error \
    -H "$AUTH" -H "Content-Type: application/json" \
    -X POST "$API/activities/" \
    --data @- <<JSON
{
  "group": $GROUP,
  "kind": "group_meeting",
  "date": "${DATE:-$(date +%F)}",
  "title": "Monthly inquiry meeting",
  "duration_minutes": 90,
  "attendees": [${ATTENDEES:-}],
  "notes": "What we heard, and what we agreed to try next."
}
JSON
  echo
}

site_figures() {
  # 3. Every figure of site $SITE's dashboard, one row per figure (section, panel, table,
  #    title, category, series, value, records_url), for Excel's or Power BI's web connector:
  #    figures.csv is the same rows as figures/ in JSON. ?start= and ?end= keep the figures to
  #    a date range; ?section= to one section of the dashboard.
  : "${SITE:?Set SITE to the id of a case site (see /api/v1/sites/).}"
  curl --fail-with-body --silent --show-error -H "$AUTH" \
    "$API/sites/$SITE/figures.csv?start=${START:-2016-01-01}&end=${END:-$(date +%F)}" \
    -o "${OUT:-site-$SITE-figures.csv}"
  echo "Saved ${OUT:-site-$SITE-figures.csv}: $(wc -l <"${OUT:-site-$SITE-figures.csv}") lines."
}

case "${1:-all}" in
  figures) site_figures ;;
  meeting) log_meeting ;;
  all) log_meeting && site_figures ;;
  *) echo "usage: $0 [all|meeting|figures]" >&2; exit 2 ;;
esac
