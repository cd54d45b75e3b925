"""Organisations, themes and areas as they are written into signed or frozen records.

A signed promise names its parties, themes and areas as they were at signing;
these small frozen types are that record. ``*_data()`` turns a live row into
plain JSON data for a snapshot; the pydantic types read it back, validated.
"""

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Base for frozen records: immutable, and unknown keys are an error, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class OrgRef(Frozen):
    id: int | None = None
    kind: str
    name: str
    municipality_code: str | None = None

    @property
    def is_police(self) -> bool:
        return self.kind == "lokalpolisomrade"

    @property
    def is_municipality(self) -> bool:
        return self.kind == "kommun"


class ThemeRef(Frozen):
    slug: str = ""
    name: str


class AreaRef(Frozen):
    id: int | None = None
    name: str
    kind: str = ""


def org_data(org) -> dict | None:
    if org is None:
        return None
    return {
        "id": org.pk,
        "kind": org.kind,
        "name": org.display_name,
        "municipality_code": org.municipality_code,
    }


def theme_data(theme) -> dict | None:
    if theme is None:
        return None
    return {"slug": theme.slug, "name": theme.name}


def area_data(area) -> dict:
    return {"id": area.pk, "name": area.name, "kind": area.kind}
