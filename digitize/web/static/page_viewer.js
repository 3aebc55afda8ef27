// A page's picture, zoomable: the frame is a percentage of the sheet's width, so a field's outline
// (in percent of the frame) stays on its words; past 150% the sharper picture is loaded once. Where
// the sheet says data-switch (the archive page), the pager changes the page without a reload.
"use strict";
(function () {
  const sheet = document.getElementById("sheet");
  if (!sheet) return;
  const frame = document.getElementById("frame");
  const picture = frame.querySelector("img");
  const level = document.getElementById("zoom-level");
  const STEPS = [100, 150, 200, 300, 400];
  let zoom = 100;

  function sharpen() {
    if (zoom > 150 && picture.dataset.sharp && picture.src.indexOf(picture.dataset.sharp) < 0) {
      picture.src = picture.dataset.sharp;
    }
  }
  function setZoom(next) {
    zoom = Math.max(STEPS[0], Math.min(STEPS[STEPS.length - 1], next));
    frame.style.width = zoom + "%";
    level.textContent = zoom + "%";
    sharpen();
    const box = document.getElementById("box");
    if (box && !box.hidden) box.scrollIntoView({block: "center", inline: "center"});
  }
  function step(dir) {
    const at = STEPS.indexOf(zoom);
    setZoom(STEPS[Math.max(0, Math.min(STEPS.length - 1, (at < 0 ? 0 : at) + dir))]);
  }
  document.getElementById("zoom-in").addEventListener("click", function () { step(1); });
  document.getElementById("zoom-out").addEventListener("click", function () { step(-1); });
  document.getElementById("zoom-fit").addEventListener("click", function () { setZoom(100); });
  sheet.addEventListener("keydown", function (e) {
    if (e.key === "+" || e.key === "=") { step(1); e.preventDefault(); }
    else if (e.key === "-") { step(-1); e.preventDefault(); }
  });

  if (!sheet.dataset.switch) return;
  document.querySelectorAll(".pager a[data-page]").forEach(function (link) {
    link.addEventListener("click", function (e) {
      e.preventDefault();
      const n = link.dataset.page, base = sheet.dataset.base + n + ".jpg?rong=";
      picture.dataset.sharp = base + sheet.dataset.zoomPx;
      picture.src = zoom > 150 ? picture.dataset.sharp : base + sheet.dataset.widthPx;
      picture.alt = "Ảnh trang " + n;
      sheet.dataset.page = n;
      document.querySelectorAll(".pager a[aria-current]").forEach(function (a) { a.removeAttribute("aria-current"); });
      link.setAttribute("aria-current", "page");
    });
  });
})();
