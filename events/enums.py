from django.db import models


class EventKind(models.TextChoices):
    NATIONAL_RETREAT = "national_retreat", "National event / retreat"
    HOME_RETREAT = "home_retreat", "Home retreat"
    LEARNING_DAY = "learning_day", "Learning day"
    DEVELOPMENT_DAY = "development_day", "Development day"
    SEMINAR = "seminar", "Seminar"
    WORKSHOP = "workshop", "Workshop"
    TRAINING = "training", "Training"
    STUDY_VISIT = "study_visit", "Study visit"
    BOARD_PRESENTATION = "board_presentation", "Board presentation"
    CONFERENCE_PRESENTATION = "conference_presentation", "Conference presentation"
    OTHER = "other", "Other"


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Statement scored 1 to 5"
    FREE_TEXT = "free_text", "Free-text question"
