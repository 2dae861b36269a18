"""Mail addresses for the demo's personas, so the notifications they cause show in Mailpit.

Meridian learns a user's address, name and language from their token whenever they read their
notification preferences (the portal does at every sign-in); the loader does it once for each
persona before the enrollments, with dev tokens that carry those claims.
"""

from __future__ import annotations

from .client import Gateway

DOMAIN = "demo.meridian.test"
# (user id, role, name, locale, zone): the portal's dev sign-in personas and two classmates.
PEOPLE = (
    ("stu-changchun-001", "student", "Li Wei", "zh-Hans", "Asia/Shanghai"),
    ("stu-changchun-002", "student", "Wang Fang", "zh-Hans", "Asia/Shanghai"),
    ("stu-changchun-003", "student", "Zhang Min", "en", "Asia/Shanghai"),
    ("oxford-surg300-lead", "instructor", "Alice Hart", "en", "Europe/London"),
    ("oxford-surg300-ta-1", "instructor", "Tom Reid", "en", "Europe/London"),
    ("admin-changchun", "institution_admin", "Chen Jing", "zh-Hans", "Asia/Shanghai"),
)


def address(user_id: str) -> str:
    """The demo mailbox of a user."""
    return f"{user_id}@{DOMAIN}"


def register(api: Gateway) -> int:
    """Record each persona's address, name and locale with the notifications service."""
    for user_id, role, name, locale, zone in PEOPLE:
        token = api.call("POST", "/api/v1/auth/dev-token", {
            "sub": user_id, "roles": [role], "timezone": zone, "email": address(user_id),
            "name": name, "locale": locale})["access_token"]
        api.call("GET", "/api/v1/me/notification-preferences", token=token)
    return len(PEOPLE)
