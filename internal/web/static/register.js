// The register form's lookup as you type: what is typed in #q is looked up
// at /console/requesters after a short pause, and the matches replace
// #lookup as the same "pick" buttons the server renders (so choosing one
// submits the form, and everything else stays as without this script).
// ArrowDown from the box goes to the matches, ArrowUp/ArrowDown move
// among them, Escape goes back to the box.
'use strict';

(function () {
  var box = document.getElementById('q');
  var out = document.getElementById('lookup');
  if (!box || !out || !window.fetch) return;
  var timer = null, asked = '', seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function show(data) {
    out.textContent = '';
    if (!data.users.length) {
      out.appendChild(el('p', 'muted', out.dataset.none));
      return;
    }
    var ul = el('ul', 'lookup-results');
    ul.setAttribute('aria-label', out.dataset.label);
    data.users.forEach(function (u) {
      var b = el('button', 'pick');
      b.type = 'submit';
      b.name = 'pick';
      b.value = String(u.id);
      b.appendChild(el('strong', '', u.name));
      [u.email, u.phone, u.organization].forEach(function (s) {
        if (s) { b.appendChild(document.createTextNode(' ')); b.appendChild(el('span', '', s)); }
      });
      var li = el('li');
      li.appendChild(b);
      ul.appendChild(li);
    });
    out.appendChild(ul);
    if (data.more) out.appendChild(el('p', 'muted', out.dataset.more));
  }
  function lookup() {
    var q = box.value.trim();
    if (q === asked) return;
    asked = q;
    if (!q) { out.textContent = ''; return; }
    var mine = ++seq;
    fetch('/console/requesters?q=' + encodeURIComponent(q), {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === seq) show(data); })
      .catch(function () {});
  }
  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 120);
  });
  function picks() { return Array.prototype.slice.call(out.querySelectorAll('.pick')); }
  box.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown' && picks().length) {
      ev.preventDefault();
      picks()[0].focus();
    }
  });
  out.addEventListener('keydown', function (ev) {
    var list = picks(), i = list.indexOf(document.activeElement);
    if (i < 0) return;
    if (ev.key === 'ArrowDown' && i + 1 < list.length) {
      ev.preventDefault();
      list[i + 1].focus();
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      (i > 0 ? list[i - 1] : box).focus();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      box.focus();
    }
  });
})();
