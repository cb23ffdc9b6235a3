// The report form's matching articles, as the requester types: the list
// beside the form (#kb-suggest) is asked for again a moment after the title
// or the details change, and the ids shown go with the report (shown), so
// that a ticket reported anyway keeps them. Without this script the form's
// "Find answers" button does the same on the server.
'use strict';

(function () {
  var aside = document.getElementById('kb-suggest');
  var form = document.getElementById('report-form');
  if (!aside || !form) return;
  var list = document.getElementById('kb-suggest-list');
  var empty = document.getElementById('kb-portal-empty');
  var still = document.getElementById('kb-still');
  var shown = document.getElementById('kb-shown');
  var title = form.elements.title, details = form.elements.description;
  var timer = null, asked = '';

  function hidden(name, value) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    return input;
  }

  // row builds one suggestion as the server renders it; the title and
  // snippet come escaped, with the hits in <mark>.
  function row(a, q) {
    var li = document.createElement('li');
    li.className = 'kb-row';
    var link = document.createElement('a');
    link.href = '/kb/' + a.id;
    link.className = 'kb-title';
    link.lang = a.lang;
    link.target = '_blank';
    link.rel = 'noopener';
    link.innerHTML = a.title_html;
    li.appendChild(link);
    if (a.snippet_html) {
      var p = document.createElement('p');
      p.className = 'kb-snippet';
      p.innerHTML = a.snippet_html;
      li.appendChild(p);
    }
    var f = document.createElement('form');
    f.method = 'post';
    f.action = '/report/solved';
    f.className = 'inline-form';
    f.appendChild(hidden('csrf', aside.dataset.csrf));
    f.appendChild(hidden('article_id', a.id));
    f.appendChild(hidden('q', q));
    var b = document.createElement('button');
    b.type = 'submit';
    b.className = 'kb-solved';
    b.textContent = aside.dataset.solved;
    f.appendChild(b);
    li.appendChild(f);
    return li;
  }

  function show(articles, q) {
    list.replaceChildren.apply(list, articles.map(function (a) { return row(a, q); }));
    if (shown) shown.replaceChildren.apply(shown, articles.map(function (a) { return hidden('shown', a.id); }));
    empty.hidden = articles.length > 0;
    still.hidden = articles.length === 0;
  }

  function ask() {
    var q = (title.value.trim() + '\n' + details.value.trim()).trim();
    if (q === asked) return;
    asked = q;
    if (!q) { show([], q); return; }
    var url = '/report/suggest?title=' + encodeURIComponent(title.value) + '&description=' + encodeURIComponent(details.value);
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && asked === q) show(data.articles || [], q); })
      .catch(function () { /* the Find answers button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  }
  title.addEventListener('input', later);
  details.addEventListener('input', later);
  asked = (title.value.trim() + '\n' + details.value.trim()).trim();
})();
