// The report form's reading as the requester types: a moment after the
// title or the details change, #report-assist is asked for again at
// /report/assist and put in place as the server renders it (the kind and
// service the desk reads from the words, the requester's own similar
// tickets). "Use these answers", or Alt+A even while typing, fills in the
// kind and the service in the page; without this script the button sends
// the form and the server fills them in.
'use strict';

(function () {
  var box = document.getElementById('report-assist');
  var form = document.getElementById('report-form');
  if (!box || !form || !window.fetch) return;
  var el = form.elements;
  var timer = null, asked = null, seq = 0;

  function query() {
    var p = new URLSearchParams();
    ['title', 'description', 'kind', 'service'].forEach(function (n) {
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
    fetch('/report/assist?' + q, {credentials: 'same-origin', headers: {Accept: 'text/html'}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null && mine === seq) box.innerHTML = html; })
      .catch(function () { /* the form still works without it */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  }

  function use() {
    var b = document.getElementById('report-accept');
    if (!b) return;
    if (b.dataset.kind) {
      Array.prototype.forEach.call(el.kind, function (r) { r.checked = r.value === b.dataset.kind; });
    }
    if (b.dataset.service) el.service.value = b.dataset.service;
    var p = document.getElementById('report-suggest');
    if (p) p.remove();
  }

  box.addEventListener('click', function (ev) {
    if (ev.target.closest('#report-accept')) {
      ev.preventDefault();
      use();
    }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.altKey && !ev.ctrlKey && !ev.metaKey && (ev.code === 'KeyA' || ev.key === 'a' || ev.key === 'A')) {
      ev.preventDefault();
      use();
    }
  });
  el.title.addEventListener('input', later);
  el.description.addEventListener('input', later);
  asked = query();
})();
