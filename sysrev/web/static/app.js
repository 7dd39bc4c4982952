// Keyboard first: a key with a matching data-key control presses it (the same keys as the terminal screen).
// Keys typed into a text field are left alone. No build chain: plain browser JavaScript.
(function () {
  function typing(target) {
    return target && (target.tagName === "INPUT" && target.type !== "radio" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key.toLowerCase();
    if (key === "o") {
      var paper = document.getElementById("open-paper");
      if (paper) { paper.click(); event.preventDefault(); }
      return;
    }
    if (key === "n") { var note = document.getElementById("note"); if (note) { note.focus(); event.preventDefault(); } return; }
    var reasons = document.getElementById("reasons");
    if (reasons && /^[1-9]$/.test(key)) {
      var radio = reasons.querySelector('input[data-key="' + key + '"]');
      if (radio) { radio.checked = true; radio.focus(); event.preventDefault(); }
      return;
    }
    var control = document.querySelector('[data-key="' + key + '"]');
    if (!control) return;
    if (key === "e" && reasons && !reasons.querySelector("input:checked")) {
      reasons.querySelector("input").focus();
      reasons.classList.add("ask");
      event.preventDefault();
      return;
    }
    event.preventDefault();
    control.click();
  });

  // Screening: post each decision with fetch and, once the server says it is on disk, swap in the next record,
  // fetched ahead while the reviewer read this one (the server chooses it from this reviewer's own queue and
  // order). No page load between a key press and the next record. Without JavaScript the form posts as usual.
  var screen = document.getElementById("screen");
  var root = document.documentElement;
  if (screen && window.fetch) {
    var ahead = null;  // {after: record on screen, promise: its successor {record_id, html, url} or null}
    var busy = false;
    var asJson = { Accept: "application/json" };
    var fetchAhead = function () {
      var form = document.getElementById("decide");
      if (!form) return;
      var after = form.dataset.recordId;
      root.dataset.next = "pending";
      var promise = fetch(screen.dataset.nextUrl + "?after=" + encodeURIComponent(after),
                          { headers: asJson, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
      ahead = { after: after, promise: promise };
      promise.then(function () { if (ahead && ahead.after === after) root.dataset.next = "ready"; });
    };
    var say = function (text) { document.getElementById("screen-message").textContent = text; };
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.id !== "decide" || !ahead || ahead.after !== form.dataset.recordId) return;  // a plain post
      event.preventDefault();
      if (busy) return;  // one decision at a time: a second key press waits for none
      busy = true;
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
      ahead.promise.then(function (next) {
        data.append("expect_next", next && next.record_id ? next.record_id : "");
        return fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                                    headers: { Accept: "application/json", "X-CSRF-Token": data.get("csrf_token") } })
          .then(function (r) {
            return r.json().then(function (body) { return { ok: r.ok, body: body }; },
                                 function () { return { ok: false, body: null }; });
          })
          .then(function (answer) {
            busy = false;
            if (!answer.ok) {  // refused: say why; nothing was saved, the record stays
              if (answer.body && answer.body.error) say(answer.body.error); else window.location.reload();
              return;
            }
            if (!answer.body.next_ok || !next || !next.record_id) {  // done, or the queue changed meanwhile
              window.location.assign(screen.dataset.screenUrl);
              return;
            }
            screen.innerHTML = next.html;
            say("");
            window.history.replaceState(null, "", next.url);
            var title = screen.querySelector("h1");
            if (title) title.focus({ preventScroll: true });
            window.scrollTo(0, 0);
            fetchAhead();
          });
      }).catch(function () { busy = false; window.location.reload(); });
    });
    fetchAhead();
  }

  root.dataset.keys = "ready";  // tests and benchmarks wait for this before typing

  // RoB 2: ask the server (the same algorithm as `sysrev rob check`) for the judgements as answers change.
  var form = document.getElementById("rob-form");
  if (form) {
    form.addEventListener("change", function () {
      var data = new FormData(form);
      fetch(form.dataset.propose, { method: "POST", body: data, headers: { "X-CSRF-Token": data.get("csrf_token") } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (proposal) {
          if (!proposal) return;
          Object.keys(proposal).forEach(function (domain) {
            var el = form.querySelector('[data-judgement="' + domain + '"]');
            if (el) el.textContent = proposal[domain].algorithm || (domain === "overall" ? "pending (domains incomplete)" : "pending (answers missing)");
            var applies = proposal[domain].applies || {};
            Object.keys(applies).forEach(function (q) {
              var row = form.querySelector('[data-question="' + domain + "." + q + '"]');
              if (row) row.classList.toggle("na", !applies[q]);
            });
          });
        });
    });
  }
})();
