"""The people of a programme and their consents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from car_programme.buckets import bucket_index
from car_programme.constraints import check, ends_after_starts, unique
from car_programme.words import SORT_KEY_LENGTH, natural_key
from inquiries import enums


class Person(models.Model):
    """A participant in the work; not necessarily a user of the product."""

    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="people"
    )
    site = models.ForeignKey(
        "sites.CaseSite",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text="The case site the person mainly works in.",
    )
    name = models.CharField(max_length=200)
    pseudonym = models.CharField(
        max_length=60, help_text="Shown wherever the person has not consented to be named."
    )
    # What lists sort by (``natural_key``), kept with the texts by ``save``: a list sorts by
    # what its reader sees (``label_order``), the name or the pseudonym.
    name_sort = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, default="")
    pseudonym_sort = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, default="")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    organisation = models.ForeignKey(
        "sites.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    job_title = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=12, choices=enums.Level.choices, blank=True)
    occupation_category = models.PositiveSmallIntegerField(
        "occupation (SOC 2010 major group)",
        choices=enums.OccupationCategory.choices,
        null=True,
        blank=True,
    )
    research_experience = models.CharField(
        "prior research experience",
        max_length=16,
        choices=enums.ResearchExperience.choices,
        blank=True,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="Set when the person also signs in (a researcher, say).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            unique(
                "person_pseudonym_unique",
                ["programme", "pseudonym"],
                message="Someone in this programme already has this pseudonym.",
            ),
            check(
                "person_occupation_category_range",
                Q(occupation_category__isnull=True)
                | Q(occupation_category__gte=1, occupation_category__lte=9),
                message="The occupation category is a number from 1 to 9.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "site"], name="person_programme_site_idx"),
            models.Index(fields=["organisation"], name="person_organisation_idx"),
            # The people of one bucket of the people counts (PeopleCount).
            bucket_index("person_programme_bucket_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_sort, self.pseudonym_sort = natural_key(self.name), natural_key(self.pseudonym)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_sort", "pseudonym_sort"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("inquiries:person_detail", args=[self.pk])

    @property
    def label(self) -> str:
        """The name where the reader may see it (``name_visible``, annotated by the selectors
        from the rules), the pseudonym otherwise."""
        return self.name if getattr(self, "name_visible", False) else self.pseudonym


class Consent(models.Model):
    """A person's consent to one use of their data; withdrawing closes it, never deletes it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    use = models.CharField(max_length=16, choices=enums.ConsentUse.choices)
    given_on = models.DateField()
    method = models.CharField(max_length=12, choices=enums.ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "use", "-given_on"]
        constraints = [
            unique(
                "consent_one_current_per_use",
                ["person", "use"],
                condition=Q(withdrawn_on__isnull=True),
                message="This person already has a current consent for this use: record its "
                "withdrawal first.",
            ),
            ends_after_starts(
                "consent_withdrawn_after_given",
                "given_on",
                "withdrawn_on",
                message="Consent cannot be withdrawn before the date it was given.",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_use_display()}"


class PeopleCount(models.Model):
    """The people of a programme holding a membership, per value of one of their attributes
    (organisation, level, occupation, research experience), in one bucket of them
    (``car_programme.buckets``): what the whole programme's people figures sum, a row per bucket and
    value rather than per person. Kept by ``inquiries.people_counts``."""

    class Attribute(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        LEVEL = "level", "Level"
        OCCUPATION = "occupation", "Occupation"
        RESEARCH_EXPERIENCE = "research", "Research experience"

    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="+")
    bucket = models.PositiveSmallIntegerField()
    attribute = models.CharField(max_length=12, choices=Attribute.choices)
    # The attribute's value as text, empty where it is not recorded (no organisation); an
    # organisation's row names it by id and gives its sector.
    value = models.CharField(max_length=20, blank=True)
    sector = models.CharField(max_length=24, blank=True)
    people = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["programme", "attribute", "bucket"], name="people_count_idx")
        ]

    def __str__(self):
        return f"{self.attribute} {self.value!r} in bucket {self.bucket}: {self.people}"


class GroupOrganisationCount(models.Model):
    """The people of a group (holding a membership of it of any date) per organisation, none
    for the people without one, with its sector: what the organisational diversity of the
    groups sums, a row per group and organisation rather than per member. Kept by
    ``inquiries.people_counts``."""

    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("inquiries.InquiryGroup", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "sites.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    sector = models.CharField(max_length=24, blank=True)
    people = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["group"], name="group_organisation_count_idx")]

    def __str__(self):
        return f"group {self.group_id}, organisation {self.organisation_id}: {self.people}"


class GroupTurnover(models.Model):
    """The joinings and leavings of a group's memberships in one quarter (none: joinings of no
    known day), as ``inquiries.selectors.joinings`` and ``leavings`` take them: what the
    turnover figures sum with no date range, a row per group and quarter rather than per
    membership. Kept by ``inquiries.people_counts``."""

    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("inquiries.InquiryGroup", on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField(null=True)  # its first day
    joiners = models.PositiveIntegerField()
    leavers = models.PositiveIntegerField()
    core_leavers = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["group"], name="group_turnover_idx")]

    def __str__(self):
        return f"group {self.group_id} in {self.quarter}: +{self.joiners} -{self.leavers}"
