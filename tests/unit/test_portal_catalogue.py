"""Every message of the portal is translated into Simplified Chinese (none fuzzy or empty)."""

from pathlib import Path

import meridian_portal
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PACKAGE = Path(meridian_portal.__file__).parent
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]


def _catalogue(locale: str):
    path = PACKAGE / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def test_the_catalogue_holds_every_message_in_the_code():
    catalogue = _catalogue("zh_Hans")
    in_code = {message[2] if isinstance(message[2], str) else message[2][0]
               for message in extract_from_dir(str(PACKAGE), METHODS)}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    assert in_code - known == set(), "run portal/extract-messages.sh and translate"


def test_every_chinese_message_is_translated():
    catalogue = _catalogue("zh_Hans")
    untranslated = [m.id for m in catalogue if m.id and (
        m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))]
    assert untranslated == []
