// Chart helpers over uPlot (https://github.com/leeoniya/uPlot, MIT), loaded before this file as the global `uPlot`.
// Every chart uses bucket or run indexes on the x axis and draws its labels from a list, so the x values never
// depend on the browser's own time zone.
(function () {
  'use strict';

  // Okabe and Ito, "Color Universal Design" (2008), https://jfly.uni-koeln.de/color/: distinguishable with the
  // common colour-vision deficiencies. Grey is kept for the "others" series.
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
  var OTHER_COLOUR = '#999999';
  var MIN_LABEL_SPACING_PX = 90;

  function chartWidth(element) {
    return Math.max(280, Math.floor(element.clientWidth || element.parentNode.clientWidth || 600));
  }

  function chartHeight() {
    return window.innerWidth < 700 ? 220 : 280;
  }

  // Indexes 0..count-1, thinned so that labels at least MIN_LABEL_SPACING_PX apart fit the plot width.
  function indexSplits(count, widthPx) {
    var fit = Math.max(1, Math.floor(widthPx / MIN_LABEL_SPACING_PX));
    var step = Math.max(1, Math.ceil(count / fit));
    var splits = [];
    for (var i = 0; i < count; i += step) splits.push(i);
    return splits;
  }

  function xAxis(labels, title) {
    return {
      label: title,
      splits: function (u) { return indexSplits(labels.length, u.bbox.width / (window.devicePixelRatio || 1)); },
      values: function (u, splits) { return splits.map(function (i) { return labels[i] === undefined ? '' : labels[i]; }); },
      gap: 6,
    };
  }

  // Amounts and counts start at zero, so the height of a line or bar reads as its size.
  function fromZero(u, min, max) {
    return [0, max > 0 ? max * 1.08 : 1];
  }

  function indexes(count) {
    var xs = [];
    for (var i = 0; i < count; i++) xs.push(i);
    return xs;
  }

  // Stacked bars: series k is drawn with the sum of series k..n-1, the tallest first, so each later (shorter)
  // bar covers the lower part of the previous one. The legend shows each series' own value, not the running sum.
  function stackedBars(element, spec) {
    var count = spec.labels.length;
    var layers = spec.series;
    var stacked = [];
    for (var k = layers.length - 1; k >= 0; k--) {
      var below = stacked.length ? stacked[0] : null;
      stacked.unshift(layers[k].values.map(function (v, i) { return v + (below ? below[i] : 0); }));
    }
    var bars = uPlot.paths.bars({ size: [0.8, 64] });
    var series = [{ label: spec.xTitle, value: function (u, v) { return v == null ? '' : spec.labels[v]; } }];
    layers.forEach(function (layer, k) {
      series.push({
        label: layer.label,
        stroke: layer.colour,
        fill: layer.colour,
        width: 0,
        paths: bars,
        points: { show: false },
        value: function (u, v, si, i) { return i == null ? '' : spec.format(layer.values[i], layer.raw ? layer.raw[i] : undefined); },
      });
    });
    var data = [indexes(count)].concat(stacked);
    return draw(element, spec, series, data, { y: { range: fromZero } });
  }

  // Lines: spec.series[k] = { label, colour, values, dash }.
  function lines(element, spec) {
    var series = [{ label: spec.xLegend || spec.xTitle, value: function (u, v) { return v == null ? '' : spec.labels[v]; } }];
    spec.series.forEach(function (line) {
      series.push({
        label: line.label,
        stroke: line.colour,
        width: 2,
        dash: line.dash,
        spanGaps: true,
        points: { show: true, size: line.pointSize || 5, fill: line.pointFill || line.colour },
        paths: line.pointsOnly ? function () { return null; } : undefined,
        value: function (u, v) { return v == null ? '–' : spec.format(v); },
      });
    });
    var data = [indexes(spec.labels.length)].concat(spec.series.map(function (line) { return line.values; }));
    return draw(element, spec, series, data, { y: { range: spec.yRange || fromZero } });
  }

  function draw(element, spec, series, data, scales) {
    element.innerHTML = '';
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', spec.description);
    var count = spec.labels.length;
    var options = {
      width: chartWidth(element),
      height: chartHeight(),
      series: series,
      scales: Object.assign({ x: { time: false, range: [-0.5, Math.max(count - 0.5, 0.5)] } }, scales),
      axes: [
        xAxis(spec.labels, spec.xTitle),
        { label: spec.yTitle, size: 92, values: function (u, splits) { return splits.map(spec.formatAxis || spec.format); } },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    var chart = new uPlot(options, data, element);
    element.__chart = chart;
    return chart;
  }

  function resizeAll() {
    var charts = document.querySelectorAll('.chart');
    for (var i = 0; i < charts.length; i++) {
      var chart = charts[i].__chart;
      if (chart) chart.setSize({ width: chartWidth(charts[i]), height: chartHeight() });
    }
  }

  var pending = null;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(resizeAll, 100);
  });

  window.AnthroTraceCharts = {
    PALETTE: PALETTE,
    OTHER_COLOUR: OTHER_COLOUR,
    stackedBars: stackedBars,
    lines: lines,
  };
})();
