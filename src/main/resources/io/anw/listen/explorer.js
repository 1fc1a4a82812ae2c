// The neuron explorer's index: filter and sort the unit table in place (no network, file:// safe).
(function () {
  'use strict';
  var table = document.getElementById('units');
  var box = document.getElementById('filter');
  var count = document.getElementById('count');
  if (!table || !box) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);

  // Terms: class:NAME, layer:N, aape<X, aape>X, gc<X, gc>X, or any text (all must match).
  function matches(row, terms) {
    return terms.every(function (t) {
      var m = /^(class|layer):(.+)$/.exec(t);
      if (m) {
        var v = row.dataset[m[1]] || '';
        return m[1] === 'layer' ? v === m[2] : v.split(' ').indexOf(m[2]) >= 0;
      }
      m = /^(aape|gc|act)([<>])(-?[0-9.]+)$/.exec(t);
      if (m) {
        var x = parseFloat(row.dataset[m[1]]);
        if (isNaN(x)) { return false; }
        return m[2] === '<' ? x < parseFloat(m[3]) : x > parseFloat(m[3]);
      }
      return row.textContent.toLowerCase().indexOf(t) >= 0;
    });
  }

  function apply() {
    var terms = box.value.toLowerCase().split(/\s+/).filter(function (t) { return t; });
    var shown = 0;
    rows.forEach(function (r) {
      var ok = matches(r, terms);
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown + ' of ' + rows.length + ' units';
  }

  box.addEventListener('input', apply);
  var hash = /#filter=(.*)$/.exec(window.location.hash);
  if (hash) { box.value = decodeURIComponent(hash[1]); }
  apply();

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.classList.add('sortable');
    th.addEventListener('click', function () {
      var asc = th.dataset.dir !== 'asc';
      th.dataset.dir = asc ? 'asc' : 'desc';
      var numeric = th.classList.contains('num');
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.v || a.cells[col].textContent;
        var y = b.cells[col].dataset.v || b.cells[col].textContent;
        var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
    });
  });
})();
