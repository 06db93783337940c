"""The inquiries app's models, one module per subject, all importable from here."""

from inquiries.models.activities import (
    NEWEST_FIRST,
    Activity,
    ActivityMonth,
    ActivityResearcherRole,
    Attachment,
    Attendance,
    CoAttendance,
    CoAttendanceTotal,
    ResearcherRoleMonth,
)
from inquiries.models.groups import (
    GROUP_FIGURE_FIELDS,
    Cycle,
    Facilitation,
    GroupFigure,
    GroupStatusChange,
    InquiryGroup,
    Membership,
    ResearchQuestion,
)
from inquiries.models.people import (
    Consent,
    GroupOrganisationCount,
    GroupTurnover,
    PeopleCount,
    Person,
)

__all__ = [
    "GROUP_FIGURE_FIELDS",
    "NEWEST_FIRST",
    "Activity",
    "ActivityMonth",
    "ActivityResearcherRole",
    "Attachment",
    "Attendance",
    "CoAttendance",
    "CoAttendanceTotal",
    "Consent",
    "Cycle",
    "Facilitation",
    "GroupFigure",
    "GroupOrganisationCount",
    "GroupStatusChange",
    "GroupTurnover",
    "InquiryGroup",
    "Membership",
    "PeopleCount",
    "Person",
    "ResearchQuestion",
    "ResearcherRoleMonth",
]
