// Kiểm tra: focusing or clicking a field shows where it was read on the page.
"use strict";
(function () {
  const sheet = document.getElementById("sheet");
  const box = document.getElementById("box");
  const fields = document.getElementById("fields-form");
  // Leaving the page (another page of the document, another paper) with unsaved edits asks first.
  let dirty = false;
  if (fields) {
    fields.addEventListener("input", function () { dirty = true; });
    fields.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
    document.querySelectorAll(".pager a, .doc-nav a").forEach(function (link) {
      link.addEventListener("click", function (e) {
        if (dirty && !window.confirm("Có thay đổi chưa lưu. Bỏ các thay đổi này?")) e.preventDefault();
        else dirty = false;
      });
    });
  }
  if (!sheet) return;
  // Zoom: the picture's frame is a percentage of the sheet's width, so the field's box (in percent
  // of the frame) stays on its words; past 150% the sharper picture is loaded once.
  const frame = document.getElementById("frame");
  const picture = frame.querySelector("img");
  const level = document.getElementById("zoom-level");
  const STEPS = [100, 150, 200, 300, 400];
  let zoom = 100;
  function setZoom(next) {
    zoom = Math.max(STEPS[0], Math.min(STEPS[STEPS.length - 1], next));
    frame.style.width = zoom + "%";
    level.textContent = zoom + "%";
    if (zoom > 150 && picture.dataset.sharp && picture.src.indexOf(picture.dataset.sharp) < 0) {
      picture.src = picture.dataset.sharp;
    }
    if (!box.hidden) box.scrollIntoView({block: "center", inline: "center"});
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
  if (!sheet.dataset.width) return;
  const width = Number(sheet.dataset.width), height = Number(sheet.dataset.height);

  function show(row) {
    document.querySelectorAll("tr.field.current").forEach(function (r) { r.classList.remove("current"); });
    row.classList.add("current");
    const parts = row.dataset.box.split(",").map(Number);
    if (parts.length !== 4 || Number(row.dataset.page) !== Number(sheet.dataset.page)) { box.hidden = true; return; }
    box.style.left = (100 * parts[0] / width) + "%";
    box.style.top = (100 * parts[1] / height) + "%";
    box.style.width = (100 * parts[2] / width) + "%";
    box.style.height = (100 * parts[3] / height) + "%";
    box.hidden = false;
    box.scrollIntoView({block: "nearest", behavior: "smooth"});
  }

  document.querySelectorAll("tr.field").forEach(function (row) {
    row.addEventListener("focusin", function () { show(row); });
    row.addEventListener("click", function () { show(row); });
  });
})();
