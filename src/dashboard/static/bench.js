// The benchmark history view: per case, median and p90 of cost, prompt tokens, output tokens and latency across runs,
// with the runs that regressed against the baseline run marked.
(function () {
  'use strict';

  var charts = window.AnthroTraceCharts;
  var selectedCase = null;

  function column(points, runCount, pick) {
    var values = [];
    for (var i = 0; i < runCount; i++) values.push(null);
    points.forEach(function (point) {
      var stat = pick(point);
      values[point.run] = stat;
    });
    return values;
  }

  // Median line, p90 dashed, and a large vermillion point on every run where this measure regressed.
  function measureChart(container, history, item, spec, helpers) {
    var runs = history.runs.length;
    var labels = history.runs.map(function (run) { return run.label; });
    var median = column(item.points, runs, function (p) { var s = spec.pick(p); return s === null ? null : Number(s.median); });
    var p90 = column(item.points, runs, function (p) { var s = spec.pick(p); return s === null ? null : Number(s.p90); });
    var marked = column(item.points, runs, function (p) {
      var s = spec.pick(p);
      return s !== null && p.regressions.indexOf(spec.measure) >= 0 ? Number(s.median) : null;
    });
    var cell = container.appendChild(helpers.element('div'));
    var chart = helpers.element('div', { class: 'chart', 'data-measure': spec.measure });
    cell.appendChild(helpers.element('h3', {}, spec.title));
    cell.appendChild(chart);
    charts.lines(chart, {
      labels: labels,
      xTitle: 'Run (commit or start time, run id)',
      xLegend: 'Run',
      yTitle: spec.unit,
      description: spec.title + ' of case ' + item.name + ' per run; regressions marked',
      format: spec.format,
      series: [
        { label: 'Median', colour: '#0072B2', values: median },
        { label: 'p90', colour: '#E69F00', values: p90, dash: [6, 4] },
        { label: 'Regression', colour: helpers.REGRESSION_COLOUR, values: marked, pointsOnly: true, pointSize: 12 },
      ],
    });
  }

  function renderBench(history, helpers) {
    var container = document.getElementById('bench-content');
    container.innerHTML = '';
    if (!history || history.runs.length === 0) {
      container.appendChild(helpers.element('p', { class: 'chart-note' },
        'No benchmark runs. Run a suite with anthrotrace bench suite.yaml (its calls are stored), or pass --bench-results with result files written by bench --output.'));
      return;
    }
    var baseline = history.baselineRun === null ? 'none (one run)' : history.runs[history.baselineRun].label;
    container.appendChild(helpers.element('p', { class: 'chart-note' },
      history.runs.length + ' runs from ' + (history.source === 'results' ? 'result files' : 'the store') + '. Baseline: ' + baseline +
      '. Regressions use the bench gate\'s default thresholds.' +
      history.skippedMeasures.map(function (s) { return ' Not compared: ' + s.measure + ' (' + s.reason + ').'; }).join('')));

    var names = history.cases.map(function (c) { return c.name; });
    // Open on a case that regressed, since that is what the reader came for.
    if (names.indexOf(selectedCase) < 0) selectedCase = history.regressions.length ? history.regressions[0].case : names[0];
    var label = helpers.element('label', { class: 'bench-case' }, 'Case ');
    var select = helpers.element('select', { name: 'bench-case' });
    names.forEach(function (name) {
      var option = helpers.element('option', { value: name }, name);
      select.appendChild(option);
    });
    select.value = selectedCase;
    label.appendChild(select);
    container.appendChild(label);
    var chartsBox = helpers.element('div', { class: 'bench-charts' });
    container.appendChild(chartsBox);

    function drawCase() {
      chartsBox.innerHTML = '';
      var item = history.cases[names.indexOf(selectedCase)];
      var tokens = function (v) { return Math.round(v).toLocaleString('en-US'); };
      measureChart(chartsBox, history, item, { measure: 'cost', title: 'Cost per call', unit: 'USD per call', pick: function (p) { return p.costUsd; }, format: helpers.usdTick }, helpers);
      measureChart(chartsBox, history, item, { measure: 'input_tokens', title: 'Prompt tokens per call', unit: 'Tokens', pick: function (p) { return p.promptTokens; }, format: tokens }, helpers);
      measureChart(chartsBox, history, item, { measure: 'output_tokens', title: 'Output tokens per call', unit: 'Tokens', pick: function (p) { return p.outputTokens; }, format: tokens }, helpers);
      measureChart(chartsBox, history, item, { measure: 'latency', title: 'Latency', unit: 'Milliseconds', pick: function (p) { return p.latencyMs; }, format: function (v) { return v.toFixed(0) + ' ms'; } }, helpers);
    }
    select.addEventListener('change', function () {
      selectedCase = select.value;
      drawCase();
    });
    drawCase();

    container.appendChild(helpers.element('h3', {}, 'Regressions against the baseline'));
    if (history.regressions.length === 0) {
      container.appendChild(helpers.element('p', { class: 'chart-note' }, 'None.'));
      return;
    }
    var rows = history.regressions.map(function (r) {
      var change = r.change === null ? 'from 0' : '+' + (r.change * 100).toFixed(1) + '%';
      var unit = r.measure === 'cost' ? function (v) { return '$' + v; } : r.measure === 'latency' ? function (v) { return v + ' ms'; } : String;
      return { className: 'regression', cells: [r.case, history.runs[r.run].label, r.measure, unit(r.baseline), unit(r.current), change] };
    });
    container.appendChild(helpers.table(['Case', 'Run', 'Measure', 'Baseline median', 'Median', 'Change'], rows, [false, false, false, true, true, true]));
  }

  // Storage benchmark runs (bench --storage): the newest run per engine as a table, and the median time of each
  // task across runs when there are several.
  function renderStorageBench(runs, helpers) {
    var container = document.getElementById('storage-bench');
    container.innerHTML = '';
    container.appendChild(helpers.element('h3', {}, 'Storage benchmarks'));
    if (!runs || runs.length === 0) {
      container.appendChild(helpers.element('p', { class: 'chart-note' },
        'No storage benchmark results. Run anthrotrace bench --storage sqlite --output results/storage.json and pass --bench-results results.'));
      return;
    }
    var newest = {};
    runs.forEach(function (run) { newest[run.engine] = run; });
    var rows = [];
    Object.keys(newest).sort().forEach(function (engine) {
      var run = newest[engine];
      run.tasks.forEach(function (task) {
        rows.push([engine, run.startedAt.slice(0, 16).replace('T', ' ') + ' UTC', task.name, Math.round(task.recordsPerSecond).toLocaleString('en-US'),
          task.operationsPerSecond.toFixed(1), task.medianMs.toFixed(3), task.p90Ms.toFixed(3)]);
      });
    });
    container.appendChild(helpers.table(['Engine', 'Run', 'Task', 'Records/s', 'Operations/s', 'Median (ms)', 'p90 (ms)'], rows,
      [false, false, false, true, true, true, true]));
    if (runs.length < 2) return;

    var names = [];
    runs.forEach(function (run) { run.tasks.forEach(function (task) { if (names.indexOf(run.engine + ' ' + task.name) < 0) names.push(run.engine + ' ' + task.name); }); });
    var series = names.slice(0, charts.PALETTE.length).map(function (name, k) {
      return {
        label: name,
        colour: charts.PALETTE[k],
        values: runs.map(function (run) {
          var task = run.tasks.filter(function (t) { return run.engine + ' ' + t.name === name; })[0];
          return task ? task.medianMs : null;
        }),
      };
    });
    var chart = container.appendChild(helpers.element('div', { class: 'chart', id: 'storage-bench-chart' }));
    charts.lines(chart, {
      labels: runs.map(function (run) { return run.startedAt.slice(0, 10) + ' ' + run.runId.slice(0, 6); }),
      xTitle: 'Run (start date, run id)',
      xLegend: 'Run',
      yTitle: 'Median per operation (ms)',
      description: 'Median milliseconds per operation of each storage benchmark task across runs',
      format: function (v) { return v.toFixed(2) + ' ms'; },
      series: series,
    });
  }

  window.AnthroTraceBench = { renderBench: renderBench, renderStorageBench: renderStorageBench };
})();
