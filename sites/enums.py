from django.db import models


class Geography(models.TextChoices):
    URBAN = "urban", "Urban"
    RURAL = "rural", "Rural"
    REMOTE = "remote", "Remote"
    MIXED = "mixed", "Mixed"


class ProjectOutcome(models.TextChoices):
    TAKEN_FORWARD = "taken_forward", "Taken forward"
    MERGED = "merged", "Merged"
    DROPPED = "dropped", "Dropped"
    COMPLEMENTARY_STUDY = "complementary_study", "Became a complementary study"


class Sector(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NHS = "nhs", "NHS"
    POLICE = "police", "Police"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue"
    NATIONAL_AGENCY = "national_agency", "DWP / national agency"
    THIRD_SECTOR = "third_sector", "Third sector"
    COMMUNITY = "community", "Community"
    UNIVERSITY = "university", "University"
    PRIVATE = "private", "Private"
    OTHER = "other", "Other"


class Qualifier(models.TextChoices):
    """How a published figure is meant: exactly, roughly ("approx. 25"), as a floor ("25+",
    "more than 60") or as a rough floor ("approx. 50+")."""

    EXACT = "", "Exact"
    ABOUT = "about", "About"
    AT_LEAST = "at least", "At least"
    ABOUT_AT_LEAST = "about at least", "About, at least"
    MORE_THAN = "more than", "More than"


def qualified(value: int, qualifier: str) -> str:
    """A published figure as the product prints it: "12", "about 25", "25+", "about 50+" or
    "more than 60"."""
    number = f"{value:,}"
    if qualifier == Qualifier.AT_LEAST:
        return f"{number}+"
    if qualifier == Qualifier.ABOUT_AT_LEAST:
        return f"about {number}+"
    return f"{qualifier} {number}" if qualifier else number
