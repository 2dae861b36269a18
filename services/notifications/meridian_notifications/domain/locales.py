"""The languages Meridian writes notifications in, and how a user's tag maps onto them."""

from __future__ import annotations

from meridian_common.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES

__all__ = ["DEFAULT_LOCALE", "SUPPORTED_LOCALES", "canonical", "closest", "is_supported"]


def is_supported(tag: str) -> bool:
    """True when `tag` is exactly one of the supported locales (case-insensitive)."""
    return isinstance(tag, str) and tag.lower() in {s.lower() for s in SUPPORTED_LOCALES}


def canonical(tag: str) -> str:
    """The supported spelling of a supported tag (`zh-hans` → `zh-Hans`)."""
    for supported in SUPPORTED_LOCALES:
        if supported.lower() == tag.lower():
            return supported
    raise ValueError(f"unsupported locale: {tag!r}")


def closest(tag: str | None) -> str:
    """The supported locale nearest to any BCP 47 tag an identity provider sends."""
    if not tag:
        return DEFAULT_LOCALE
    if is_supported(tag):
        return canonical(tag)
    # Only the primary language decides: zh, zh-CN, zh-SG, zh-Hant-TW all read Chinese, and
    # Simplified is the only Chinese Meridian writes.
    primary = tag.replace("_", "-").split("-", 1)[0].lower()
    return "zh-Hans" if primary == "zh" else DEFAULT_LOCALE
