"""Pages read back from the warehouse's ocr.json (written by `PageText.to_json`)."""
from __future__ import annotations

from .codes import Code
from .model import PageText, Word


def page_text(data: dict) -> PageText:
    """A stored page as the typed page it was, for fields read again after the page tools."""
    words = [Word(w["text"], *w["box"], conf=w["conf"], block=w.get("block", 0), par=w.get("par", 0),
                  line=w.get("line", 0)) for w in data.get("words", [])]
    return PageText(index=data["page"] - 1, width=data["width"], height=data["height"], dpi=data["dpi"],
                    source=data["source"], orientation=data.get("orientation", 0), skew=data.get("skew", 0.0),
                    words=words, codes=[Code(c["kind"], c["text"], c["box"]) for c in data.get("codes", [])])
