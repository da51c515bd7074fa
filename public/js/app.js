// Progressive enhancement only: every page works without this script.
(function () {
  'use strict';
  // "Add a row" buttons clone the last row of a repeatable group and renumber its field names.
  document.querySelectorAll('[data-add-row]').forEach(function (button) {
    button.hidden = false;
    // With the button there, the hint on how to get more rows without it is not needed.
    document.querySelectorAll('[data-no-js-hint]').forEach(function (el) { el.hidden = true; });
    button.addEventListener('click', function () {
      var group = document.getElementById(button.getAttribute('data-add-row'));
      if (!group) return;
      var rows = group.querySelectorAll('[data-row]');
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      var index = rows.length;
      copy.querySelectorAll('input, select, textarea').forEach(function (el) {
        el.name = el.name.replace(/\[\d+\]/, '[' + index + ']');
        if (el.id) el.id = el.id.replace(/-\d+-/, '-' + index + '-');
        el.value = ''; // a copied row is a new milestone: its hidden id goes too
        el.removeAttribute('aria-invalid');
      });
      copy.querySelectorAll('label').forEach(function (el) {
        var f = el.getAttribute('for');
        if (f) el.setAttribute('for', f.replace(/-\d+-/, '-' + index + '-'));
      });
      copy.querySelectorAll('.error').forEach(function (el) { el.remove(); });
      copy.querySelectorAll('.has-error').forEach(function (el) { el.classList.remove('has-error'); });
      var number = copy.querySelector('.row-no');
      if (number) number.textContent = String(index + 1);
      group.appendChild(copy);
      var first = copy.querySelector('input, select, textarea');
      if (first) first.focus();
    });
  });
  // A refused form: take the keyboard and screen reader to the list of what needs correcting.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
  // A background job's progress (views/partials/job-progress.ejs) follows its status JSON; the page reloads when the job ends.
  var job = document.querySelector('[data-job-poll]');
  if (job) {
    var url = job.getAttribute('data-job-poll');
    var timer = setInterval(function () {
      fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (status) {
          job.querySelectorAll('[data-job-field]').forEach(function (el) {
            var value = status[el.getAttribute('data-job-field')];
            if (typeof value === 'string') el.textContent = value;
          });
          var bar = job.querySelector('progress[data-job-bar]');
          if (bar && status.progress.total) { bar.max = status.progress.total; bar.value = status.progress.done; }
          if (status.finished) { clearInterval(timer); window.location.reload(); }
        })
        .catch(function () { /* keep polling: a transient error is not the end of the job */ });
    }, 1000);
  }
})();
