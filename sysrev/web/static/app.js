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

  document.documentElement.dataset.keys = "ready";  // tests and benchmarks wait for this before typing

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
