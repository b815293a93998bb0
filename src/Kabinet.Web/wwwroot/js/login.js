// Caps Lock and keyboard-layout hints on the password field: the most common reasons a correct
// password is refused. Plain script, no framework; the page works without it.
(function () {
  var input = document.getElementById("password");
  var hint = document.getElementById("keyboard-hint");
  var show = document.getElementById("show-password");
  if (!input || !hint) { return; }
  function update(event) {
    var caps = event.getModifierState && event.getModifierState("CapsLock");
    var cyrillic = /[\u0400-\u04FF]/.test(input.value);
    var text = [];
    if (caps) { text.push(hint.dataset.caps); }
    if (cyrillic) { text.push(hint.dataset.layout); }
    hint.textContent = text.join(". ");
  }
  input.addEventListener("keyup", update);
  input.addEventListener("keydown", update);
  input.addEventListener("input", update);
  if (show) {
    show.addEventListener("change", function () { input.type = show.checked ? "text" : "password"; });
  }
})();
