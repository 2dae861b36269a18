"""Use cases of a user's preferences: read (recording the token), change, one-click unsubscribe."""

from __future__ import annotations

from dataclasses import replace

from ..domain.preferences import NotificationPreferences, apply_changes, defaults_for
from ..domain.unsubscribe import token_holder, unsubscribe_token
from .errors import NotFound, StaleVersion
from .ports import Clock, Identity, PreferencesRepo, ReplanRequests

# Concurrent changes of one user's preferences retry on the newest version this often.
_RETRIES = 5


class PreferencesService:
    """Reads and changes preferences; the token's address, name and locale are recorded.

    With `replans`, a change of reminder offsets asks the worker to plan that user's
    reminders anew (the worker alone writes reminder jobs).
    """

    def __init__(self, repo: PreferencesRepo, secret: str, replans: ReplanRequests | None = None,
                 clock: Clock | None = None):
        self.repo = repo
        self.secret = secret
        if replans is not None and clock is None:
            raise ValueError("re-planning reminders needs a clock to stamp its requests")
        self.replans = replans
        self.clock = clock

    def _with_token(self, prefs: NotificationPreferences) -> NotificationPreferences:
        return replace(prefs, unsubscribe_token=unsubscribe_token(prefs.user_id, self.secret))

    def _current(self, user_id: str, identity: Identity | None = None) -> NotificationPreferences:
        stored = self.repo.get(user_id)
        if stored is None:
            stored = defaults_for(user_id, locale=identity and identity.locale,
                                  timezone=identity and identity.timezone)
        return stored

    def view(self, identity: Identity) -> NotificationPreferences:
        """The caller's preferences, after recording what their token says."""
        self.repo.record_identity(identity)
        return self._with_token(self._current(identity.user_id, identity))

    def of(self, user_id: str) -> NotificationPreferences:
        """Any user's preferences (defaults for users never seen), with their token."""
        return self._with_token(self._current(user_id))

    def change(self, identity: Identity, changes: dict) -> NotificationPreferences:
        """Validate and store `changes` (InvalidPreferences stores nothing)."""
        self.repo.record_identity(identity)
        for _ in range(_RETRIES):
            current = self._current(identity.user_id, identity)
            updated = apply_changes(current, changes)
            if self.replans is not None and \
                    updated.reminders_minutes != current.reminders_minutes:
                # Asked before the change is stored: a crash in between leaves a request the
                # worker carries out on the preferences it finds, never a change it missed.
                self.replans.request(updated.user_id, current.version + 1, self.clock.now())
            try:
                return self._with_token(self.repo.save(updated))
            except StaleVersion:
                continue
        raise StaleVersion(identity.user_id)

    def holder(self, token: str) -> str:
        """The user an unsubscribe token belongs to; NotFound for any other string."""
        user_id = token_holder(token, self.secret)
        if user_id is None:
            raise NotFound("unsubscribe token")
        return user_id

    def unsubscribe(self, token: str) -> NotificationPreferences:
        """Turn the token holder's e-mail channel off (idempotent)."""
        user_id = self.holder(token)
        for _ in range(_RETRIES):
            current = self._current(user_id)
            if not current.channels.email and current.version:
                return self._with_token(current)
            off = replace(current.channels, email=False)
            try:
                return self._with_token(self.repo.save(replace(current, channels=off)))
            except StaleVersion:
                continue
        raise StaleVersion(user_id)
