import datetime as dt

from django.db import models


class Level(models.TextChoices):
    STRATEGIC = "strategic", "Strategic"
    MANAGEMENT = "management", "Management"
    OPERATIONAL = "operational", "Operational"
    FRONTLINE = "frontline", "Frontline"


class OccupationCategory(models.IntegerChoices):
    """ONS SOC 2010 major groups, as used in the working paper."""

    MANAGERS = 1, "1 Managers, directors and senior officials"
    PROFESSIONAL = 2, "2 Professional occupations"
    ASSOCIATE_PROFESSIONAL = 3, "3 Associate professional and technical occupations"
    ADMINISTRATIVE = 4, "4 Administrative and secretarial occupations"
    SKILLED_TRADES = 5, "5 Skilled trades occupations"
    CARING = 6, "6 Caring, leisure and other service occupations"
    SALES = 7, "7 Sales and customer service occupations"
    OPERATIVES = 8, "8 Process, plant and machine operatives"
    ELEMENTARY = 9, "9 Elementary occupations"


class ResearchExperience(models.TextChoices):
    NONE = "none", "None"
    SOME = "some", "Some"
    DEGREE = "degree", "Degree-level"
    RESEARCH_DEGREE = "research_degree", "Research degree"


class ConsentUse(models.TextChoices):
    FIRST_ORDER = "first_order", "First-order data"
    SECOND_ORDER = "second_order", "Second-order data"
    MEDIA = "media", "Media (photographs, recordings)"
    NAMED = "named", "Named in reports"


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", "Signed form"
    ELECTRONIC = "electronic", "Email or online form"
    VERBAL = "verbal", "Verbal, recorded by a researcher"


class GroupKind(models.TextChoices):
    CAR_INQUIRY = "car_inquiry", "Formal CAR inquiry group"
    OPPORTUNISTIC = "opportunistic", "Opportunistic inquiry"
    CAR_RELATED = "car_related", "CAR-related group"
    STRATEGY = "strategy", "Strategy group"
    COMPLEMENTARY_STUDY = "complementary_study", "Complementary study"
    SCOPING = "scoping", "Scoping"


class GroupStatus(models.TextChoices):
    SCOPING = "scoping", "Scoping"
    FORMING = "forming", "Forming"
    ACTIVE = "active", "Active"
    RE_FORMING = "re_forming", "Re-forming"
    DORMANT = "dormant", "Dormant"
    CONCLUDED = "concluded", "Concluded"
    DISCONTINUED = "discontinued", "Discontinued"


# Gone quiet: a group expected to meet (a concluded or dormant group is quiet by design) that has
# had no activity for six weeks. "My work" and the partnership health of a dashboard both flag it.
EXPECTED_TO_MEET = (GroupStatus.FORMING, GroupStatus.ACTIVE, GroupStatus.RE_FORMING)
QUIET_AFTER = dt.timedelta(weeks=6)


class Approach(models.TextChoices):
    PRACTITIONER_LED = "practitioner_led", "Practitioner-led"
    RESEARCHER_LED = "researcher_led", "Researcher-led"
    PARTICIPATORY = "participatory", "Participatory"


class FacilitationRole(models.TextChoices):
    """What a researcher-facilitator is to a group."""

    FACILITATOR = "facilitator", "Facilitator"
    BROKER = "broker", "Broker"
    ADVOCATE = "advocate", "Advocate"
    SUPERVISOR = "supervisor", "Supervisor"
    ANIMATOR = "animator", "Animator"
    REPORT_WRITER = "report_writer", "Report-writer"
    EXPERT = "expert", "Expert"


class GroupFigureKind(models.TextChoices):
    """What a group's published figure counts."""

    MEMBERS = "members", "Members or participants"
    CONSULTEES = "consultees", "Consultees"
    MEETINGS = "meetings", "Meetings"


class MembershipRole(models.TextChoices):
    CORE = "core", "Core"
    PERIPHERY = "periphery", "Periphery"
    CONSULTEE = "consultee", "Consultee"
    LEAD = "lead", "Lead"
    RESEARCHER_FACILITATOR = "researcher_facilitator", "Researcher-facilitator"
    EXPERT = "expert", "Expert"


class LeaveReason(models.TextChoices):
    ROLE_CHANGE = "role_change", "Role change"
    RESTRUCTURE = "restructure", "Restructure"
    LEFT_ORGANISATION = "left_organisation", "Left organisation"
    CAPACITY = "capacity", "Capacity"
    OTHER = "other", "Other"


class Phase(models.TextChoices):
    """The five steps of the CAR cycle."""

    REFLECT = "reflect", "Reflect on practice"
    EXPLORE = "explore", "Explore evidence"
    LEARN = "learn", "Learn from evidence"
    ENACT = "enact", "Enact change"
    SHARE = "share", "Share learning"


class ActivityKind(models.TextChoices):
    GROUP_MEETING = "group_meeting", "Group meeting"
    STUDY_VISIT = "study_visit", "Study visit"
    DATA_ANALYSIS = "data_analysis", "Data analysis session"
    INTERVIEW = "interview", "Interview"
    FOCUS_GROUP = "focus_group", "Focus group"
    TRAINING = "training", "Training session"
    WORKSHOP = "workshop", "Workshop"
    DEVELOPMENT_DAY = "development_day", "Development day"
    LEARNING_DAY = "learning_day", "Learning day"
    ONE_TO_ONE = "one_to_one", "One-to-one"
    EMAIL = "email", "Email"
    PHONE_CALL = "phone_call", "Phone call"
    JOB_SHADOWING = "job_shadowing", "Job shadowing"
    DRIVE_AROUND = "drive_around", "Drive-around"
    PLC_SESSION = "plc_session", "PLC session"
    OTHER = "other", "Other"


BACKSTAGE_KINDS = (ActivityKind.ONE_TO_ONE, ActivityKind.EMAIL, ActivityKind.PHONE_CALL)


class ContactDirection(models.TextChoices):
    INCOMING = "incoming", "Incoming"
    OUTGOING = "outgoing", "Outgoing"


class ResearcherRole(models.TextChoices):
    """Roles a researcher exercises in an activity (the working paper's list)."""

    STAKEHOLDER_MANAGEMENT = "stakeholder_management", "Stakeholder management"
    RESEARCH_TRAINING = "research_training", "Research training"
    COLLEGIAL_SUPPORT = "collegial_support", "Collegial support"
    EVENT_ORGANISING = "event_organising", "Event organising"
    MEETING_FACILITATION = "meeting_facilitation", "Meeting facilitation"
    GROUP_DYNAMICS = "group_dynamics", "Managing group dynamics"
    NETWORKING = "networking", "Networking"
    KNOWLEDGE_BROKERAGE = "knowledge_brokerage", "Knowledge brokerage"
    REPORT_WRITING = "report_writing", "Report writing"
    FIRST_ORDER_SUPPORT = "first_order_support", "Supporting first-order research"
    SECOND_ORDER_RESEARCH = "second_order_research", "Second-order research"
