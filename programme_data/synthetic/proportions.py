"""How much of each thing a synthetic programme holds: counts a group or site, and the weights
of the draws, after the demo programme's proportions."""

from events.enums import EventKind
from evidence.enums import (
    Authorship,
    ChangeLevel,
    ChangeType,
    EvidenceKind,
    EvidenceOrder,
    EvidenceUse,
    OutputKind,
    OutputStatus,
    Sensitivity,
)
from inquiries.enums import (
    ActivityKind,
    ConsentUse,
    GroupKind,
    GroupStatus,
    LeaveReason,
    Level,
    ResearchExperience,
)

GROUPS_PER_SITE = (10, 14)
MEMBERS_PER_GROUP = (17, 23)
ACTIVITIES_PER_GROUP = (44, 56)
EVIDENCE_PER_GROUP = (90, 110)
OUTPUTS_PER_GROUP = (2, 6)
CHANGES_PER_GROUP = (1, 4)
EVENTS_PER_SITE = (4, 7)

GROUP_KINDS = {
    GroupKind.CAR_INQUIRY: 9,
    GroupKind.CAR_RELATED: 5,
    GroupKind.OPPORTUNISTIC: 4,
    GroupKind.SCOPING: 4,
    GroupKind.STRATEGY: 2,
    GroupKind.COMPLEMENTARY_STUDY: 2,
}
FINAL_STATUSES = {
    GroupStatus.CONCLUDED: 14,
    GroupStatus.ACTIVE: 4,
    GroupStatus.DISCONTINUED: 2,
    GroupStatus.DORMANT: 1,
    GroupStatus.RE_FORMING: 1,
}
LEAVE_REASONS = {
    LeaveReason.LEFT_ORGANISATION: 4,
    LeaveReason.CAPACITY: 4,
    LeaveReason.RESTRUCTURE: 2,
    LeaveReason.OTHER: 1,
}
MEETING_KINDS = {
    ActivityKind.GROUP_MEETING: 60,
    ActivityKind.WORKSHOP: 6,
    ActivityKind.DATA_ANALYSIS: 5,
    ActivityKind.INTERVIEW: 5,
    ActivityKind.FOCUS_GROUP: 3,
    ActivityKind.TRAINING: 3,
    ActivityKind.STUDY_VISIT: 2,
    ActivityKind.DEVELOPMENT_DAY: 1,
    ActivityKind.LEARNING_DAY: 1,
    ActivityKind.JOB_SHADOWING: 1,
    ActivityKind.PLC_SESSION: 1,
    ActivityKind.OTHER: 5,
}
TALLY_KINDS = {ActivityKind.EMAIL: 5, ActivityKind.PHONE_CALL: 3, ActivityKind.ONE_TO_ONE: 2}
TALLY_SHARE = 0.15
EVIDENCE_KINDS = {kind: 1 for kind in EvidenceKind} | {
    EvidenceKind.OTHER: 4,
    EvidenceKind.INTERVIEW: 3,
    EvidenceKind.EVIDENCE_REVIEW: 3,
    EvidenceKind.DESK_RESEARCH: 3,
    EvidenceKind.FIELDNOTES: 3,
    EvidenceKind.MINUTES: 3,
}
# Table A of the demo: (order, authorship) shares.
EVIDENCE_ORIGINS = {
    (EvidenceOrder.FIRST, Authorship.COLLABORATION): 18,
    (EvidenceOrder.FIRST, Authorship.PRACTITIONER): 2,
    (EvidenceOrder.FIRST, Authorship.RESEARCHER): 4,
    (EvidenceOrder.SECOND, Authorship.RESEARCHER): 10,
}
EVIDENCE_USES = {
    "": 4,
    EvidenceUse.INSTRUMENTAL: 3,
    EvidenceUse.CONCEPTUAL: 2,
    EvidenceUse.BOTH: 1,
}
SENSITIVITIES = {
    Sensitivity.PUBLIC: 2,
    Sensitivity.INTERNAL: 6,
    Sensitivity.RESTRICTED: 1,
    Sensitivity.PERSONAL: 1,
}
OUTPUT_KINDS = {
    OutputKind.RESEARCH_REPORT: 14,
    OutputKind.BLOG_POST: 10,
    OutputKind.ACADEMIC_PAPER: 4,
    OutputKind.CASE_STUDY: 4,
    OutputKind.OTHER: 4,
    OutputKind.BRIEFING: 2,
    OutputKind.EVENT_REPORT: 2,
    OutputKind.FILM: 2,
    OutputKind.HOW_TO_GUIDE: 2,
    OutputKind.PRESENTATION: 2,
    OutputKind.INFOGRAPHIC: 1,
    OutputKind.THEORY_OF_CHANGE: 1,
    OutputKind.TOOLKIT: 1,
    OutputKind.EVALUATION_FRAMEWORK: 1,
}
OUTPUT_STATUSES = {
    OutputStatus.PUBLISHED: 9,
    OutputStatus.DRAFT: 1,
    OutputStatus.CONSULTATION: 1,
}
CHANGE_TYPES = {
    ChangeType.SYSTEMS: 5,
    ChangeType.CHRISTIE_LEARNING: 4,
    ChangeType.PRACTICE: 4,
    ChangeType.RESEARCH_SKILLS: 4,
    ChangeType.RELATIONSHIPS: 3,
    ChangeType.POLICY: 1,
}
CHANGE_LEVELS = {
    ChangeLevel.PARTNERSHIP: 6,
    ChangeLevel.TEAM: 6,
    ChangeLevel.ORGANISATION: 3,
    ChangeLevel.NATIONAL: 3,
    ChangeLevel.INDIVIDUAL: 2,
    ChangeLevel.INTERNATIONAL: 1,
}
SITE_EVENT_KINDS = {
    EventKind.SEMINAR: 6,
    EventKind.WORKSHOP: 2,
    EventKind.HOME_RETREAT: 2,
    EventKind.TRAINING: 2,
    EventKind.OTHER: 3,
    EventKind.LEARNING_DAY: 1,
    EventKind.DEVELOPMENT_DAY: 1,
    EventKind.STUDY_VISIT: 1,
    EventKind.BOARD_PRESENTATION: 1,
}
LEVELS = {Level.STRATEGIC: 1, Level.MANAGEMENT: 3, Level.OPERATIONAL: 4, Level.FRONTLINE: 3}
OCCUPATIONS = {1: 3, 2: 6, 3: 5, 4: 2, 5: 1, 6: 3, 7: 1, 8: 1, 9: 1}
EXPERIENCE = {
    ResearchExperience.NONE: 4,
    ResearchExperience.SOME: 4,
    ResearchExperience.DEGREE: 2,
    ResearchExperience.RESEARCH_DEGREE: 1,
}
CONSENT_SHARES = {
    ConsentUse.FIRST_ORDER: 0.95,
    ConsentUse.SECOND_ORDER: 0.85,
    ConsentUse.MEDIA: 0.4,
    ConsentUse.NAMED: 0.35,
}
LIKERT_WEIGHTS = [1, 2, 7, 25, 20]
