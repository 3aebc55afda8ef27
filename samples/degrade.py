"""Counter-scanner damage at the corpus levels: skew, noise, blur, JPEG, shading,
pages upside down or sideways, red seals, colour at 200 dpi.

Levels follow ../shared/corpus/ocr/README.md: L0 clean 300 dpi; L1 skew up to 4°, light noise,
JPEG; L2 skew 4–12°, blur, uneven light, noise, sometimes upside down; L3 as L2 plus a red seal,
colour, 200 dpi, sometimes turned 90°. Beyond the corpus: L4 a worn photocopy (bản photo) scanned at
200 dpi: strokes thinned or bled by the toner, faded black on a grey page, black speckles, a solid
black copier edge on one side, a dark vertical drum streak through the text, skew up to 2.5°.
L5 a phone photo of the page lying on a desk: the page fills about 70% of the frame on a brown desk,
corners off by up to 6% of the width in perspective, lines bowed by 1–2% of the page height (curl),
a soft shadow, a warm colour cast, light blur, JPEG quality 70–88; the file claims 72 dpi while
the paper is 190–230 px per inch. L6 security paper: a fine green guilloche over the whole page
(as on birth certificates), black print and a red seal over it, scanned in colour at 300 dpi, or
one in three a black-and-white copy of such a page (the pattern a middle grey). A birth certificate
photographed (L5) is on its green security paper too (samples/generate.py).
"""
from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .admin_page import font


def degradation_for(level: int, rng: random.Random) -> dict:
    """Random damage for a level, in the corpus JSON's keys (angle counter-clockwise, degrees)."""
    d = {"angle": 0.0, "noise": 0.0, "blur": 0.0, "jpeg": None, "shade": 0.0, "flip180": False, "seal": False,
         "rot90": False, "dpi": 300}
    if level == 1:
        d.update(angle=round(rng.uniform(-4, 4), 2), noise=round(rng.uniform(3, 10), 1), jpeg=rng.randint(60, 85))
    elif level >= 2:
        d.update(angle=round(rng.choice([-1, 1]) * rng.uniform(4, 12), 2), noise=round(rng.uniform(8, 18), 1),
                 blur=round(rng.uniform(0.5, 1.2), 2), jpeg=rng.randint(40, 70), shade=round(rng.uniform(15, 40), 1),
                 flip180=rng.random() < 0.4)
    if level == 3:
        d.update(angle=round(rng.choice([-1, 1]) * rng.uniform(4, 8), 2), seal=True, rot90=rng.random() < 0.6,
                 dpi=200)
    if level == PHOTO:
        return photo_damage(rng)
    if level == SECURITY:
        return security_damage(rng)
    if level == PHOTOCOPY:
        d = {**d, "angle": round(rng.uniform(-2.5, 2.5), 2), "dpi": 200, "jpeg": rng.randint(70, 90),
             "noise": round(rng.uniform(2, 6), 1), "blur": 0.0, "shade": 0.0, "flip180": False, "seal": False,
             "rot90": False, "photocopy": {
                 "strokes": rng.choice(["thin", "bled"]), "ink": rng.randint(40, 90), "paper": rng.randint(180, 215),
                 "speckles": round(rng.uniform(0.0005, 0.003), 4), "edge": rng.choice(["left", "right"]),
                 "edge_width": round(rng.uniform(0.01, 0.03), 3), "streak_at": round(rng.uniform(0.2, 0.8), 2),
                 "streak_width": rng.randint(3, 9), "streak_dark": round(rng.uniform(0.35, 0.6), 2)}}
    return d


PHOTOCOPY = 4
PHOTO = 5
SECURITY = 6
CARD_PHOTO = 7  # an id card's front and back photographed one by one (samples/generate.py)


def security_damage(rng: random.Random) -> dict:
    d = {"angle": round(rng.uniform(-1.5, 1.5), 2), "noise": round(rng.uniform(2, 6), 1), "blur": 0.0,
         "jpeg": rng.randint(75, 90), "shade": 0.0, "flip180": False, "seal": True, "rot90": False, "dpi": 300}
    green = rng.randint(140, 210)  # a green pattern: G well above R and B
    d["guilloche"] = {"green": [rng.randint(60, green - 25), green, rng.randint(80, green - 15)],
                      "spacing": rng.randint(7, 12), "waves": rng.randint(3, 7), "depth": round(rng.uniform(0.3, 0.8), 2),
                      "width": rng.choice([1, 2])}
    d["grey"] = rng.random() < 1 / 3  # a black-and-white copy of it, or a scan in grey: no colour to go by
    return d


def guilloche(img: Image.Image, g: dict, rng: random.Random) -> Image.Image:
    """The page printed on paper with a fine green wave pattern: ink multiplies over it."""
    rgb = img.convert("RGB")
    w, h = rgb.size
    layer = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(layer)
    colour = tuple(g["green"])
    phase = rng.uniform(0, math.tau)
    for family, slope in ((0, 1.0), (1, -1.0)):  # two crossing families of waves
        for k in range(-h // g["spacing"], (w + h) // g["spacing"]):
            points = []
            for x in range(0, w + 40, 20):
                y = slope * (x - k * g["spacing"]) * 0.6 + family * 7
                y += g["spacing"] * 4 * g["depth"] * math.sin(g["waves"] * math.tau * x / w + phase + k * 0.15)
                y = y % (h + 200) - 100 if slope > 0 else (y % (h + 200)) - 100
                points.append((x, y))
            for a, b in zip(points, points[1:]):
                if abs(a[1] - b[1]) < 200:
                    d.line([a, b], fill=colour, width=g["width"])
    ink = np.asarray(layer, dtype=np.float32) / 255
    return Image.fromarray((np.asarray(rgb, dtype=np.float32) * ink).astype(np.uint8))


def photo_damage(rng: random.Random) -> dict:
    """The random part of a phone photo (L5), in the corpus JSON's keys."""
    return {"angle": 0.0, "noise": round(rng.uniform(2, 5), 1), "blur": round(rng.uniform(0.4, 0.9), 2),
            "jpeg": rng.randint(70, 88), "shade": 0.0, "flip180": False, "seal": rng.random() < 0.5,
            "rot90": False, "dpi": rng.randint(190, 230), "claimed_dpi": 72, "photo": {
                "fill": round(rng.uniform(0.62, 0.78), 2),
                "corners": [round(rng.uniform(-0.06, 0.06), 3) for _ in range(8)],
                "curl": round(rng.choice([-1, 1]) * rng.uniform(0.01, 0.02), 3),
                "shadow": round(rng.uniform(0.15, 0.35), 2), "cast": [rng.randint(0, 12), rng.randint(0, 8),
                                                                     -rng.randint(10, 30)],
                "desk": [rng.randint(90, 140), rng.randint(60, 90), rng.randint(35, 60)]}}


def phone_photo(img: Image.Image, p: dict, np_rng: np.random.Generator) -> Image.Image:
    """The clean page (RGB, at the paper's px per inch) photographed on a desk: curled, seen in
    perspective, shadowed, tinted."""
    import cv2

    page = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = page.shape[:2]
    # Curl: the middle of the page bows away, so each line bends by up to curl x height.
    xs = np.arange(w, dtype=np.float32)
    bend = (p["curl"] * h * np.sin(np.pi * xs / (w - 1)))[None, :].repeat(h, 0)
    map_x = np.tile(xs, (h, 1))
    map_y = np.arange(h, dtype=np.float32)[:, None].repeat(w, 1) - bend
    page = cv2.remap(page, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    mask = cv2.remap(np.ones((h, w), np.float32), map_x, map_y, cv2.INTER_LINEAR, borderValue=0)
    # The frame: the page's width is `fill` of the frame's width, on a desk.
    fw = round(w / p["fill"])
    fh = round(fw * 4 / 3) if fw * 4 / 3 > h * 1.05 else round(h * 1.15)
    ox, oy = (fw - w) / 2, (fh - h) / 2
    c = p["corners"]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[ox + c[0] * w, oy + c[1] * w], [ox + w + c[2] * w, oy + c[3] * w],
                      [ox + w + c[4] * w, oy + h + c[5] * w], [ox + c[6] * w, oy + h + c[7] * w]])
    m = cv2.getPerspectiveTransform(src, dst)
    page = cv2.warpPerspective(page, m, (fw, fh), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(mask, m, (fw, fh), flags=cv2.INTER_LINEAR)[..., None]
    grain = np_rng.normal(0, 6, (fh, fw, 1)).astype(np.float32)
    desk = np.float32(p["desk"])[None, None, :] + grain
    frame = page * mask + desk * (1 - mask)
    # A soft shadow falling across from one side, and the lamp's warm cast.
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    side = np_rng.choice(["left", "right", "top"])
    t = xx / fw if side == "left" else (1 - xx / fw if side == "right" else yy / fh)
    frame *= (1 - p["shadow"] * np.clip(1 - t * 1.6, 0, 1) ** 1.5)[..., None]
    frame += np.float32(p["cast"])[None, None, :]
    return Image.fromarray(frame.clip(0, 255).astype(np.uint8))


def photocopy(img: Image.Image, p: dict, np_rng: np.random.Generator) -> Image.Image:
    """A clean grey page as a worn copier gives it back (before skew and the scanner's noise)."""
    grey = img.convert("L")
    # Toner: a thin copy loses a third of each stroke's edge, a bled one gains it (a blend of the page
    # with its 3-pixel max or min, so that strokes change width by about one pixel).
    toner = grey.filter(ImageFilter.MaxFilter(3) if p["strokes"] == "thin" else ImageFilter.MinFilter(3))
    arr = np.asarray(Image.blend(grey, toner, 0.6), dtype=np.float32) / 255
    arr = p["ink"] + arr * (p["paper"] - p["ink"])  # faded black on a grey page
    h, w = arr.shape
    dots = np_rng.random((h, w)) < p["speckles"]
    arr[dots] = np_rng.uniform(10, 70, int(dots.sum()))
    arr[np.roll(dots, 1, axis=1)] = np.minimum(arr[np.roll(dots, 1, axis=1)], 90)  # specks of two pixels
    x = round(p["streak_at"] * w)
    arr[:, x:x + p["streak_width"]] *= p["streak_dark"]
    edge = max(2, round(p["edge_width"] * w))
    if p["edge"] == "left":
        arr[:, :edge] = np_rng.uniform(5, 25, (h, edge))
    else:
        arr[:, w - edge:] = np_rng.uniform(5, 25, (h, edge))
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def stamp_seal(img: Image.Image, centre: tuple[int, int], dpi: int, inscription: str) -> Image.Image:
    """A red round seal multiplied over the page, as ink is: black text under it stays black."""
    rgb = img.convert("RGB")
    r = round(18 / 25.4 * dpi)
    layer = Image.new("RGB", rgb.size, (255, 255, 255))
    d = ImageDraw.Draw(layer)
    red = (214, 40, 48)
    cx, cy = centre
    width = max(2, dpi // 75)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=width)
    d.ellipse((cx - r * 0.72, cy - r * 0.72, cx + r * 0.72, cy + r * 0.72), outline=red, width=width)
    star = [(cx + r * 0.3 * (1 if i % 2 == 0 else 0.4) * math.cos(math.pi / 2 + i * math.pi / 5),
             cy - r * 0.3 * (1 if i % 2 == 0 else 0.4) * math.sin(math.pi / 2 + i * math.pi / 5)) for i in range(10)]
    d.polygon(star, fill=red)
    letters = font("dejavu-serif", "Bold", max(8, round(r * 0.17)))
    for i, ch in enumerate(inscription):
        a = math.pi * (0.9 + 1.2 * i / max(1, len(inscription) - 1))
        d.text((cx + r * 0.86 * math.cos(a), cy + r * 0.86 * math.sin(a)), ch, font=letters, fill=red, anchor="mm")
    ink = np.asarray(layer, dtype=np.float32) / 255
    page = np.asarray(rgb, dtype=np.float32)
    return Image.fromarray((page * ink).astype(np.uint8))


def apply(img: Image.Image, d: dict, rng: random.Random, *, colour: bool = False) -> Image.Image:
    """The page as the scanner returns it. `img` is the clean page at d['dpi'] (grey or RGB)."""
    np_rng = np.random.default_rng(rng.randint(0, 2**31))
    if d.get("photocopy"):
        img = photocopy(img, d["photocopy"], np_rng)
    if d.get("guilloche"):
        img = guilloche(img, d["guilloche"], rng)
    if d.get("photo"):
        img = phone_photo(img, d["photo"], np_rng)
    if colour:
        paper = np.array([250, 245, 232], dtype=np.float32) / 255
        img = Image.fromarray((np.asarray(img.convert("RGB"), dtype=np.float32) * paper).astype(np.uint8))
    if d.get("grey"):
        img = img.convert("L")
    fill = 255 if img.mode == "L" else (250, 245, 232)
    if d["angle"]:
        img = img.rotate(d["angle"], resample=Image.BICUBIC, expand=True, fillcolor=fill)
    if d["flip180"]:
        img = img.rotate(180)
    if d["rot90"]:
        img = img.rotate(90, expand=True)
    if d["blur"]:
        img = img.filter(ImageFilter.GaussianBlur(d["blur"]))
    arr = np.asarray(img, dtype=np.float32)
    per_pixel = (lambda a: a[..., None]) if arr.ndim == 3 else (lambda a: a)  # noqa: E731
    if d["shade"]:
        arr = arr * per_pixel(_shading(arr.shape[:2], d["shade"], np_rng))
    if d["noise"]:
        arr = arr + per_pixel(np_rng.normal(0, d["noise"], arr.shape[:2]))
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def _shading(shape: tuple[int, int], strength: float, np_rng: np.random.Generator) -> np.ndarray:
    """Light falling off towards one corner, as under a lifted scanner lid; 1 = full light."""
    h, w = shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    corner_x, corner_y = np_rng.choice([0, w]), np_rng.choice([0, h])
    dist = np.hypot(x - corner_x, y - corner_y) / math.hypot(w, h)
    return 1 - (strength / 255) * 2.2 * np.clip(1 - dist * 1.4, 0, 1) ** 2
