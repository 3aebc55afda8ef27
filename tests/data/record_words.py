"""Records the word list the pipeline unit test replays (tests/test_pipeline.py).

    .venv/bin/python -m tests.data.record_words

It reads the page the test makes (sample-01 at 150 dpi) with real Tesseract, exactly as the
pipeline would (after orientation, deskew and cleanup), and stores the words beside this file.
Run it again whenever preparation changes how that page looks.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from common.runtime import limit_threads

HERE = Path(__file__).parent
SAMPLE = HERE.parents[1] / "samples" / "sample-01-quyet-dinh.png"
RECORDED = HERE / "sample-01-150dpi.words.json"
DPI = 150


def small_page() -> bytes:
    """sample-01 (300 dpi) halved, as PNG: a quarter of the pixels to prepare and encode."""
    image = Image.open(SAMPLE)
    image = image.resize((image.width // 2, image.height // 2), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


def main() -> None:
    from ocr import TesseractEngine, load_pages
    from ocr.prepare import prepare_page

    limit_threads()
    page = load_pages(small_page())[0]
    prepared = prepare_page(page, TesseractEngine())
    words = TesseractEngine().words(prepared.for_ocr, prepared.dpi)
    RECORDED.write_text(json.dumps({"words": [w.to_json() for w in words]}, ensure_ascii=False, indent=0) + "\n",
                        encoding="utf-8")
    print(f"{len(words)} words → {RECORDED}")


if __name__ == "__main__":
    main()
