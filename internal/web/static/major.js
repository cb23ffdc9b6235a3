// Major incidents: "select all" ticks every offered incident of its form
// at once, so that twenty children are attached in one action.
(function () {
  'use strict';
  document.querySelectorAll('input.major-all').forEach(function (all) {
    all.addEventListener('change', function () {
      var form = all.closest('form');
      form.querySelectorAll('input[name="' + all.dataset.all + '"]').forEach(function (box) { box.checked = all.checked; });
    });
  });
})();
