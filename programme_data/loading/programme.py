"""Loading the programme, its published figures, its themes and its named people."""

from django.utils.text import slugify

from accounts.models import User
from programme_data.loading.base import ProgrammeLoad, published_values, source_date, upsert
from sites.models import Programme, ProgrammeFigure, Theme


class ProgrammeLoading(ProgrammeLoad):
    def _programme(self):
        data = self.data["programme"]
        start, _ = source_date(data.get("start"))
        end, _ = source_date(data.get("end"), end=True)
        self.programme = upsert(
            Programme,
            lookup={"slug": data["slug"]},
            values={
                "name": data["name"],
                "start_date": start,
                "end_date": end,
                "description": data.get("description") or "",
                "funders": data.get("funders") or "",
                **_learning_community(data.get("plc") or {}),
            },
        )
        for position, figure in enumerate(data.get("figures") or []):
            upsert(
                ProgrammeFigure,
                lookup={"programme": self.programme, "label": figure["label"]},
                values={"position": position, **published_values(figure)},
            )

    def _themes(self):
        for framework in self.data.get("frameworks", []):
            for position, theme_data in enumerate(framework["themes"]):
                theme = upsert(
                    Theme,
                    lookup={
                        "programme": self.programme,
                        "framework": framework["name"],
                        "name": theme_data["name"],
                    },
                    values={
                        "description": theme_data.get("description") or "",
                        "position": position,
                    },
                )
                self.themes.setdefault(theme.name.casefold(), []).append(theme)
                self.themes[f"{framework['name']}: {theme.name}".casefold()] = [theme]

    def _people(self):
        for person in self.data.get("people", []):
            username = slugify(person["key"]).replace("-", "_")[:150]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, full_name=person["name"])
                # Named researchers and directors are records, not demo logins.
                user.set_unusable_password()
                user.save()
            else:
                upsert(User, lookup={"pk": user.pk}, values={"full_name": person["name"]})
            self.users[person["key"]] = user


def _learning_community(community: dict) -> dict:
    """The programme's learning community of researchers (the PLC), as the source gives it."""
    start, precision = source_date(community.get("start"))
    return {
        "learning_community_name": community.get("name") or "",
        "learning_community_description": community.get("description") or "",
        "learning_community_start": start,
        "learning_community_start_precision": precision,
    }
