/* Common Ground live pages: the resident's voter key, remembered votes, time-box countdowns,
   and live swaps held back while someone is typing in the region they would replace. */
(function () {
  "use strict";
  var KEY = "cg-voter-key", VOTES = "cg-votes";

  function store(name, value) {
    try { if (value === undefined) { return localStorage.getItem(name); } localStorage.setItem(name, value); } catch (e) { return null; }
    return value;
  }

  function voterKey() {
    var key = store(KEY);
    if (!key) {
      var bytes = new Uint8Array(16);  // 128 random bits
      crypto.getRandomValues(bytes);
      key = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      store(KEY, key);
    }
    return key;
  }

  function votes() {
    try { return JSON.parse(store(VOTES) || "{}"); } catch (e) { return {}; }
  }

  function markVotes(root) {
    var mine = votes();
    (root || document).querySelectorAll("form.cg-vote").forEach(function (form) {
      var chosen = mine["c" + form.dataset.comment];
      form.querySelectorAll("button[name=vote]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.value === chosen ? "true" : "false");
      });
    });
    (root || document).querySelectorAll("button[data-upvote]").forEach(function (b) {
      b.setAttribute("aria-pressed", mine["q" + b.dataset.upvote] ? "true" : "false");
    });
  }

  function tick() {
    document.querySelectorAll(".cg-countdown[data-ends]").forEach(function (el) {
      var left = Math.round((Date.parse(el.dataset.ends) - Date.now()) / 1000);
      if (isNaN(left)) { return; }
      var m = Math.floor(Math.abs(left) / 60), s = ("0" + Math.abs(left) % 60).slice(-2);
      el.textContent = left >= 0 ? m + ":" + s + " left" : "over by " + m + ":" + s;
      el.classList.toggle("cg-countdown--over", left < 0);
      if (el.parentNode && el.parentNode.classList) { el.parentNode.classList.toggle("cg-timer--over", left < 0); }
    });
  }

  function typingIn(el) {
    var active = document.activeElement;
    return active && el.contains(active) && /^(TEXTAREA|INPUT)$/.test(active.tagName) && active.value;
  }

  document.addEventListener("htmx:configRequest", function (e) {
    if (/^\/j\//.test(e.detail.path)) { e.detail.headers["X-Voter-Key"] = voterKey(); }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target, button = e.submitter, mine = votes();
    if (form.classList && form.classList.contains("cg-vote") && button) {
      mine["c" + form.dataset.comment] = button.value;
    } else if (button && button.dataset.upvote) {
      mine["q" + button.dataset.upvote] = true;
    } else { return; }
    store(VOTES, JSON.stringify(mine));
    markVotes(form);
  }, true);
  document.addEventListener("htmx:sseBeforeMessage", function (e) {
    var el = e.detail.elt || e.target;
    if (typingIn(el)) {  // don't wipe an answer being typed: swap when the field is left
      e.preventDefault();
      el._cgPending = e.detail.data;
      el.addEventListener("focusout", function once() {
        el.removeEventListener("focusout", once);
        if (el._cgPending) { htmx.swap(el, el._cgPending, { swapStyle: "innerHTML" }); el._cgPending = null; }
      });
    }
  });
  // The page says whether it is live, so staff can see a dropped connection (and tests can wait).
  document.addEventListener("htmx:sseOpen", function () { document.body.setAttribute("data-live", "open"); });
  document.addEventListener("htmx:sseError", function () { document.body.setAttribute("data-live", "lost"); });
  document.addEventListener("htmx:afterSwap", function (e) { markVotes(e.target); tick(); });
  document.addEventListener("htmx:sseMessage", function () { markVotes(); tick(); });
  document.addEventListener("DOMContentLoaded", function () { markVotes(); tick(); setInterval(tick, 1000); });
  // Buttons that print the page (an attribute, not an inline handler the CSP would refuse).
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
  });
})();
