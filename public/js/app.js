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
        // A row's labels name its number ("第 4 个履约节点的到期日"): the copy is the next row.
        el.textContent = el.textContent.replace(/\d+/, String(index + 1));
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
  // The counterparty picker (commitments/views/enterprise-picker.ejs, arrears/views/enterprise-picker.ejs): Find fetches the matches in place
  // instead of posting the form; the enterprise chosen before stays on offer.
  document.querySelectorAll('[data-enterprise-picker]').forEach(function (picker) {
    var query = picker.querySelector('[data-enterprise-query]');
    var searched = picker.querySelector('[data-enterprise-searched]');
    var button = picker.querySelector('[data-enterprise-search]');
    var options = picker.querySelector('[data-enterprise-options]');
    var summary = picker.querySelector('[data-enterprise-summary]');
    function optionFor(match, checked) {
      var label = document.createElement('label');
      label.className = 'radio';
      label.setAttribute('data-enterprise-option', '');
      var input = document.createElement('input');
      input.type = 'radio';
      input.name = 'enterpriseId';
      input.value = String(match.id);
      input.checked = checked;
      var code = document.createElement('span');
      code.className = 'muted small';
      code.textContent = match.creditCode;
      label.append(input, ' ' + match.name + ' ', code);
      return label;
    }
    function search(event) {
      event.preventDefault();
      var q = query.value.trim();
      fetch('/commitments/enterprises.json?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (found) {
          var checked = options.querySelector('input[name="enterpriseId"]:checked');
          var kept = checked && checked.value ? checked.closest('[data-enterprise-option]') : null;
          options.querySelectorAll('[data-enterprise-option]').forEach(function (el) { if (el !== kept) el.remove(); });
          var none = options.querySelector('input[name="enterpriseId"][value=""]').closest('label');
          found.matches.forEach(function (match) {
            if (kept && kept.querySelector('input').value === String(match.id)) return;
            options.insertBefore(optionFor(match, false), none);
          });
          summary.textContent = found.summary;
          summary.hidden = !found.summary;
          searched.value = found.query;
        })
        .catch(function () { button.form.requestSubmit(button); });
    }
    button.addEventListener('click', search);
    query.addEventListener('keydown', function (event) { if (event.key === 'Enter') search(event); });
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
