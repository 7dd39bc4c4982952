// Keyboard first: a key with a matching data-key control presses it (the same keys as the terminal screen).
// Keys typed into a text field are left alone. No build chain: plain browser JavaScript.
(function () {
  function typing(target) {
    return target && (target.tagName === "INPUT" && target.type !== "radio" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  }
  // Keys pressed on the screening page while a decision is being saved: kept, in order, for the records that
  // follow (type-ahead, as the terminal screen keeps it), instead of being lost or applied to the old record.
  var typeAhead = null;  // an array while a decision is on its way, else null

  // What one key does; true when it was one of the page's keys.
  function press(key) {
    if (typeAhead && /^([iems]|[1-9])$/.test(key)) { typeAhead.push(key); return true; }
    if (key === "o") {
      var paper = document.getElementById("open-paper");
      if (paper) paper.click();
      return Boolean(paper);
    }
    if (key === "n") { var note = document.getElementById("note"); if (note) note.focus(); return Boolean(note); }
    var reasons = document.getElementById("reasons");
    if (reasons && /^[1-9]$/.test(key)) {
      var radio = reasons.querySelector('input[data-key="' + key + '"]');
      if (radio) { radio.checked = true; radio.focus(); }
      return Boolean(radio);
    }
    var control = document.querySelector('[data-key="' + key + '"]');
    if (!control) return false;
    if (key === "e" && reasons && !reasons.querySelector("input:checked")) {
      reasons.querySelector("input").focus();
      reasons.classList.add("ask");
      return true;
    }
    control.click();
    return true;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (press(event.key.toLowerCase())) event.preventDefault();
  });

  // Screening: post each decision with fetch and, once the server says it is on disk, swap in the next record,
  // fetched ahead while the reviewer read this one (the server chooses it from this reviewer's own queue and
  // order). No page load between a key press and the next record. Without JavaScript the form posts as usual.
  var screen = document.getElementById("screen");
  var root = document.documentElement;
  if (screen && window.fetch) {
    var ahead = null;  // {after: the record on screen, promise, done, next: its successor {record_id, html, url}}
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
      var held = { after: after, promise: promise, done: false, next: null };
      ahead = held;
      promise.then(function (next) {
        if (next && next.html) {  // parsed now, while the reviewer reads, not after the key press
          var parsed = document.createElement("template");
          parsed.innerHTML = next.html;
          next.fragment = parsed.content;
        }
        held.done = true;
        held.next = next;
        if (ahead === held) root.dataset.next = "ready";
      });
    };
    var say = function (text) { document.getElementById("screen-message").textContent = text; };
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.id !== "decide" || !ahead || ahead.after !== form.dataset.recordId) return;  // a plain post
      event.preventDefault();
      if (typeAhead) return;  // one decision at a time (keys pressed meanwhile are kept in typeAhead)
      typeAhead = [];
      var data = new URLSearchParams(new FormData(form));  // sent url-encoded, as the plain form posts
      if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
      // The record fetched ahead is shown if the server confirms it is still due. If it has not arrived yet
      // (e.g. the relevance model is still learning), the decision is posted at once all the same and the
      // server answers with the next record itself.
      var held = ahead;
      var expecting = held.done;  // decided now: the fetch ahead may still arrive while the post is on its way
      if (expecting) data.append("expect_next", held.next && held.next.record_id ? held.next.record_id : "");
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                           headers: { Accept: "application/json", "X-CSRF-Token": data.get("csrf_token") } })
        .then(function (r) {
          return r.json().then(function (body) { return { ok: r.ok, body: body }; },
                               function () { return { ok: false, body: null }; });
        })
        .then(function (answer) {
          var typed = typeAhead;
          typeAhead = null;
          if (!answer.ok) {  // refused: say why; nothing was saved, the record stays (keys typed after: dropped)
            if (answer.body && answer.body.error) say(answer.body.error); else window.location.reload();
            return;
          }
          var next = expecting ? (answer.body.next_ok ? held.next : null) : answer.body.next;
          if (!next || !next.record_id) {  // nothing left, or the queue changed meanwhile: load the page
            typeAhead = [];  // keys pressed while it loads must not go to the record still on screen
            window.location.assign(screen.dataset.screenUrl);
            return;
          }
          if (next.fragment) screen.replaceChildren(next.fragment); else screen.innerHTML = next.html;
          say("");
          window.history.replaceState(null, "", next.url);
          var title = screen.querySelector("h1");
          if (title) title.focus({ preventScroll: true });
          window.scrollTo(0, 0);
          fetchAhead();
          typed.forEach(press);  // the first decision typed ahead starts the next post; the rest wait again
        })
        .catch(function () { typeAhead = null; window.location.reload(); });
    });
    fetchAhead();
  }

  root.dataset.keys = "ready";  // tests and benchmarks wait for this before typing

  // RoB 2: ask the server (the same algorithm as `sysrev rob check`) for the judgements as answers change.
  // Answers can arrive out of order: only the one to the latest change is shown.
  var form = document.getElementById("rob-form");
  if (form) {
    var asked = 0;
    form.addEventListener("change", function () {
      var data = new FormData(form);
      var mine = ++asked;
      fetch(form.dataset.propose, { method: "POST", body: data, headers: { "X-CSRF-Token": data.get("csrf_token") } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (proposal) {
          if (!proposal || mine !== asked) return;
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
