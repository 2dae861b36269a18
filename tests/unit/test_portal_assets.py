"""Static assets: layout in logical CSS properties (dir="rtl" mirrors it); no inline script."""

import re
from pathlib import Path

import meridian_portal

PACKAGE = Path(meridian_portal.__file__).parent
PHYSICAL = re.compile(r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:"
                      r"|text-align:\s*(left|right)|float:\s*(left|right)")


def test_the_stylesheet_uses_only_logical_directions():
    assert PHYSICAL.search("p { margin-left: 0 }") and PHYSICAL.search("a { right: 0 }")
    assert not PHYSICAL.search("p { margin-inline-start: 0; inset-inline-end: 0 }")
    css = (PACKAGE / "static" / "portal.css").read_text()
    assert PHYSICAL.findall(css) == []


def test_templates_have_no_inline_script_or_style_or_handlers():
    for template in (PACKAGE / "templates").glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert "<style" not in text and " style=" not in text, template.name
        assert not re.search(r"\son[a-z]+=", text), template.name
