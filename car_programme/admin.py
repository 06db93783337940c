from django.contrib import admin
from django.contrib.auth.models import Group

# Access is decided by Role and the rule set, never by Django's permission groups, which would
# also be confused with inquiry groups.
admin.site.unregister(Group)
