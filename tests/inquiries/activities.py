"""Posting to the activity pages as the Fife researcher, and the files they keep."""

import os

from django.core.files.base import ContentFile
from django.urls import reverse

from inquiries.enums import ActivityKind, Phase, ResearcherRole
from inquiries.models import Attachment
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"


def researcher_posts(client, cast, name, data, **headers):
    """The Fife researcher posts ``data`` to the Fife group's page called ``name``."""
    client.force_login(cast.fife_researcher)
    return client.post(reverse(name, args=[cast.group.pk]), data, **headers)


def log_posts(client, cast, **overrides):
    """The Fife researcher logs an activity of the Fife group: ``log_data(**overrides)``."""
    return researcher_posts(client, cast, "inquiries:activity_create", log_data(**overrides))


def attendee_add_posts(client, cast, data, **headers):
    """The Fife researcher adds a person through the Fife group's attendance checklist."""
    return researcher_posts(client, cast, "inquiries:activity_attendee_add", data, **headers)


def log_data(**overrides):
    data = {
        "date": "2016-03-01",
        "kind": ActivityKind.GROUP_MEETING,
        "title": "Sanctions data session",
        "duration_minutes": "90",
        "cycle": "",
        "phase": Phase.EXPLORE,
        "researcher_roles": [ResearcherRole.MEETING_FACILITATION],
        "attendees": [],
        "notes": "",
    }
    data.update(overrides)
    return data


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [name for _, _, names in os.walk(root) for name in names] if root.exists() else []


def attachment_for(cast, content=PDF, name="minutes.pdf"):
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group, site=cast.fife)
    attachment = Attachment(activity=activity, original_name=name)
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment
