"""`preview.js`, as a string: theme toggle, card filters, keyboard navigation.

No framework. The script only reads our own `data-*` attributes and `textContent`,
toggles `hidden` and classes, and never turns page text into markup or code.
"""

from __future__ import annotations

JS = r"""/* quizgen preview: theme toggle, card filters, keyboard navigation. No page text is
   ever parsed as HTML or run: filters compare our own data-* attributes and textContent. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "quizgen-preview-theme";

  function storedTheme() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function systemDark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function currentTheme() {
    var set = root.getAttribute("data-theme");
    return set === "light" || set === "dark" ? set : (systemDark() ? "dark" : "light");
  }
  function applyTheme(theme) {
    if (theme === "light" || theme === "dark") { root.setAttribute("data-theme", theme); }
    var button = document.getElementById("theme-toggle");
    if (button) {
      var next = currentTheme() === "dark" ? "light" : "dark";
      button.textContent = next === "dark" ? "Dark theme" : "Light theme";
      button.setAttribute("aria-label", "Switch to the " + next + " theme");
    }
  }
  function toggleTheme() {
    var next = currentTheme() === "dark" ? "light" : "dark";
    applyTheme(next);
    try { window.localStorage.setItem(KEY, next); } catch (e) { /* private mode: not kept */ }
  }
  applyTheme(storedTheme());  // before first paint: this script is loaded in <head>

  function setup() {
    applyTheme(storedTheme());
    var toggle = document.getElementById("theme-toggle");
    if (toggle) { toggle.addEventListener("click", toggleTheme); }

    var bar = document.querySelector(".filters");
    function measure() {  // how much the sticky filter bar covers, for the sticky source column
      var covered = bar && window.getComputedStyle(bar).position === "sticky" ? bar.getBoundingClientRect().height : 0;
      root.style.setProperty("--filters-h", covered + "px");
    }
    window.addEventListener("resize", measure);
    measure();

    var items = Array.prototype.slice.call(document.querySelectorAll(".note, .candidate"));
    var state = { kind: "", flag: "", text: "" };
    var status = document.getElementById("filter-status");
    var textBox = document.getElementById("filter-text");
    var rejectedBox = document.getElementById("show-rejected");
    var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-filter]"));
    var texts = items.map(function (el) { return (el.textContent || "").toLowerCase(); });

    function matches(el, i) {
      var kind = el.getAttribute("data-kind") || "";
      var flags = (el.getAttribute("data-flags") || "").split(" ").filter(Boolean);
      if (state.kind && kind !== state.kind) { return false; }
      if (state.flag === "flagged" && flags.length === 0) { return false; }
      if (state.flag === "clean" && flags.length !== 0) { return false; }
      if (state.flag && state.flag !== "flagged" && state.flag !== "clean" && flags.indexOf(state.flag) < 0) { return false; }
      if (state.text && texts[i].indexOf(state.text) < 0) { return false; }
      return true;
    }
    function apply() {
      var shown = 0, total = 0;
      items.forEach(function (el, i) {
        var ok = matches(el, i);
        el.hidden = !ok;
        if (el.classList.contains("note")) { total += 1; if (ok) { shown += 1; } }
      });
      buttons.forEach(function (b) {
        var on = state[b.getAttribute("data-filter")] === (b.getAttribute("data-value") || "");
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      if (status) { status.textContent = "Showing " + shown + " of " + total + " cards"; }
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        state[b.getAttribute("data-filter")] = b.getAttribute("data-value") || "";
        apply();
      });
    });
    if (textBox) {
      textBox.addEventListener("input", function () { state.text = textBox.value.trim().toLowerCase(); apply(); });
    }
    if (rejectedBox) {
      var showRejected = function () { document.body.classList.toggle("show-rejected", rejectedBox.checked); };
      rejectedBox.addEventListener("change", showRejected);
      showRejected();
    }

    function visible() {
      return items.filter(function (el) { return !el.hidden && el.offsetParent !== null; });
    }
    function move(step) {
      var list = visible();
      if (!list.length) { return; }
      var current = document.querySelector(".note.current, .candidate.current");
      var at = list.indexOf(current);
      var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
      if (current) { current.classList.remove("current"); }
      list[next].classList.add("current");
      list[next].focus({ preventScroll: true });
      list[next].scrollIntoView({ block: "nearest" });
    }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var tag = event.target && event.target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
        if (event.key === "Escape" && event.target.blur) { event.target.blur(); }
        return;
      }
      if (event.key === "j" || event.key === "ArrowDown") { move(1); event.preventDefault(); }
      else if (event.key === "k" || event.key === "ArrowUp") { move(-1); event.preventDefault(); }
      else if (event.key === "f" && textBox) { textBox.focus(); event.preventDefault(); }
      else if (event.key === "t") { toggleTheme(); }
    });
    apply();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
"""
