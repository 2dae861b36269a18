"""The languages Meridian speaks (portal catalogues, notification templates), as BCP 47 tags."""

DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "zh-Hans")
