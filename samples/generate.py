"""Makes sample scans with their ground truth, from our own texts and Debian's fonts.

    python -m samples.generate                      # the three demo samples in samples/
    python -m samples.generate --corpus DIR [--pages-per-level 6] [--seed N]
    python -m samples.generate --fields DIR [--pages-per-level 6] [--seed N]
    python -m samples.generate --batches DIR [--count 12] [--seed N] [--fonts ...]

`--corpus` writes benchmark pages in the format of ../shared/corpus/ocr/ (NAME.png|jpg, NAME.txt
body truth one line per rendered line, NAME.json with fields, header, footer, level, degradation),
with other fonts and other texts than that corpus, so the benchmark can show we did not tune to it.

`--fields` writes, per level, that many of each kind of paper for the field benchmark: administrative
documents, specimen CCCD cards with a readable QR and with the QR covered, birth certificates and
applications ('other'); NAME.json holds `kind` and the `fields` expected.

`--batches` writes dossiers fed through the scanner in one pass (samples/batch.py): batchNNN.pdf of
5 to 40 pages, every other one with separator sheets, and batchNNN.json with each paper's pages.
"""
from __future__ import annotations

import argparse
import io
import json
import random
from pathlib import Path

from PIL import Image

from . import application_form, batch, birth_certificate, cccd_card, degrade, identity
from .admin_page import FONT_FILES, AdminPage, render

DEMO = [  # name, format, level, font, damage forced on top of the level's random one
    ("sample-01-quyet-dinh", "png", 0, "liberation-serif", {}),
    ("sample-02-cong-van", "jpg", 1, "dejavu-serif", {}),
    ("sample-03-ke-hoach", "tif", 2, "noto-serif", {"flip180": True}),  # scanned upside down
]


DEMO_PAPERS = [  # name, format, kind, level: papers of the other kinds, for the demo
    ("sample-04-cccd", "jpg", "cccd", 1),
    ("sample-05-giay-khai-sinh", "png", "birth", 0),
]


def make_page(rng: random.Random, level: int, font_family: str,
              damage: dict | None = None) -> tuple[Image.Image, dict]:
    """A degraded administrative page and its truth (corpus JSON keys plus `body_lines`)."""
    d = damage or degrade.degradation_for(level, rng)
    page = AdminPage.random(rng, font_family)
    img, truth = render(page, d["dpi"])
    seal_at = truth.pop("seal_at")
    if d["seal"]:
        img = degrade.stamp_seal(img, seal_at, d["dpi"], f"UBND TỈNH {page.place.upper()}")
    img = degrade.apply(img, d, rng, colour=level >= 3)
    truth.update(level=level, degradation=d, dpi=d["dpi"])
    return img, truth


def save_image(img: Image.Image, path: Path, dpi: int, jpeg: int | None) -> None:
    """`dpi` is what the file claims: a phone photo says 72 whatever the paper's real scale."""
    if path.suffix == ".jpg":
        img.save(path, quality=jpeg or 85, dpi=(dpi, dpi))
    else:
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(dpi, dpi), optimize=True)
        path.write_bytes(buf.getvalue())


def write_truth(stem: Path, truth: dict) -> None:
    body = truth.pop("body_lines")
    stem.with_suffix(".txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


SCANNER_LEVELS = (0, 1, 2, 3)  # the corpus's levels; 4 a worn photocopy, 5 a phone photo (samples/degrade.py)


def write_corpus(out: Path, pages_per_level: int, seed: int, levels: tuple[int, ...] = SCANNER_LEVELS,
                 fonts: list[str] | None = None) -> list[Path]:
    rng = random.Random(seed)
    fonts = fonts or sorted(FONT_FILES)
    written = []
    n = 0
    for level in levels:
        if level == degrade.CARD_PHOTO:
            written += _card_photos(out, pages_per_level, rng, n)
            n += pages_per_level
            continue
        for _ in range(pages_per_level):
            img, truth = make_page(rng, level, fonts[n % len(fonts)])
            stem = out / f"gen{n:03d}-L{level}"
            image = stem.with_suffix(".png" if level == 0 else ".jpg")
            save_image(img, image, truth["degradation"].get("claimed_dpi", truth["dpi"]), truth["degradation"]["jpeg"])
            truth["image"] = image.name
            write_truth(stem, truth)
            written.append(image)
            n += 1
    return written


def _card_photos(out: Path, count: int, rng: random.Random, first: int) -> list[Path]:
    """`count` phone photos of id cards (L7), fronts and backs in turn, each with the text printed on
    it as the truth, in the corpus format."""
    written = []
    for n in range(first, first + count):
        if (n - first) % 2 == 0:
            person, model = identity.citizen(rng), rng.choice(["2021", "2024"])
            d = degradation_for_paper("cccd", degrade.PHOTO, rng)
            cards = cccd_card.printed_sides(person, model, d["dpi"], rng.choice(["noto-sans", "liberation-sans"]))
        side = cards[(n - first) % 2]
        damage = {**d, "photo": degrade.photo_damage(rng)["photo"]}
        img = degrade.apply(side.img, damage, rng, colour=True)
        stem = out / f"gen{n:03d}-L{degrade.CARD_PHOTO}"
        image = stem.with_suffix(".jpg")
        truth = {"kind": "cccd", "side": "front" if (n - first) % 2 == 0 else "back", "card_model": model,
                 "level": degrade.CARD_PHOTO, "degradation": damage, "dpi": d["dpi"], "image": image.name,
                 "body_lines": side.lines()}
        save_image(img, image, damage.get("claimed_dpi", d["dpi"]), damage["jpeg"])
        write_truth(stem, truth)
        written.append(image)
    return written


def make_paper(kind: str, rng: random.Random, level: int, font_family: str) -> tuple[list[Image.Image], dict]:
    """One degraded paper of a kind ('admin', 'cccd', 'cccd-covered', 'birth', 'other') and its truth:
    one page, or at level 5 (phone photos) a card's front and back photographed one by one."""
    d = degradation_for_paper(kind, level, rng)
    if kind.startswith("cccd") and level == degrade.PHOTO:
        person = identity.citizen(rng)
        model = rng.choice(["2021", "2024"])
        sides = cccd_card.sides(person, model, d["dpi"], rng.choice(["noto-sans", "liberation-sans"]),
                                qr_covered=kind == "cccd-covered")
        photos = [degrade.apply(side, {**d, "photo": degrade.photo_damage(rng)["photo"]}, rng, colour=True)
                  for side in sides]
        return photos, {"kind": "cccd", "fields": cccd_card.truth(person, model), "level": level, "degradation": d,
                        "card_model": model, "qr_covered": kind == "cccd-covered"}
    if kind == "admin":
        img, truth = make_page(rng, level, font_family, d)
        truth.pop("body_lines")
        return [img], {"kind": "admin", "fields": truth["fields"], "level": level, "degradation": d}
    if kind.startswith("cccd"):
        person = identity.citizen(rng)
        model = rng.choice(["2021", "2024"])
        img = cccd_card.render(person, model, d["dpi"], rng.choice(["noto-sans", "liberation-sans"]),
                               qr_covered=kind == "cccd-covered", rng=rng)
        fields = cccd_card.truth(person, model)
        extra = {"card_model": model, "qr_covered": kind == "cccd-covered"}
    elif kind == "birth":
        record = birth_certificate.BirthRecord.random(rng)
        img, seal_at = birth_certificate.render(record, d["dpi"], font_family)
        if d["seal"]:
            img = degrade.stamp_seal(img, seal_at, d["dpi"], f"UBND XÃ {record.commune.upper()}")
        fields, extra = record.truth(), {}
    else:
        title, pairs = application_form.random_pairs(rng)
        img = application_form.render(title, pairs, d["dpi"], font_family)
        fields, extra = {application_form.key(label): value for label, value in pairs}, {"title": title}
    img = degrade.apply(img, d, rng, colour=level >= 3)
    return [img], {"kind": kind.split("-")[0], "fields": fields, "level": level, "degradation": d, **extra}


def degradation_for_paper(kind: str, level: int, rng: random.Random) -> dict:
    d = degrade.degradation_for(level, rng)
    if kind.startswith("cccd"):
        d["seal"] = False  # a photocopied card carries no seal of its own
        if level == degrade.PHOTO:  # a card fills the phone's frame: 450-650 px per inch of card
            d["dpi"] = rng.randint(450, 650)
    if kind == "birth" and level == degrade.PHOTO:  # the certificate's own green security paper, photographed
        d["guilloche"] = degrade.security_damage(rng)["guilloche"]
    return d


PAPERS = ["admin", "cccd", "cccd-covered", "birth", "other"]


def write_fields(out: Path, per_level: int, seed: int, levels: tuple[int, ...] = SCANNER_LEVELS) -> list[Path]:
    rng = random.Random(seed)
    fonts = ["liberation-serif", "dejavu-serif", "noto-serif", "liberation-sans", "noto-sans"]
    written = []
    n = 0
    for level in levels:
        for _ in range(per_level):
            for kind in PAPERS:
                pages, truth = make_paper(kind, rng, level, fonts[n % len(fonts)])
                stem = out / f"{kind}{n:03d}-L{level}"
                d = truth["degradation"]
                if len(pages) > 1:  # photos of a card's two sides, sent as one PDF
                    image = stem.with_suffix(".pdf")
                    pages[0].save(image, save_all=True, append_images=pages[1:], resolution=72.0, quality=d["jpeg"])
                else:
                    image = stem.with_suffix(".png" if level == 0 else ".jpg")
                    save_image(pages[0], image, d.get("claimed_dpi", d["dpi"]), d["jpeg"])
                truth["image"] = image.name
                stem.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                     encoding="utf-8")
                written.append(image)
                n += 1
    return written


def write_batches(out: Path, count: int, seed: int, fonts: list[str] | None = None,
                  pages: tuple[int, int] = (5, 40)) -> list[Path]:
    rng = random.Random(seed)
    written = []
    for n in range(count):
        images, truth = batch.make_batch(rng, rng.randint(*pages), separators=n % 2 == 1, fonts=fonts)
        path = out / f"batch{n:03d}.pdf"
        batch.save_pdf(images, path)
        truth["image"] = path.name
        path.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


def write_demo(out: Path, seed: int) -> list[Path]:
    rng = random.Random(seed)
    written = []
    for name, fmt, level, font_family, forced in DEMO:
        img, truth = make_page(rng, level, font_family, {**degrade.degradation_for(level, rng), **forced})
        path = out / f"{name}.{fmt}"
        dpi = truth["dpi"]
        if fmt == "tif":  # two pages, as a scanner's multi-page TIFF
            second, truth2 = make_page(rng, 0, font_family)
            img.save(path, save_all=True, append_images=[second], compression="tiff_lzw", dpi=(dpi, dpi))
            truth["body_lines"] += ["\f"] + truth2["body_lines"]  # a form feed between pages, as `digitize ocr`
            truth["pages"] = 2
        else:
            save_image(img, path, dpi, truth["degradation"]["jpeg"])
        truth["image"] = path.name
        write_truth(out / name, truth)
        written.append(path)
    for name, fmt, kind, level in DEMO_PAPERS:
        (img,), truth = make_paper(kind, rng, level, "liberation-serif")
        path = out / f"{name}.{fmt}"
        save_image(img, path, truth["degradation"]["dpi"], truth["degradation"]["jpeg"])
        truth["image"] = path.name
        (out / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent, help="where the demo samples go")
    parser.add_argument("--corpus", type=Path, help="write benchmark pages in the corpus format here")
    parser.add_argument("--fields", type=Path, help="write papers of every kind for the field benchmark here")
    parser.add_argument("--batches", type=Path, help="write scanner batches of many papers (splitting benchmark) here")
    parser.add_argument("--count", type=int, default=12, help="batches to write")
    parser.add_argument("--max-pages", type=int, default=40, help="pages of the longest batch")
    parser.add_argument("--pages-per-level", type=int, default=6)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--levels", default="0,1,2,3",
                        help="corpus levels, e.g. 4 for worn photocopies, 5 for phone photos, 6 security paper, "
                             "7 phone photos of id cards, front and back (samples/degrade.py)")
    parser.add_argument("--fonts", help="comma-separated font families (default: all), e.g. for a held-out set")
    args = parser.parse_args()
    target = args.corpus or args.fields or args.batches or args.out
    target.mkdir(parents=True, exist_ok=True)
    levels = tuple(int(level) for level in args.levels.split(","))
    if args.corpus:
        fonts = args.fonts.split(",") if args.fonts else None
        paths = write_corpus(target, args.pages_per_level, args.seed, levels, fonts)
    elif args.batches:
        fonts = args.fonts.split(",") if args.fonts else None
        paths = write_batches(target, args.count, args.seed, fonts, (min(5, args.max_pages), args.max_pages))
    elif args.fields:
        paths = write_fields(target, args.pages_per_level, args.seed, levels)
    else:
        paths = write_demo(target, args.seed)
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()
