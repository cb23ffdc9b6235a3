// Tierdesk's main script: live SLA countdowns, keyboard access to wide
// tables, shortcuts on the agent ticket page and the priority preview.
// Everything works without it.
'use strict';

(function () {
  // Countdowns: <span class="countdown" data-deadline="RFC 3339" data-in="in {0}"
  // data-late="{0} late" data-d data-h data-m data-s> tick every second, on
  // the second, so the text says late and turns red (.late) the moment the
  // deadline passes. Seconds show in the last hour either side of it.
  function span(ms, el) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    if (d) return d + ' ' + el.dataset.d + (h ? ' ' + h + ' ' + el.dataset.h : '');
    if (h) return h + ' ' + el.dataset.h + (m ? ' ' + m + ' ' + el.dataset.m : '');
    if (!el.dataset.s) return Math.max(m, 1) + ' ' + el.dataset.m;
    if (!m) return s + ' ' + el.dataset.s;
    return m + ' ' + el.dataset.m + ' ' + (s < 10 ? '0' : '') + s + ' ' + el.dataset.s;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll('.countdown[data-deadline]').forEach(function (el) {
      var left = Date.parse(el.dataset.deadline) - now;
      var late = left <= 0; // as the server counts it: due at or before now
      var text = (late ? el.dataset.late : el.dataset.in).replace('{0}', span(left, el));
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle('late', late);
    });
  }
  function everySecond() {
    tick();
    setTimeout(everySecond, 1005 - (Date.now() % 1000)); // just after the next whole second
  }
  everySecond();

  // A table wider than the screen scrolls inside its .table-wrap; a keyboard
  // user needs to focus that region to scroll it, so it becomes focusable
  // (named after its section's heading) while it overflows.
  function scrollables() {
    document.querySelectorAll('.table-wrap').forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth;
      var section = wrap.closest('[aria-labelledby]');
      if (scrolls) {
        wrap.tabIndex = 0;
        if (section) {
          wrap.setAttribute('role', 'region');
          wrap.setAttribute('aria-labelledby', section.getAttribute('aria-labelledby'));
        }
      } else if (wrap.hasAttribute('tabindex')) {
        wrap.removeAttribute('tabindex');
        wrap.removeAttribute('role');
        wrap.removeAttribute('aria-labelledby');
      }
    });
  }
  scrollables();
  window.addEventListener('resize', scrollables);

  // Parts of a page replaced in place (the console's queue refresh) say so
  // with this event: their countdowns and tables are set up at once.
  document.addEventListener('tierdesk:updated', function () { tick(); scrollables(); });

  // Priority preview: the matrix comes with the form as JSON.
  document.querySelectorAll('form[data-matrix]').forEach(function (form) {
    var matrix = JSON.parse(form.dataset.matrix);
    var out = form.querySelector('output');
    function update() {
      var imp = form.elements.impact.value, urg = form.elements.urgency.value;
      var p = matrix[imp] && matrix[imp][urg];
      if (p && out) { out.textContent = p; out.className = 'prio prio-' + p; }
    }
    form.elements.impact.addEventListener('change', update);
    form.elements.urgency.addEventListener('change', update);
    update();
  });

  // Shortcuts: a key opens the action with data-key="<key>" (or presses its
  // button) unless the user is typing. Escape closes an open action.
  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (ev.key === 'Escape' && typing) {
      var open = t.closest('details[open]');
      if (open) { open.open = false; open.querySelector('summary').focus(); }
      return;
    }
    if (typing) return;
    var el = document.querySelector('[data-key="' + CSS.escape(ev.key) + '"]');
    if (!el) return;
    ev.preventDefault();
    if (el.tagName === 'DETAILS') {
      el.open = true;
      var first = el.querySelector('input:not([type=hidden]), select, textarea, button');
      if (first) first.focus();
    } else if (el.tagName === 'A') {
      el.click(); // a shortcut to another page (n: register for a caller)
    } else {
      el.focus();
    }
  });
})();
