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

  // Your vote marked, and a comment's counts shown only once you have voted on it (a vote the
  // server rendered, sent without JavaScript, counts as yours too).
  function markVotes(root) {
    var mine = votes();
    (root || document).querySelectorAll("form.cg-vote").forEach(function (form) {
      var chosen = mine["c" + form.dataset.comment] || form.dataset.mine;
      form.querySelectorAll("button[name=vote]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.value === chosen ? "true" : "false");
      });
      form.querySelectorAll(".cg-count").forEach(function (c) { c.hidden = !chosen; });
    });
    (root || document).querySelectorAll("button[data-upvote]").forEach(function (b) {
      b.setAttribute("aria-pressed", mine["q" + b.dataset.upvote] || b.dataset.mine ? "true" : "false");
    });
  }

  // A closed meeting takes no more comments: the live question says so, the forms go.
  function showClosed() {
    if (!document.querySelector("[data-meeting-closed]")) { return; }
    document.querySelectorAll("[data-open-only]").forEach(function (el) { el.hidden = true; });
  }

  // The phone says so while its live connection is down (the browser keeps retrying).
  function setLive(state) {
    document.body.setAttribute("data-live", state);
    var banner = document.getElementById("reconnecting");
    if (banner) { banner.hidden = state !== "lost"; }
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
  document.addEventListener("htmx:sseOpen", function () { setLive("open"); });
  document.addEventListener("htmx:sseError", function () { setLive("lost"); });
  document.addEventListener("htmx:afterSwap", function (e) { markVotes(e.target); tick(); showClosed(); });
  document.addEventListener("htmx:sseMessage", function () { markVotes(); tick(); showClosed(); });
  document.addEventListener("DOMContentLoaded", function () { markVotes(); tick(); setInterval(tick, 1000); });
  // Buttons that print the page (an attribute, not an inline handler the CSP would refuse).
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
  });
})();
