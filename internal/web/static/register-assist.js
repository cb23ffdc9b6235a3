// The register form's assistant as the agent types: a moment after the
// call's title or description changes (or its category or service), the
// section #register-assist is asked for again at /console/register/assist
// and put in place, as the server renders it. Its buttons then act in the
// page instead of sending the form: Accept sets the field it names, Accept
// all (or Alt+A, even while typing) sets every suggestion, and Use this
// resolution copies a similar ticket's resolution into the first-contact
// resolution with the ticket it came from. Without this script the same
// buttons send the form and the server does the same.
'use strict';

(function () {
  var panel = document.getElementById('register-assist');
  var form = document.getElementById('register-form');
  if (!panel || !form || !window.fetch) return;
  var el = form.elements;
  var watched = ['title', 'description', 'category_id', 'service_id'];
  var timer = null, asked = null, seq = 0;

  function query() {
    var p = new URLSearchParams();
    watched.concat(['type', 'group_id']).forEach(function (n) {
      var f = el[n];
      if (f) p.set(n, f.value || '');
    });
    return p.toString();
  }

  function ask() {
    var q = query();
    if (q === asked) return;
    asked = q;
    var mine = ++seq;
    panel.setAttribute('aria-busy', 'true');
    fetch('/console/register/assist?' + q, {credentials: 'same-origin', headers: {Accept: 'text/html'}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null && mine === seq) panel.innerHTML = html;
      })
      .catch(function () { /* the form's buttons still bring it up to date */ })
      .then(function () { if (mine === seq) panel.setAttribute('aria-busy', 'false'); });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 250);
  }

  // set gives form field name the value, as choosing it would.
  function set(name, value) {
    var f = el[name];
    if (!f) return;
    if (f instanceof RadioNodeList) {
      Array.prototype.forEach.call(f, function (r) { r.checked = r.value === value; });
    } else {
      f.value = value;
    }
    var changed = f instanceof RadioNodeList ? f[0] : f;
    if (changed) changed.dispatchEvent(new Event('change', {bubbles: true}));
  }

  // accept applies one suggestion's button and marks it done.
  function accept(b) {
    set(b.dataset.input, b.dataset.value);
    var done = document.createElement('span');
    done.className = 'badge assist-applied';
    done.textContent = panel.dataset.applied || '✓';
    b.replaceWith(done);
  }

  function acceptAll() {
    Array.prototype.forEach.call(panel.querySelectorAll('.assist-accept'), accept);
  }

  function reuse(b) {
    el.fcr.checked = true;
    set('resolution_code', b.dataset.code);
    el.resolution_notes.value = b.dataset.notes;
    el.reused_from.value = b.dataset.number;
    var note = document.getElementById('reused-note');
    if (note) {
      document.getElementById('reused-number').textContent = b.dataset.number;
      note.hidden = false;
    }
    el.resolution_notes.focus();
  }

  panel.addEventListener('click', function (ev) {
    var b = ev.target.closest('button');
    if (!b) return;
    if (b.classList.contains('assist-accept')) {
      ev.preventDefault();
      accept(b);
    } else if (b.id === 'assist-accept-all') {
      ev.preventDefault();
      acceptAll();
    } else if (b.classList.contains('assist-reuse')) {
      ev.preventDefault();
      reuse(b);
    }
  });

  document.addEventListener('keydown', function (ev) {
    if (ev.altKey && !ev.ctrlKey && !ev.metaKey && (ev.code === 'KeyA' || ev.key === 'a' || ev.key === 'A')) {
      ev.preventDefault();
      acceptAll();
    }
  });

  // A reused resolution edited away from its source no longer claims it.
  el.fcr.addEventListener('change', function () {
    if (!el.fcr.checked) {
      el.reused_from.value = '';
      var note = document.getElementById('reused-note');
      if (note) note.hidden = true;
    }
  });

  watched.forEach(function (n) {
    var f = el[n];
    if (!f) return;
    f.addEventListener('input', later);
    f.addEventListener('change', later);
  });
  asked = query();
})();
