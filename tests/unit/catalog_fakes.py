"""In-memory fakes of the catalog's ports: the same rules as the adapters, no I/O."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

from meridian_catalog.application.ports import CatalogPorts
from meridian_common.conflicts import Conflict


class FakeRepository:
    """Aggregates by id; `identity` names fields that must be unique together."""

    def __init__(self, identity: tuple[str, ...] = ()):
        self.rows: dict[str, object] = {}
        self.events: list[dict] = []
        self.identity = identity

    def get(self, identifier):
        return copy.deepcopy(self.rows.get(identifier))

    def add(self, aggregate, events):
        key = tuple(getattr(aggregate, f) for f in self.identity)
        clash = any(tuple(getattr(row, f) for f in self.identity) == key
                    for row in self.rows.values()) if self.identity else False
        if aggregate.id in self.rows or clash:
            raise Conflict("duplicate", "A resource with these identifying fields exists.")
        self.rows[aggregate.id] = copy.deepcopy(aggregate)
        self.events.extend(events)

    def update(self, aggregate, changes, events_for):
        stored = self.rows.get(aggregate.id)
        if stored is None or stored.version != aggregate.version:
            raise Conflict("concurrent_update", "Changed by someone else.")
        new = replace(aggregate, **changes, version=aggregate.version + 1,
                      updated_at=datetime.now(UTC))
        self.events.extend(events_for(new))
        self.rows[new.id] = copy.deepcopy(new)
        return new

    def types(self) -> list[str]:
        """The types of the events stored so far, in order."""
        return [e["type"] for e in self.events]


class FakeInstitutions(FakeRepository):
    def page(self, alliance, country, page, per_page):
        rows = sorted((r for r in self.rows.values()
                       if (alliance is None or alliance in r.alliances)
                       and (country is None or r.country == country)),
                      key=lambda r: (r.name, r.id))
        return rows[(page - 1) * per_page:page * per_page], len(rows)

    def existing(self, identifiers):
        return set(identifiers) & set(self.rows)

    def members_of(self, alliance):
        return {r.id for r in self.rows.values() if alliance in r.alliances}


class FakeCourses(FakeRepository):
    def __init__(self):
        super().__init__(identity=("provider_institution_id", "code"))
        self.refreshed: list[tuple[str, int]] = []

    def read(self, identifier):
        return self.get(identifier)

    def search(self, wanted, page, per_page):
        def fits(c):
            return (c.status == wanted.status and set(wanted.terms) <= set(c.search_terms)
                    and (wanted.language is None or wanted.language in c.languages)
                    and (wanted.discipline is None or c.discipline == wanted.discipline)
                    and (wanted.level is None or c.level == wanted.level)
                    and (wanted.provider_ids is None
                         or c.provider_institution_id in wanted.provider_ids))
        rows = sorted(filter(fits, self.rows.values()), key=lambda c: (c.title, c.id))
        return rows[(page - 1) * per_page:page * per_page], len(rows)

    def refresh_card(self, identifier, version):
        self.refreshed.append((identifier, version))
        return True

    def invited(self, user_id):
        return sorted((c for c in self.rows.values()
                       if any(m.user_id == user_id and m.status == "invited" for m in c.faculty)),
                      key=lambda c: (c.title, c.id))


class FakeOfferings(FakeRepository):
    def of_course(self, course_id, status, page=None, per_page=None):
        rows = sorted((o for o in self.rows.values() if o.course_id == course_id
                       and (status is None or o.status == status)),
                      key=lambda o: (o.starts_on, o.id))
        if page is None:
            return rows, len(rows)
        return rows[(page - 1) * per_page:page * per_page], len(rows)


class FakeSeats:
    """Newest version wins per enrollment, like meridian_common's apply_newest."""

    def __init__(self):
        self.rows: dict[str, dict] = {}
        self.tallies: dict[str, Counter] = {}
        self.recounts: list[list[str]] = []

    def record(self, enrollment_id, offering_id, status, version):
        stored = self.rows.get(enrollment_id)
        if stored is not None and stored["version"] >= version:
            return False
        self.rows[enrollment_id] = {"offering_id": offering_id, "status": status,
                                    "version": version}
        return True

    def _count_rows(self, offering_ids):
        counts = {oid: Counter() for oid in offering_ids}
        for row in self.rows.values():
            if row["offering_id"] in counts:
                counts[row["offering_id"]][row["status"]] += 1
        return counts

    def recount(self, offering_ids):
        self.recounts.append(list(offering_ids))
        self.tallies.update(self._count_rows(offering_ids))

    def counts(self, offering_ids):
        """Tallied offerings as last recounted (stale until the next recount), others live."""
        live = self._count_rows(offering_ids)
        return {oid: self.tallies.get(oid, live[oid]) for oid in offering_ids}


def fake_ports() -> CatalogPorts:
    """A fresh, empty catalog."""
    return CatalogPorts(institutions=FakeInstitutions(), courses=FakeCourses(),
                        offerings=FakeOfferings(), seats=FakeSeats())
