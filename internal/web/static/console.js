// The console's queue: j and k move down and up the rows (focusing each
// row's ticket link, so Enter opens it; nothing happens while the user
// types), and the queue refreshes itself in place every 30 seconds while
// the tab is visible, keeping the selected row, the focus and the scroll
// position. The countdowns are app.js's.
'use strict';

(function () {
  var REFRESH_MS = 30000;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('#queue tbody tr'));
  }
  function current(list) {
    var a = document.activeElement;
    for (var i = 0; i < list.length; i++) {
      if (list[i].contains(a)) return i;
    }
    return -1;
  }
  function selected(list) {
    return list.filter(function (r) { return r.classList.contains('selected'); })[0];
  }
  function select(list, i) {
    list.forEach(function (r) { r.classList.remove('selected'); });
    var r = list[Math.max(0, Math.min(list.length - 1, i))];
    r.classList.add('selected');
    r.querySelector('a').focus();
  }
  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var list = rows();
    if (!list.length) return;
    var i = current(list);
    if (ev.key === 'j') {
      ev.preventDefault();
      select(list, i + 1);
    } else if (ev.key === 'k') {
      ev.preventDefault();
      select(list, i < 0 ? 0 : i - 1);
    } else if (ev.key === 'Enter' && i < 0 && selected(list)) {
      selected(list).querySelector('a').click();
    }
  });

  // Refresh: fetch this page again and swap in everything of the queue
  // below its heading. The count line is updated in place rather than
  // replaced, and rows are matched by their ticket link.
  var main = document.querySelector('.queue-main');
  if (!main || !window.fetch || !window.DOMParser) return;
  var timer = null, busy = false;
  var last = '';

  function ticketOf(el) {
    var tr = el && el.closest && el.closest('#queue tbody tr');
    var a = tr && tr.querySelector('a');
    return a ? a.getAttribute('href') : '';
  }
  function rowOf(href) {
    return rows().filter(function (r) { return ticketOf(r) === href; })[0];
  }
  function swap(fresh) {
    var count = main.querySelector('#queue-count'), freshCount = fresh.querySelector('#queue-count');
    if (!count || !freshCount) return;
    var a = document.activeElement, before = rows();
    var inMain = a && a !== main && main.contains(a);
    var focused = inMain ? a.getAttribute('href') : null, at = current(before);
    var more = inMain && a.getAttribute('rel') === 'next', onWrap = inMain && a.classList.contains('table-wrap');
    var chosen = ticketOf(selected(before));
    var wrap = main.querySelector('.table-wrap');
    var x = window.scrollX, y = window.scrollY, left = wrap ? wrap.scrollLeft : 0;

    if (count.textContent !== freshCount.textContent) count.textContent = freshCount.textContent;
    while (count.nextSibling) main.removeChild(count.nextSibling);
    var from = freshCount.nextSibling;
    while (from) {
      var next = from.nextSibling;
      main.appendChild(document.adoptNode(from));
      from = next;
    }

    var r = chosen && rowOf(chosen);
    if (r) r.classList.add('selected');
    document.dispatchEvent(new CustomEvent('tierdesk:updated')); // countdowns, and the table's tabindex
    if (inMain) keepFocus(focused, at, more ? 'a[rel=next]' : onWrap ? '.table-wrap[tabindex]' : '');
    wrap = main.querySelector('.table-wrap');
    if (wrap) wrap.scrollLeft = left;
    window.scrollTo(x, y);
  }
  // keepFocus puts the focus back where it was before the swap: on the
  // same link, else (its ticket left the queue) on the row that took its
  // place, else on the queue's heading, never on the page's body, where a
  // keyboard user would lose their place.
  function keepFocus(href, at, same) {
    var list = rows(), el = null;
    if (href) {
      el = Array.prototype.filter.call(main.querySelectorAll('a[href]'), function (x) {
        return x.getAttribute('href') === href;
      })[0];
    }
    if (!el && same) el = main.querySelector(same); // the next-page link or the scrolling table
    if (!el && at >= 0 && list.length) {
      var r = list[Math.min(at, list.length - 1)];
      list.forEach(function (x) { x.classList.remove('selected'); });
      r.classList.add('selected');
      el = r.querySelector('a');
    }
    if (!el) {
      el = main.querySelector('h1');
      el.tabIndex = -1;
    }
    el.focus({ preventScroll: true });
  }
  function refresh() {
    timer = null;
    busy = true;
    fetch(location.href, { headers: { Accept: 'text/html' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (res) {
        // Signed out (sent to the sign-in page) or an error: keep what is shown.
        if (!res.ok || res.redirected) throw new Error('queue refresh: ' + res.status);
        return res.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('.queue-main');
        if (!fresh || doc.body.dataset.page !== document.body.dataset.page) return;
        if (fresh.innerHTML !== last) {
          last = fresh.innerHTML;
          swap(fresh);
        }
      })
      .catch(function () {})
      .then(function () { busy = false; schedule(); });
  }
  function schedule() {
    if (timer === null && !busy && !document.hidden) timer = setTimeout(refresh, REFRESH_MS);
  }
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (!busy) {
      clearTimeout(timer);
      refresh(); // back to the tab: show what changed meanwhile at once
    }
  });
  schedule();
})();
