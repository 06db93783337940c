"""Loading the outputs, evidence, events (with head counts and feedback) and changes."""

from car_programme.words import shortened
from events.enums import QuestionKind
from events.models import AttendanceCount, Event, FeedbackForm, FeedbackQuestion
from evidence.models import Change, EvidenceItem, Output
from programme_data.loading.base import ProgrammeLoad, coarsest, source_date, upsert


class RecordLoading(ProgrammeLoad):
    def _outputs(self):
        for data in self.data.get("outputs", []):
            published, precision = source_date(data.get("published_on"))
            output = upsert(
                Output,
                lookup={"programme": self.programme, "title": data["title"]},
                values={
                    "kind": data["kind"],
                    "form": data.get("form") or "formal",
                    # No status in the source: unknown, not published.
                    "status": data.get("status") or "",
                    "published_on": published,
                    "date_precision": precision,
                    "url": data.get("url") or "",
                    "description": data.get("description") or "",
                },
                links={
                    "groups": [self.groups[key] for key in data.get("groups") or []],
                    "sites": [self.sites[key] for key in data.get("sites") or []],
                    "author_users": [self.users[key] for key in data.get("authors") or []],
                    "themes": self._theme_list(data.get("themes")),
                },
            )
            self.outputs[data["key"]] = output

    def _evidence(self):
        for data in self.data.get("evidence", []):
            collected, _ = source_date(data.get("collected_on"))
            item = upsert(
                EvidenceItem,
                lookup={"programme": self.programme, "title": data["title"]},
                values={
                    "kind": data["kind"],
                    "order": data["order"],
                    "authorship": data["authorship"],
                    "use": data.get("use") or "",
                    "data_source_row": data.get("data_source_row"),
                    "source": data.get("source") or "",
                    "group": self.groups.get(data.get("group") or ""),
                    "collected_on": collected,
                    "description": data.get("description") or "",
                },
                links={
                    "sites": [self.sites[key] for key in data.get("sites") or []],
                    "themes": self._theme_list(data.get("themes")),
                },
            )
            self.evidence[data["key"]] = item

    def _events(self):
        for data in self.data.get("events", []):
            start, start_precision = source_date(data["start"])
            end, end_precision = source_date(data.get("end"), end=True)
            if end == start:
                end = None
            report = self.outputs.get(data.get("report_output") or "")
            event = upsert(
                Event,
                lookup={"programme": self.programme, "title": data["title"], "start_date": start},
                values={
                    "kind": data["kind"],
                    "end_date": end,
                    "date_precision": coarsest(start_precision, end_precision)
                    if end
                    else start_precision,
                    "location": data.get("location") or "",
                    "organiser": data.get("organiser") or "",
                    "purpose": data.get("purpose") or "",
                    "summary": "\n".join(f"- {line}" for line in data.get("summary") or []),
                    "date_note": data.get("date_note") or "",
                    "report": report,
                },
                links={
                    "sites": [self.sites[key] for key in data.get("sites") or []],
                    "organisations": [
                        self.organisations[key] for key in data.get("organisations") or []
                    ],
                    "groups": [self.groups[key] for key in data.get("groups") or []],
                    "themes": self._theme_list(data.get("themes")),
                },
            )
            if data.get("key"):
                self.events[data["key"]] = event
            self._attendance_counts(event, data)
            if data.get("feedback"):
                self._feedback(event, data["feedback"])

    def _attendance_counts(self, event: Event, data: dict):
        approximate = bool(data.get("attendance_approximate"))
        if data.get("attendance_total"):
            upsert(
                AttendanceCount,
                lookup={"event": event, "organisation": None, "site": None},
                values={"count": data["attendance_total"], "approximate": approximate},
            )
        for row in data.get("attendance_by_organisation") or []:
            upsert(
                AttendanceCount,
                lookup={"event": event, "organisation": self.organisations[row["organisation"]]},
                values={"count": row["count"], "approximate": approximate},
            )
        for row in data.get("attendance_by_site") or []:
            upsert(
                AttendanceCount,
                lookup={"event": event, "site": self.sites[row["site"]]},
                values={"count": row["count"], "approximate": approximate},
            )

    def _feedback(self, event: Event, feedback: dict):
        form = upsert(
            FeedbackForm,
            lookup={
                "event": event,
                "title": shortened(
                    f"Evaluation of {event.title}", FeedbackForm._meta.get_field("title").max_length
                ),
            },
            values={
                "is_open": False,
                "published_summary": _comment_summary(feedback.get("comment_summaries") or {}),
            },
        )
        position = 0
        for statement in feedback.get("statements") or []:
            share_min, share_max = _share_range(statement)
            upsert(
                FeedbackQuestion,
                lookup={"form": form, "text": statement["text"]},
                values={
                    "position": position,
                    "kind": QuestionKind.LIKERT,
                    "published_share_min": share_min,
                    "published_share_max": share_max,
                },
            )
            position += 1
        for text in feedback.get("free_text") or []:
            upsert(
                FeedbackQuestion,
                lookup={"form": form, "text": text},
                values={"position": position, "kind": QuestionKind.FREE_TEXT},
            )
            position += 1

    def _changes(self):
        for data in self.data.get("changes", []):
            date, precision = source_date(data.get("date"))
            change = upsert(
                Change,
                lookup={
                    "programme": self.programme,
                    "title": data.get("title") or _headline(data["description"]),
                },
                values={
                    "description": data["description"],
                    "type": data["type"],
                    "level": data["level"],
                    "date": date,
                    "date_precision": precision,
                    "group": self.groups.get(data.get("group") or ""),
                },
                links={
                    "sites": [self.sites[key] for key in data.get("sites") or []],
                    "evidence": [self.evidence[key] for key in data.get("evidence") or []],
                    "outputs": [self.outputs[key] for key in data.get("outputs") or []],
                    "themes": self._theme_list(data.get("themes")),
                },
            )
            if data.get("key"):
                self.changes[data["key"]] = change


def _share_range(statement: dict) -> tuple[int | None, int | None]:
    """A published share as whole percentages: one value, or a range ("75% to 85%")."""
    if statement.get("share_4_or_5") is not None:
        share = round(float(statement["share_4_or_5"]) * 100)
        return share, share
    low, high = statement.get("share_4_or_5_min"), statement.get("share_4_or_5_max")
    if low is None or high is None:
        return None, None
    return round(float(low) * 100), round(float(high) * 100)


def _comment_summary(summaries: dict) -> str:
    """Published comment themes, by heading, as Markdown."""
    sections = []
    for heading, lines in summaries.items():
        items = "\n".join(f"- {line}" for line in lines)
        sections.append(f"{heading.replace('_', ' ').capitalize()}:\n{items}")
    return "\n\n".join(sections)


def _headline(description: str) -> str:
    first_sentence = description.split(". ")[0].strip()
    return shortened(first_sentence, Change._meta.get_field("title").max_length)
