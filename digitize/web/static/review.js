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
  if (!sheet || !sheet.dataset.width) return;
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
