// grade review: save each change at once, and the keys. Everything else is plain HTML.
(function () {
  "use strict";
  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json"},
                       body: JSON.stringify(body), keepalive: true})
      .then(function (r) { return r.json().then(function (j) { return {status: r.status, body: j}; }); });
  }
  var status = document.getElementById("status");
  function say(words, kind) { if (status) { status.textContent = words; status.className = kind || ""; } }
  function typing(t) {  // a field that takes the keys itself (a checkbox or a button does not)
    return t.matches && t.matches("textarea, select, input:not([type=checkbox]):not([type=radio])");
  }

  var names = document.getElementById("names");
  function toggleNames() {
    document.cookie = "grader_names=" + (document.body.dataset.names === "1" ? "0" : "1") + "; path=/; SameSite=Strict";
    location.reload();
  }
  if (names) names.addEventListener("click", toggleNames);

  var g = document.getElementById("grading");
  var form = document.getElementById("grade-form");
  var busy = false, again = false, timer = null, leaving = null;
  function save() {
    if (!g) return;
    if (timer) { clearTimeout(timer); timer = null; }
    if (busy) { again = true; return; }
    busy = true;
    var rubric = Array.prototype.map.call(form.querySelectorAll("input[name=rubric]:checked"), function (b) { return b.value; });
    var body = {item: +g.dataset.item, n: +g.dataset.n, base: +g.dataset.base, rubric: rubric,
                adjustment: parseFloat(form.adjustment.value) || 0, comment: form.comment.value};
    say(g.dataset.saving);
    post("/api/grade", body).then(function (r) {
      busy = false;
      if (r.status === 200) {
        g.dataset.base = r.body.revision;
        document.getElementById("score").textContent = r.body.score_text;
        say(g.dataset.saved, "ok");
        document.body.dataset.saved = r.body.revision;
        if (again) { again = false; save(); } else if (leaving) { location.assign(leaving); }
      } else if (r.status === 409) {
        location.assign(location.pathname + "?conflict=1");
      } else { say(r.body.error || String(r.status), "error"); }
    }, function () { busy = false; say(g.dataset.offline, "error"); });
  }
  function go(url) {
    if (!url) return;
    if (busy || timer) { leaving = url; if (timer) save(); } else { location.assign(url); }
  }
  if (form) {
    form.addEventListener("submit", function (ev) { ev.preventDefault(); save(); });
    form.addEventListener("change", function (ev) { if (ev.target.name !== "comment") save(); });
    form.comment.addEventListener("input", function () { if (timer) clearTimeout(timer); timer = setTimeout(save, 600); });
    form.comment.addEventListener("blur", function () { if (timer) save(); });
    // leaving the page (a link, the tab closed) while a comment waits to be saved: save it now
    // (keepalive lets the request finish after the page is gone)
    window.addEventListener("pagehide", function () { if (timer) save(); });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden" && timer) save(); });
  }

  function postItem(f, id, base) {
    var item = document.getElementById("new-item");
    post("/api/item", {item: +item.dataset.item, id: id, base: base, text: f.elements.text.value,
                       points: parseFloat(f.elements.points.value) || 0})
      .then(function (r) { if (r.status === 200 || r.status === 409) { location.reload(); } else { say(r.body.error, "error"); } });
  }
  var newItem = document.getElementById("new-item");
  if (newItem) newItem.addEventListener("submit", function (ev) { ev.preventDefault(); postItem(newItem, null, 0); });
  Array.prototype.forEach.call(document.querySelectorAll("form.edit-item"), function (f) {
    f.addEventListener("submit", function (ev) { ev.preventDefault(); postItem(f, f.dataset.id, +f.dataset.base); });
    var del = f.querySelector("button.delete-item");
    if (del) del.addEventListener("click", function () {
      // this answer as its form is now: has it the item, and anything else?
      var ticked = form ? Array.prototype.map.call(form.querySelectorAll("input[name=rubric]:checked"),
                                                   function (b) { return b.value; }) : [];
      var here = ticked.indexOf(f.dataset.id) >= 0;
      var alone = here && ticked.length === 1 && !(parseFloat(form.adjustment.value) || 0) && !form.comment.value.trim();
      if (!window.confirm(alone ? del.dataset.confirmEmptied : here ? del.dataset.confirmHere : del.dataset.confirm)) return;
      post("/api/item/delete", {item: +document.getElementById("new-item").dataset.item, id: f.dataset.id,
                                base: +f.dataset.base})
        .then(function (r) { if (r.status === 200 || r.status === 409) { location.reload(); } else { say(r.body.error, "error"); } });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("form.override"), function (f) {
    function send(points) {
      post("/api/override", {n: +f.dataset.n, check: f.dataset.check, base: +f.dataset.base, points: points,
                             reason: f.elements.reason.value})
        .then(function (r) { if (r.status === 200 || r.status === 409) { location.reload(); } else { say(r.body.error, "error"); } });
    }
    f.addEventListener("submit", function (ev) { ev.preventDefault(); send(parseFloat(f.elements.points.value)); });
    var restore = f.querySelector("button.restore");
    if (restore) restore.addEventListener("click", function () { send(null); });
  });

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (typing(t)) { if (ev.key === "Escape") t.blur(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t.matches && t.matches("input[type=checkbox], button")) t.blur();
    if (ev.key === "a") { ev.preventDefault(); toggleNames(); return; }
    if (!g) return;
    var box = Array.prototype.find.call(form.querySelectorAll("input[name=rubric]"), function (b) { return b.dataset.key === ev.key; });
    if (box) { ev.preventDefault(); box.checked = !box.checked; save(); return; }
    var where = {j: "next", ArrowRight: "next", k: "prev", ArrowLeft: "prev", u: "nextUngraded"}[ev.key];
    if (where) { ev.preventDefault(); go(g.dataset[where]); return; }
    if (ev.key === "c") { ev.preventDefault(); form.comment.focus(); }
  });
})();
