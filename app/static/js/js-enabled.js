/* GOV.UK Frontend's "JavaScript is on" classes, set as the body begins. A file of its own, not an
   inline script: the Content-Security-Policy refuses every inline script. */
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) { document.body.classList.add("govuk-frontend-supported"); }
