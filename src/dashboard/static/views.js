// The dashboard's views: each function draws one section from the aggregates the server (or the HTML file) supplies.
(function () {
  'use strict';

  var charts = window.AnthroTraceCharts;
  var integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  var BUCKET_NAMES = { hour: 'Hour', day: 'Day', week: 'Week (Monday start)', month: 'Month' };
  var TOKEN_COLOURS = { input: '#0072B2', output: '#E69F00', cacheWrite: '#CC79A7', cacheRead: '#009E73' };
  var REGRESSION_COLOUR = '#D55E00';

  // Axis ticks: enough decimals to tell the ticks apart, never a tiny amount shown as $0.
  function usdTick(value) {
    if (value === 0) return '$0';
    var abs = Math.abs(value);
    var digits = 6;
    if (abs >= 100) digits = 0;
    else if (abs >= 1) digits = 2;
    else if (abs >= 0.01) digits = 3;
    return '$' + value.toFixed(digits);
  }

  // Exact decimal strings from the server, shown as they are, with a $ sign.
  function usdText(text) {
    return text === null || text === undefined ? '–' : '$' + text;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function table(headers, rows, numeric) {
    var wrapper = element('div', { class: 'table-scroll' });
    var node = element('table');
    var head = element('tr');
    headers.forEach(function (header, i) { head.appendChild(element('th', numeric[i] ? { class: 'number', scope: 'col' } : { scope: 'col' }, header)); });
    node.appendChild(element('thead')).appendChild(head);
    var body = node.appendChild(element('tbody'));
    rows.forEach(function (row) {
      var tr = body.appendChild(element('tr', row.className ? { class: row.className } : {}));
      (row.cells || row).forEach(function (cell, i) {
        var td = tr.appendChild(element('td', numeric[i] ? { class: 'number' } : {}));
        if (cell instanceof Node) td.appendChild(cell);
        else td.textContent = cell;
      });
    });
    wrapper.appendChild(node);
    return wrapper;
  }

  // A collapsed data table under a chart, so the numbers are readable without a pointer.
  function dataTable(container, headers, rows, numeric) {
    container.innerHTML = '';
    var details = container.appendChild(element('details'));
    details.appendChild(element('summary', {}, 'Show the numbers'));
    details.appendChild(table(headers, rows, numeric));
  }

  function figures(container, pairs) {
    container.innerHTML = '';
    pairs.forEach(function (pair) {
      var item = container.appendChild(element('div'));
      item.appendChild(element('dt', {}, pair[0]));
      item.appendChild(element('dd', {}, pair[1]));
    });
  }

  function xTitle(summary) {
    return BUCKET_NAMES[summary.bucket] + ' (' + summary.timezone + ')';
  }

  function renderScope(summary, storage) {
    var range = summary.from ? summary.from + ' to ' + summary.to + ' (UTC, end exclusive)' : 'no records';
    document.getElementById('scope').textContent =
      storage.kind + ' store ' + storage.location + ' · ' + range + ' · buckets: ' + summary.bucket + ' in ' + summary.timezone;
  }

  function seriesName(series, grouping) {
    if (series.other) return series.key;
    if (series.key === null) return grouping === 'category' ? '(no category)' : '(unknown)';
    return series.key;
  }

  function renderCost(summary, grouping) {
    var labels = summary.buckets.map(function (b) { return b.label; });
    var list = summary.cost[grouping];
    figures(document.getElementById('cost-figures'), [
      ['Total cost', usdText(summary.totals.costUsd)],
      ['Requests', integer.format(summary.totals.requests)],
      ['Unpriced requests', integer.format(summary.totals.unpricedRequests)],
    ]);
    var layers = list.map(function (series, k) {
      return {
        label: seriesName(series, grouping),
        colour: series.other ? charts.OTHER_COLOUR : charts.PALETTE[k % charts.PALETTE.length],
        values: series.costUsd.map(Number),
        raw: series.costUsd,
      };
    });
    var chart = document.getElementById('cost-chart');
    chart.setAttribute('data-grouping', grouping);
    charts.stackedBars(chart, {
      labels: labels,
      series: layers,
      xTitle: xTitle(summary),
      yTitle: 'Cost (USD)',
      description: 'Cost in USD per ' + summary.bucket + ' in ' + summary.timezone + ', stacked by ' + grouping,
      format: function (value, raw) { return raw !== undefined ? usdText(raw) : usdTick(value); },
      formatAxis: usdTick,
    });
    var rows = labels.map(function (label, i) {
      return [label].concat(list.map(function (series) { return usdText(series.costUsd[i]); }));
    });
    var headers = [xTitle(summary)].concat(layers.map(function (layer) { return layer.label + ' (USD)'; }));
    dataTable(document.getElementById('cost-table'), headers, rows, headers.map(function (_, i) { return i > 0; }));
  }

  function renderTokens(summary) {
    var labels = summary.buckets.map(function (b) { return b.label; });
    var tokens = summary.tokens;
    var layers = [
      { label: 'Input', colour: TOKEN_COLOURS.input, values: tokens.input },
      { label: 'Output', colour: TOKEN_COLOURS.output, values: tokens.output },
      { label: 'Cache write', colour: TOKEN_COLOURS.cacheWrite, values: tokens.cacheWrite },
      { label: 'Cache read', colour: TOKEN_COLOURS.cacheRead, values: tokens.cacheRead },
    ];
    charts.stackedBars(document.getElementById('tokens-chart'), {
      labels: labels,
      series: layers,
      xTitle: xTitle(summary),
      yTitle: 'Tokens',
      description: 'Tokens per ' + summary.bucket + ' in ' + summary.timezone + ': input, output, cache write and cache read',
      format: function (value) { return integer.format(value); },
      formatAxis: function (value) { return compact.format(value); },
    });
    charts.lines(document.getElementById('cache-chart'), {
      labels: labels,
      series: [{ label: 'Cache hit ratio', colour: TOKEN_COLOURS.cacheRead, values: tokens.cacheHitRatio.map(function (r) { return r === null ? null : r * 100; }) }],
      xTitle: xTitle(summary),
      yTitle: 'Cache hit ratio (%)',
      description: 'Share of prompt tokens read from the cache per ' + summary.bucket,
      format: function (value) { return value.toFixed(1) + '%'; },
      yRange: function () { return [0, 100]; },
    });
    var rows = labels.map(function (label, i) {
      var ratio = tokens.cacheHitRatio[i];
      return [label, integer.format(tokens.input[i]), integer.format(tokens.output[i]), integer.format(tokens.cacheWrite[i]),
        integer.format(tokens.cacheRead[i]), ratio === null ? '–' : (ratio * 100).toFixed(1) + '%'];
    });
    dataTable(document.getElementById('tokens-table'), [xTitle(summary), 'Input', 'Output', 'Cache write', 'Cache read', 'Cache hit ratio'],
      rows, [false, true, true, true, true, true]);
  }

  function renderTop(top, timezone, showRecord) {
    var when = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'medium' });
    var rows = top.rows.map(function (row) {
      var button = element('button', { type: 'button', class: 'link', 'data-record-id': row.id }, 'show');
      button.addEventListener('click', function () { showRecord(row.id); });
      return [when.format(new Date(row.startedAt)), row.model, row.category === null ? '–' : row.category, row.status,
        usdText(row.costUsd), integer.format(row.inputTokens), integer.format(row.outputTokens), integer.format(row.cacheReadTokens),
        integer.format(row.durationMs), button];
    });
    var container = document.getElementById('top-table');
    container.innerHTML = '';
    if (rows.length === 0) {
      container.appendChild(element('p', { class: 'chart-note' }, 'No priced calls in this range.'));
      return;
    }
    container.appendChild(table(['Started (' + timezone + ')', 'Model', 'Category', 'Status', 'Cost (USD)', 'Input', 'Output', 'Cache read',
      'Duration (ms)', 'Record'], rows, [false, false, false, false, true, true, true, true, true, false]));
  }

  function renderStorage(storage) {
    figures(document.getElementById('storage-figures'), [
      ['Store', storage.kind + ' · ' + storage.location],
      ['Records', integer.format(storage.records)],
      ['Size', storage.bytes === null ? 'unknown' : compact.format(storage.bytes) + 'B (' + integer.format(storage.bytes) + ' bytes)'],
      ['Oldest', storage.oldestAt || '–'],
      ['Newest', storage.newestAt || '–'],
    ]);
    var rowsChart = document.getElementById('rows-chart');
    if (storage.rowsPerDay.length === 0) {
      rowsChart.innerHTML = '<p class="chart-note">No records per day to draw.</p>';
      rowsChart.__chart = null;
    } else charts.stackedBars(rowsChart, {
      labels: storage.rowsPerDay.map(function (d) { return d.label; }),
      series: [{ label: 'Records', colour: '#56B4E9', values: storage.rowsPerDay.map(function (d) { return d.records; }) }],
      xTitle: 'Day (' + (window.__anthrotraceData.summary ? window.__anthrotraceData.summary.timezone : '') + '), last 31 days of the range at most',
      yTitle: 'Records per day',
      description: 'Records stored per day',
      format: function (value) { return integer.format(value); },
      formatAxis: function (value) { return compact.format(value); },
    });
  }

  window.AnthroTraceViews = {
    renderScope: renderScope,
    renderCost: renderCost,
    renderTokens: renderTokens,
    renderTop: renderTop,
    renderStorage: renderStorage,
    renderStorageBench: function (runs) { window.AnthroTraceBench.renderStorageBench(runs, { element: element, table: table }); },
    renderBench: function (bench) { window.AnthroTraceBench.renderBench(bench, { element: element, table: table, usdText: usdText, usdTick: usdTick, REGRESSION_COLOUR: REGRESSION_COLOUR }); },
  };
})();
