"""A dossier fed through the scanner in one pass: papers of every kind in one PDF, with their truth.

Papers: administrative documents of one to three pages (later pages numbered as Decree 30 asks, or
"- 2 -", or "Trang 2/3"), birth certificates, applications, id cards photocopied on one A4 page or
as two pages (front, then back). Some papers are fed upside down, some sheets have a blank back,
and with `separators` the service's separator sheet lies between papers.
"""
from __future__ import annotations

import random

from PIL import Image

from digitize.sheets import separator_image

from . import (
    admin_page,
    application_form,
    birth_certificate,
    cccd_card,
    degrade,
    identity,
)

KINDS = ["admin", "birth", "other", "cccd", "cccd-2pages"]


def _scan(img: Image.Image, rng: random.Random, upside_down: bool) -> Image.Image:
    """A feeder's scan: level 1 damage (a few degrees of skew, noise), maybe turned over."""
    d = {**degrade.degradation_for(1, rng), "flip180": upside_down, "seal": False}
    return degrade.apply(img.convert("RGB"), d, rng, colour=False)


def _blank(dpi: int, rng: random.Random) -> Image.Image:
    """The empty back of a sheet: paper tone, a little show-through and a few specks."""
    img = Image.new("L", (round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)), 250)
    return degrade.apply(img.convert("RGB"), {**degrade.degradation_for(1, rng), "seal": False}, rng)


def paper_pages(kind: str, rng: random.Random, dpi: int, family: str, *, pages: int | None = None,
                numbering: str | None = None) -> list[Image.Image]:
    """The clean pages of one paper of `kind`; an administrative document has `pages` pages numbered
    in the `numbering` style (random when not given)."""
    if kind == "admin":
        page = admin_page.AdminPage.random(rng, family)
        first, truth = admin_page.render(page, dpi)
        if rng.random() < 0.5:
            first = degrade.stamp_seal(first.convert("RGB"), truth["seal_at"], dpi, f"UBND TỈNH {page.place.upper()}")
        total = pages or rng.choice([1, 1, 2, 3])
        style = numbering or rng.choice(["top", "top", "dash", "trang"])
        return [first] + [admin_page.render_continuation(page, dpi, n, total, style, n == total)
                          for n in range(2, total + 1)]
    if kind == "birth":
        record = birth_certificate.BirthRecord.random(rng)
        img, _seal = birth_certificate.render(record, dpi, family)
        return [img]
    if kind == "other":
        title, pairs = application_form.random_pairs(rng)
        return [application_form.render(title, pairs, dpi, family)]
    person, model = identity.citizen(rng), rng.choice(["2021", "2024"])
    if kind == "cccd":
        return [cccd_card.render(person, model, dpi, rng.choice(["noto-sans", "liberation-sans"]), rng=rng)]
    a4 = (round(210 / 25.4 * dpi), round(297 / 25.4 * dpi))
    pages = []
    for side in cccd_card.sides(person, model, dpi, rng.choice(["noto-sans", "liberation-sans"])):
        page = Image.new("RGB", a4, (255, 255, 255))
        page.paste(side, (round(a4[0] / 2 - side.width / 2), round(40 / 25.4 * dpi)))
        pages.append(page)
    return pages


def make_batch(rng: random.Random, pages_wanted: int, *, separators: bool, dpi: int = 300,
               fonts: list[str] | None = None) -> tuple[list[Image.Image], dict]:
    """About `pages_wanted` scanned pages (at least one paper), and the truth: each paper's kind and
    page indices (0-based, scan order), the blank pages and the separator sheets."""
    fonts = fonts or sorted(admin_page.FONT_FILES)
    images: list[Image.Image] = []
    truth: dict = {"papers": [], "blank": [], "sheets": [], "separators": separators}
    while not truth["papers"] or len(images) < pages_wanted:
        if separators and truth["papers"]:
            truth["sheets"].append(len(images))
            images.append(_scan(separator_image(dpi), rng, False))
        kind = rng.choice(KINDS)
        upside_down = rng.random() < 0.15
        pages = paper_pages(kind, rng, dpi, rng.choice(fonts))
        indices = []
        for page in pages:
            indices.append(len(images))
            images.append(_scan(page, rng, upside_down))
            if rng.random() < 0.2:  # a duplex scan of a sheet printed on one side
                truth["blank"].append(len(images))
                images.append(_blank(dpi, rng))
        truth["papers"].append({"kind": kind.split("-")[0], "pages": indices, "upside_down": upside_down,
                                "two_page_card": kind == "cccd-2pages"})
    return images, truth


def save_pdf(images: list[Image.Image], path, dpi: int = 300) -> None:
    images[0].save(path, format="PDF", save_all=True, append_images=images[1:], resolution=float(dpi), quality=80)
