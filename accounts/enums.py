from django.db import models


class RoleKind(models.TextChoices):
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    RESEARCHER = "researcher", "Researcher"
    STRATEGY_LEAD = "strategy_lead", "Strategy lead"
