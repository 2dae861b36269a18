"""Secret meeting rooms for sessions stored before each session got its own at scheduling."""

from __future__ import annotations

from ..domain.jitsi import new_room_name
from .classroom import Classroom
from .scheduling import WORKER_WAIT_SECONDS, offering_key


def assign_missing_rooms(app: Classroom) -> int:
    """Give every session without a room a random one (worker start); returns how many."""
    assigned = 0
    for offering_id in app.sessions.offerings_without_rooms():
        # Session documents are written under their offering's lease: take turns with the API.
        with app.lease.holding([offering_key(offering_id)], WORKER_WAIT_SECONDS):
            for session_id in app.sessions.without_room(offering_id):
                assigned += int(app.sessions.give_room(session_id, new_room_name()))
    return assigned
