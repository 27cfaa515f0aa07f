// The settlement slip's 打印 button (docs/ui.md "Settlement slip"): window.print() needs a
// script and the CSP allows only same-origin files. Without this file the hint (Ctrl+P) stays.
"use strict";
document.querySelectorAll("button.slip-print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
document.querySelectorAll(".slip-print-hint").forEach(function (hint) { hint.hidden = true; });
