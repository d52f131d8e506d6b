// Muster: progressive enhancement only; every page works without this file.
// Offline queue: a form marked data-offline, submitted without a network, is kept in
// localStorage with its report key (the form's _key, made once per report) and sent once when
// the browser is back online. The server records a key once, so a resend never files twice.
// The password that signs it is kept in memory only, never stored.
(function () {
  "use strict";
  var STORE = "muster.outbox";
  var passwords = {};

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(STORE, JSON.stringify(items)); }

  function render() {
    var items = load();
    var boxes = document.querySelectorAll("#outbox");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var list = box.querySelector("ul");
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "outbox-item";
        li.setAttribute("data-key", item.key);
        li.textContent = item.label + " — " + item.state;
        list.appendChild(li);
      });
      box.hidden = items.length === 0;
    }
  }

  function enqueue(form) {
    var data = new URLSearchParams(new FormData(form));
    var key = data.get("_key");
    passwords[key] = data.get("_password") || "";
    data.delete("_password");
    var items = load().filter(function (item) { return item.key !== key; });
    items.push({ key: key, action: form.getAttribute("action"), body: data.toString(),
                 label: form.getAttribute("data-label") || "report", state: "waiting to send", queuedAt: new Date().toISOString() });
    save(items);
    render();
    var box = document.getElementById("outbox");
    if (box && box.scrollIntoView) box.scrollIntoView();
  }

  var sending = false;
  function flush() {
    if (sending || !navigator.onLine) return;
    var item = load().filter(function (other) { return !other.refused; })[0];
    if (!item) return;
    sending = true;
    var body = new URLSearchParams(item.body);
    if (passwords[item.key]) body.set("_password", passwords[item.key]);
    fetch(item.action, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": item.key },
      body: body.toString()
    }).then(function (response) {
      var rest = load();
      if (response.type === "opaqueredirect" || (response.status >= 200 && response.status < 400)) {
        delete passwords[item.key];
        save(rest.filter(function (other) { return other.key !== item.key; }));
      } else {
        // A refused report stays listed with the reason, and is not sent again by itself.
        rest.forEach(function (other) {
          if (other.key === item.key) {
            other.refused = true;
            other.state = "refused (" + response.status + "): open the form again to correct it";
          }
        });
        save(rest);
      }
      sending = false;
      render();
      if (load().some(function (other) { return !other.refused; })) flush();
    }, function () {
      sending = false;  // still offline: try again at the next "online"
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-offline") || navigator.onLine) return;
    event.preventDefault();
    enqueue(form);
  });
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () { render(); flush(); });
})();
