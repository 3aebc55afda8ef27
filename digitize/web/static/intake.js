// Tiếp nhận: send the chosen scans, then follow each file's job until it is done.
"use strict";
(function () {
  const form = document.getElementById("upload");
  const input = document.getElementById("files");
  const drop = document.getElementById("drop");
  const jobs = document.getElementById("jobs");
  const problem = document.getElementById("upload-error");
  const STATUS = {queued: "Đang chờ", started: "Đang xử lý", deferred: "Đang chờ", scheduled: "Đang chờ",
                  finished: "Xong", failed: "Lỗi", canceled: "Đã hủy", stopped: "Đã dừng"};

  function offerRetry(li, receipt) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary retry";
    button.textContent = "Thử lại";
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch("/tiep-nhan/cong-viec/" + encodeURIComponent(receipt.id) + "/thu-lai",
            {method: "POST", headers: {"X-CSRF-Token": form.dataset.csrf}})
        .then(function (r) { if (!r.ok) throw new Error(); button.remove(); follow(li, receipt); })
        .catch(function () { button.disabled = false; say("Không thử lại được, hãy thử lại sau."); });
    });
    li.querySelector(".outcome").appendChild(button);
  }

  function refreshFrom(element) {
    fetch(element.dataset.url).then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) element.innerHTML = html; })
      .catch(function () {});
  }

  function refreshPapers() {
    refreshFrom(document.getElementById("dossier-papers"));
    refreshFrom(document.getElementById("queue-panel"));
  }

  // Workers come and go: the queue panel is read again every 15 s while the page is open.
  setInterval(function () { refreshFrom(document.getElementById("queue-panel")); }, 15000);

  function say(message) {
    problem.textContent = message;
    problem.hidden = !message;
  }

  function row(name) {
    const li = document.createElement("li");
    li.innerHTML = '<span class="file"></span> <span class="status"></span> <progress max="1" value="0"></progress>' +
                   '<div class="outcome"></div>';
    li.querySelector(".file").textContent = name;
    jobs.prepend(li);
    return li;
  }

  function follow(li, receipt) {
    const status = li.querySelector(".status");
    const bar = li.querySelector("progress");
    const events = new EventSource("/tiep-nhan/cong-viec/" + encodeURIComponent(receipt.id));
    events.onmessage = function (message) {
      const view = JSON.parse(message.data);
      let text = STATUS[view.status] || view.status;
      if (view.progress && view.status === "started") {
        text += view.progress.stage === "papers"
          ? ": lưu giấy tờ " + (view.progress.done + 1) + "/" + view.progress.total
          : ": nhận dạng trang " + view.progress.done + "/" + view.progress.total;
        bar.max = view.progress.total;
        bar.value = view.progress.done;
      }
      if (view.retrying) text = "Đang thử lại sau sự cố máy chủ (bản quét vẫn được giữ)";
      else if (view.workers === 0) text = "Đang chờ: chưa có máy xử lý nào chạy. Bản quét đã được lưu an toàn, sẽ xử lý khi máy chạy lại";
      else if (view.position) text += " (thứ " + view.position + " trong hàng đợi)";
      status.textContent = text;
      li.dataset.status = view.status;
      if (view.status === "finished") {
        events.close();
        bar.max = 1;
        bar.value = 1;
        fetch("/tiep-nhan/ket-qua/" + encodeURIComponent(receipt.id)).then(function (r) { return r.text(); })
          .then(function (html) { li.querySelector(".outcome").innerHTML = html; });
        refreshPapers();
        status.textContent = view.documents && view.documents.length > 1
          ? "Xong: " + view.documents.length + " giấy tờ" : text;
      } else if (["failed", "canceled", "stopped"].includes(view.status)) {
        events.close();
        status.textContent = text + " — bản gốc vẫn được giữ, mã biên nhận " + receipt.id + (view.error ? " (" + view.error + ")" : "");
        if (!view.needs_attention) offerRetry(li, receipt);
      }
    };
    events.onerror = function () {
      status.textContent = "Mất kết nối, đang thử lại… (bản quét đã được nhận, mã biên nhận " + receipt.id + ")";
    };
  }

  // Files of this dossier still being digitized when the page was opened (after a reload too).
  for (const receipt of JSON.parse(form.dataset.pending || "[]")) follow(row(receipt.filename), receipt);

  // Confirming a split answers the result again, without leaving the page (the other jobs go on).
  jobs.addEventListener("submit", function (e) {
    const confirm = e.target.closest("form.confirm-split");
    if (!confirm) return;
    e.preventDefault();
    fetch(confirm.action, {method: "POST", headers: {"X-CSRF-Token": form.dataset.csrf}})
      .then(function (r) { if (!r.ok) throw new Error(); return r.text(); })
      .then(function (html) { confirm.closest(".outcome").innerHTML = html; })
      .catch(function () { say("Không xác nhận được, hãy thử lại."); });
  });

  drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    input.files = e.dataTransfer.files;
    drop.querySelector("strong").textContent = input.files.length + " tệp đã chọn";
  });
  input.addEventListener("change", function () {
    drop.querySelector("strong").textContent = input.files.length + " tệp đã chọn";
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    say("");
    if (!input.files.length) { say("Chưa chọn tệp nào."); input.focus(); return; }
    const data = new FormData();
    for (const file of input.files) data.append("files", file);
    data.append("dossier_code", form.dataset.dossier);
    data.append("kind", document.getElementById("kind").value);
    const send = document.getElementById("send");
    send.disabled = true;
    send.textContent = "Đang gửi…";
    fetch("/tiep-nhan/tai-len", {method: "POST", body: data,
                                 headers: {"X-CSRF-Token": form.dataset.csrf, "Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
      .then(function (answer) {
        if (!answer.ok) { say(answer.body.error ? answer.body.error.message : "Không gửi được."); return; }
        for (const bad of answer.body.rejected) row(bad.file).querySelector(".status").textContent = "Bị từ chối: " + bad.message;
        for (const receipt of answer.body.receipts) follow(row(receipt.filename), receipt);
        form.reset();
        drop.querySelector("strong").textContent = "Kéo thả bản quét vào đây";
      })
      .catch(function () { say("Mất kết nối tới máy chủ, bản quét chưa được gửi. Hãy thử lại."); })
      .finally(function () { send.disabled = false; send.textContent = "Tải lên và số hóa"; });
  });
})();
