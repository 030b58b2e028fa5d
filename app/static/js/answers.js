/* Common Ground: htmx never hides an answer. A refused form (4xx) or a failure (5xx) is shown
   where the form is, as it would be with JavaScript off: a whole page answered to a boosted
   form replaces the page; an error answered to a small htmx action (a tap on a counter, a vote)
   is put just above the form that sent it. Either way focus moves to the error summary. */
(function () {
  "use strict";
  var focusPending = false;

  function summaryFor(status, text) {
    var box = document.createElement("div");
    box.className = "govuk-error-summary cg-htmx-error";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    var title = document.createElement("h2");
    title.className = "govuk-error-summary__title";
    title.textContent = "There is a problem";
    var body = document.createElement("p");
    body.className = "govuk-body govuk-error-summary__body";
    body.textContent = text || (status
      ? "Something went wrong on our side (error " + status + "). What you typed is still here: try again in a moment."
      : "Could not reach Common Ground: check your connection. What you typed is still here: try again.");
    box.appendChild(title);
    box.appendChild(body);
    return box;
  }

  function parse(html) {
    return new DOMParser().parseFromString(html || "", "text/html");
  }

  function focusSummary(root) {
    var summary = (root || document).querySelector(".govuk-error-summary");
    if (summary) {
      if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
    return summary;
  }

  // Above the region the action updates (a grid of counters, a list being moderated), so the
  // message never squeezes into the layout; else above the form that sent it.
  function anchorOf(elt, target) {
    var form = (elt && elt.closest && (elt.closest("form") || elt)) || document.querySelector("main");
    var region = target && target !== document.body && target !== form && target.isConnected;
    return region && (target.contains(form) || !form.isConnected) ? target : form;
  }

  function showNear(anchor, box) {
    clearNear(anchor);
    anchor.parentNode.insertBefore(box, anchor);
    box.focus();
    box.scrollIntoView({ block: "nearest" });
  }

  function clearNear(anchor) {
    var previous = anchor && anchor.previousElementSibling;
    if (previous && previous.classList.contains("cg-htmx-error")) { previous.remove(); }
  }

  function eltOf(detail) {
    return detail.requestConfig ? detail.requestConfig.elt : detail.elt;
  }

  function swapsNothing(elt) {
    var holder = elt && elt.closest && elt.closest("[hx-swap]");
    return !!holder && /^none\b/.test(holder.getAttribute("hx-swap"));
  }

  function isPage(doc) {
    return !!doc.querySelector("main");
  }

  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr, status = xhr.status;
    if (status < 400) { return; }
    var doc = parse(xhr.responseText);
    if (e.detail.boosted && isPage(doc)) {
      // The page the server answered (the form with its errors): shown as without JavaScript.
      e.detail.shouldSwap = true;
      e.detail.isError = false;
      focusPending = true;
      return;
    }
    if (!e.detail.boosted && !isPage(doc) && !swapsNothing(eltOf(e.detail)) &&
        doc.querySelector(".govuk-form-group--error")) {
      // A partial re-rendered with its fields' errors: swapped where it belongs, like a success.
      e.detail.shouldSwap = true;
      e.detail.isError = false;
      focusPending = true;
      return;
    }
    e.detail.shouldSwap = false;
    var found = doc.querySelector(".govuk-error-summary");
    var box;
    if (found) {
      box = document.importNode(found, true);
      box.classList.add("cg-htmx-error");
      box.setAttribute("tabindex", "-1");
    } else {
      var text = doc.querySelector("main p.govuk-body");
      box = summaryFor(status, text ? text.textContent : "");
    }
    showNear(anchorOf(eltOf(e.detail), e.detail.target), box);
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.successful && !e.detail.boosted) { clearNear(anchorOf(eltOf(e.detail), e.detail.target)); }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (focusPending) {
      focusPending = false;
      if (!focusSummary(document)) {
        var field = document.querySelector(".govuk-form-group--error input, .govuk-form-group--error textarea, .govuk-form-group--error select");
        if (field) { field.focus(); }
      }
    }
  });

  // A page that arrives with errors (a plain form post, as the set-up form makes) moves focus to
  // its summary too, as GOV.UK Frontend's error summary does.
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });

  document.addEventListener("htmx:sendError", function (e) {
    showNear(anchorOf(eltOf(e.detail), e.detail.target), summaryFor(0, ""));
  });
})();
