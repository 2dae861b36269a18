"""Mail texts from Jinja templates and Babel catalogues (en, zh_Hans), with an English fallback.

A broken template, a missing catalogue or a missing translation never stops the worker: the
mail goes out in English (or, if even that fails, as a minimal plain notice) and it is logged.
"""

from __future__ import annotations

import gettext
import logging
from functools import lru_cache
from pathlib import Path

from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from ..application.delivery_ports import Links, Rendered
from ..domain import wording
from ..domain.kinds import DIGEST

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"
TRANSLATIONS = PACKAGE / "translations"
ENGLISH = "en"


class _LogMissing(gettext.NullTranslations):
    """Last in the fallback chain: a message the catalogue lacks stays English, and is logged."""

    def __init__(self, locale: str):
        super().__init__()
        self.locale = locale

    def gettext(self, message):
        log.warning("missing %s translation: %r", self.locale, message)
        return message

    def ngettext(self, singular, plural, n):
        log.warning("missing %s translation: %r", self.locale, singular)
        return singular if n == 1 else plural


def babel_name(locale: str) -> str:
    """The catalogue directory of a BCP 47 tag (`zh-Hans` → `zh_Hans`)."""
    return locale.replace("-", "_")


class TemplateRenderer:
    """The `Renderer` port: `render(kind, facts, name, locale, zone, links)` → `Rendered`."""

    def __init__(self, templates: Path = TEMPLATES, translations: Path = TRANSLATIONS):
        self.templates = templates
        self.translations = translations

    @lru_cache(maxsize=8)  # noqa: B019 - one renderer lives as long as the worker
    def _environment(self, locale: str) -> tuple[Environment, Environment,
                                                 gettext.NullTranslations]:
        catalogue = self._catalogue(locale)
        # Layouts drop the newline after block tags; bodies keep one paragraph per line.
        layouts, bodies = (Environment(
            loader=FileSystemLoader(str(self.templates)), extensions=["jinja2.ext.i18n"],
            trim_blocks=trim, lstrip_blocks=True, undefined=StrictUndefined,
            autoescape=select_autoescape(["html"])) for trim in (True, False))
        for env in (layouts, bodies):
            env.policies["ext.i18n.trimmed"] = True
            env.install_gettext_translations(catalogue, newstyle=True)
        return layouts, bodies, catalogue

    def _catalogue(self, locale: str) -> gettext.NullTranslations:
        if locale == ENGLISH:
            return gettext.NullTranslations()
        name = babel_name(locale)
        if not (self.translations / name / "LC_MESSAGES" / "messages.mo").exists():
            raise LookupError(f"no compiled catalogue for {name} under {self.translations}")
        catalogue = Translations.load(str(self.translations), [name])
        catalogue.add_fallback(_LogMissing(locale))
        return catalogue

    def render(self, kind: str, facts: dict, name: str, locale: str, zone: str,
               links: Links) -> Rendered:
        """The mail in `locale`, else in English, else a minimal plain notice (all logged)."""
        for attempt in dict.fromkeys((locale, ENGLISH)):
            try:
                return self._render(kind, facts, name, attempt, zone, links)
            except Exception:  # a template or catalogue fault must not stop the sender
                log.exception("rendering %s in %s failed; falling back", kind, attempt)
        return _plain(kind, facts, name, links)

    def _render(self, kind: str, facts: dict, name: str, locale: str, zone: str,
                links: Links) -> Rendered:
        env, bodies, catalogue = self._environment(locale)
        values = wording.variables(kind, facts, locale, zone)
        if kind == DIGEST:
            values["items"] = [_subject(catalogue, item["kind"], wording.variables(
                item["kind"], item["facts"], locale, zone)) for item in facts["items"]]
        body = bodies.get_template(f"mail/{kind}.txt").render(values)
        paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
        subject = _subject(catalogue, kind, values)
        common = {"name": name or "", "paragraphs": paragraphs, "subject": subject,
                  "lang": locale, "join_url": links.join_url, "settings_url": links.settings_url,
                  "unsubscribe_url": links.unsubscribe_url}
        text = env.get_template("mail/layout.txt").render(common)
        html = env.get_template("mail/layout.html").render(common)
        return Rendered(subject=subject, text=text, html=html, locale=locale)


def _subject(catalogue: gettext.NullTranslations, kind: str, values: dict) -> str:
    template = catalogue.gettext(wording.SUBJECTS[kind])
    return template % {k: ("" if v is None else v) for k, v in values.items()}


def _plain(kind: str, facts: dict, name: str, links: Links) -> Rendered:
    subject = f"Meridian: {kind.replace('_', ' ')} ({wording.course_label(facts)})"
    text = "\n\n".join(filter(None, [
        f"Hello {name or ''},", subject, links.join_url and f"Join: {links.join_url}",
        f"Unsubscribe: {links.unsubscribe_url}"]))
    return Rendered(subject=subject, text=text, html=f"<pre>{escape(text)}</pre>",
                    locale=ENGLISH)
