from django.db import models


class ReportKind(models.TextChoices):
    GROUP_LEARNING = "group_learning", "Group learning report"
    SITE = "site", "Site report"
    END_OF_PROGRAMME = "end_of_programme", "End-of-programme report"
    EVENT = "event", "Event report"
    HANDOVER_PACK = "handover_pack", "Handover pack"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ProgressStep(models.TextChoices):
    GATHERING = "gathering", "Gathering data"
    CHARTS = "charts", "Drawing charts"
    LAYOUT = "layout", "Laying out pages"
