// 履职 — progressive enhancement only: every page works without this file.
// The facts interview re-evaluates the recommendation as soon as an answer changes; the server
// keeps the answers as the user's draft each time.
(function () {
  "use strict";
  // 打印本页 (issue 22 item 12): the print stylesheet leaves the case or the notice alone.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var form = document.getElementById("interview");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-live");
  var pending = 0;
  function refresh() {
    var ticket = ++pending;
    var body = new URLSearchParams(new FormData(form));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) {
      // The server keeps every change as the user's draft and says so.
      var status = document.getElementById("draft-status");
      if (r.ok && status && r.headers.get("X-Lvzhi-Draft") === "saved") {
        status.textContent = "草稿已自动暂存（尚未记入案件）。";
      }
      return r.ok ? r.text() : null;
    }).then(function (html) {
      // Only the latest answer's evaluation is shown.
      if (html === null || ticket !== pending) { return; }
      var old = document.getElementById("recommendation");
      if (!old) { return; }
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.firstElementChild;
      if (fresh) { old.replaceWith(fresh); }
    }).catch(function () { /* keep the last result; the submit button still works */ });
  }
  form.addEventListener("change", refresh);
  form.addEventListener("input", function (e) {
    if (e.target && (e.target.type === "number" || e.target.type === "date")) { refresh(); }
  });
})();
