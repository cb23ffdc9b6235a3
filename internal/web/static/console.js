// The console's queue keys: j and k move down and up the rows (focusing
// each row's ticket link, so Enter opens it); nothing happens while the
// user types. The countdowns are app.js's.
'use strict';

(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('#queue tbody tr'));
  if (!rows.length) return;
  function current() {
    var a = document.activeElement;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].contains(a)) return i;
    }
    return -1;
  }
  function select(i) {
    rows.forEach(function (r) { r.classList.remove('selected'); });
    var r = rows[Math.max(0, Math.min(rows.length - 1, i))];
    r.classList.add('selected');
    r.querySelector('a').focus();
  }
  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var i = current();
    if (ev.key === 'j') {
      ev.preventDefault();
      select(i + 1);
    } else if (ev.key === 'k') {
      ev.preventDefault();
      select(i < 0 ? 0 : i - 1);
    } else if (ev.key === 'Enter' && i < 0 && rows.some(function (r) { return r.classList.contains('selected'); })) {
      rows.filter(function (r) { return r.classList.contains('selected'); })[0].querySelector('a').click();
    }
  });
})();
