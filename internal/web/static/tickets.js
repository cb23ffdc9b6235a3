// The Tickets page: "/" puts the cursor in the search box (unless the user
// is typing); the bulk form shows only the fields of the chosen action;
// after a bulk action the focus goes to its outcome.
'use strict';

(function () {
  document.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
    var q = document.getElementById('q');
    if (q) { ev.preventDefault(); q.focus(); q.select(); }
  });
  var action = document.getElementById('b-action');
  function showAction() {
    var fields = document.querySelectorAll('.bulk [data-for]');
    for (var i = 0; i < fields.length; i++) {
      fields[i].hidden = fields[i].getAttribute('data-for') !== action.value;
    }
  }
  if (action) {
    action.addEventListener('change', showAction);
    showAction();
  }
  var result = document.getElementById('bulk-result');
  if (result) result.focus();
})();
