/* The pickers of the amendment composer (regdoc's own script; the CSP allows scripts from this origin only).
   - Word picker: click the first word replaced, then the last; the words between them (in the unit's text) are
     chosen. The choice goes to the server as start:end (ops-N-pick-LANG), which turns it into the words and
     their occurrence by the same rules as the amendment itself; the text box shows the words meanwhile.
     Typing in the text box drops the choice.
   - A select marked data-refresh (the unit chosen, where an insertion stands) sends the form again, so that the
     page shows that unit's words or the number proposed for the insertion.
   Without this script the form still works: the words are typed, the number is proposed on Preview. */
(function () {
  "use strict";

  function show(box, first, last) {
    var words = box.querySelectorAll("button.word");
    for (var k = 0; k < words.length; k++) {
      var on = first !== null && k >= first && k <= last;
      words[k].classList.toggle("chosen", on);
      words[k].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button.word") : null;
    if (!button) return;
    var box = button.closest(".picker");
    var words = Array.prototype.slice.call(box.querySelectorAll("button.word"));
    var i = words.indexOf(button);
    var first, last;
    if (box.dataset.anchor === undefined || box.dataset.anchor === "") {
      box.dataset.anchor = String(i);
      first = last = i;
    } else {
      var a = parseInt(box.dataset.anchor, 10);
      first = Math.min(a, i);
      last = Math.max(a, i);
      box.dataset.anchor = "";
    }
    show(box, first, last);
    var start = parseInt(words[first].dataset.start, 10), end = parseInt(words[last].dataset.end, 10);
    document.getElementById(box.dataset.pick).value = start + ":" + end;
    var old = document.getElementById(box.dataset.old);
    old.value = Array.from(box.dataset.text).slice(start, end).join("");  // offsets count code points
    old.dispatchEvent(new Event("input", {bubbles: true}));
  });

  document.addEventListener("input", function (ev) {
    if (!ev.isTrusted || !ev.target.id) return;
    var boxes = document.querySelectorAll(".picker");
    for (var k = 0; k < boxes.length; k++) {
      if (boxes[k].dataset.old === ev.target.id) {
        document.getElementById(boxes[k].dataset.pick).value = "";
        boxes[k].dataset.anchor = "";
        show(boxes[k], null, null);
      }
    }
  });

  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!el.matches || !el.matches("[data-refresh]") || !el.form) return;
    var preview = el.form.querySelector("button[name=action][value=preview]");
    if (el.form.requestSubmit) el.form.requestSubmit(preview); else preview.click();
  });
})();
