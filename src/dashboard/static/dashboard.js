// The AnthroTrace dashboard page. In "live" mode it fetches aggregates from the `anthrotrace dashboard` server and
// polls /api/changes. In "static" mode (`report --html`) it draws every view from data inlined in the file.
// The data last drawn stays in window.__anthrotraceData, where tests read it.
(function () {
  'use strict';

  var charts = window.AnthroTraceCharts;
  var views = window.AnthroTraceViews;
  var config = JSON.parse(document.getElementById('anthrotrace-config').textContent);
  var form = document.getElementById('controls');
  var state = { summary: null, storage: null, top: null, bench: null, records: {}, mark: null, error: null };
  window.__anthrotraceData = state;

  function setStatus(text) {
    document.getElementById('status').textContent = text;
  }

  function setPageState(name) {
    document.body.setAttribute('data-state', name);
    document.getElementById('empty-view').hidden = name !== 'empty';
    document.getElementById('error-view').hidden = name !== 'error';
    document.getElementById('views').hidden = name === 'error' || name === 'empty';
  }

  function showError(message) {
    state.error = message;
    document.getElementById('error-message').textContent = message;
    document.getElementById('scope').textContent = 'No data: the last request failed.';
    setPageState('error');
    setStatus('');
  }

  function rangeQuery() {
    var params = new URLSearchParams();
    ['from', 'to', 'tz', 'bucket'].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value !== '') params.set(name, value);
    });
    return params.toString();
  }

  function fetchJson(path) {
    return fetch(path, { headers: { accept: 'application/json' } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var error = new Error(body && body.error ? body.error : 'request failed with HTTP ' + response.status);
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  // Show the empty notice while the store has no records. Show the views when there is anything to draw: records,
  // or benchmark results given on the command line. Returns whether the views are shown.
  function showSections() {
    var noRecords = state.storage.records === 0;
    var benchRuns = state.bench !== null && (state.bench.history.runs.length > 0 || state.bench.storageRuns.length > 0);
    if (noRecords && !benchRuns) {
      document.getElementById('scope').textContent = state.storage.kind + ' store ' + state.storage.location + ' · no records';
      setPageState('empty');
      return false;
    }
    setPageState('ready');
    document.getElementById('empty-view').hidden = !noRecords;
    views.renderScope(state.summary, state.storage);
    return true;
  }

  function renderSummary() {
    if (!showSections()) return;
    views.renderCost(state.summary, form.elements.group.value);
    views.renderTokens(state.summary);
    views.renderStorage(state.storage);
  }

  function renderBench() {
    if (state.bench === null) return;
    // The first benchmark runs can turn the empty page into one worth drawing.
    if (document.body.getAttribute('data-state') === 'empty') renderSummary();
    if (!showSections()) return;
    views.renderBench(state.bench.history);
    views.renderStorageBench(state.bench.storageRuns);
  }

  function renderTop() {
    if (state.top !== null && state.storage.records > 0) views.renderTop(state.top, state.summary.timezone, showRecord);
  }

  function render() {
    renderSummary();
    renderBench();
    renderTop();
  }

  function showRecord(id) {
    var detail = document.getElementById('record-detail');
    var cached = state.records[id];
    var reveal = function (record) {
      detail.hidden = false;
      detail.textContent = JSON.stringify(record, null, 2);
      detail.focus();
    };
    if (cached) return reveal(cached);
    fetchJson('api/records/' + encodeURIComponent(id)).then(function (record) {
      state.records[id] = record;
      reveal(record);
    }, function (error) {
      detail.hidden = false;
      detail.textContent = error.message;
    });
  }

  function updated() {
    var pending = [];
    if (state.bench === null) pending.push('benchmarks');
    if (state.top === null) pending.push('the most expensive calls');
    setStatus('Updated ' + new Date().toLocaleTimeString() + '.' + (pending.length ? ' Loading ' + pending.join(' and ') + '…' : ''));
  }

  // The summary first, so the charts appear early; then benchmarks and the top calls, which can take longer.
  function load() {
    var query = rangeQuery();
    setStatus('Loading…');
    document.body.setAttribute('data-state', 'loading');
    document.body.setAttribute('data-bench', 'loading');
    document.body.setAttribute('data-top', 'loading');
    return fetchJson('api/summary?' + query).then(function (body) {
      state.summary = body.summary;
      state.storage = body.storage;
      state.mark = body.mark;
      state.bench = null;
      state.top = null;
      state.error = null;
      if (form.elements.tz.value.trim() === '') form.elements.tz.value = body.summary.timezone;
      renderSummary();
      updated();
      var bench = fetchJson('api/bench').then(function (views) {
        state.bench = views;
        renderBench();
        updated();
        document.body.setAttribute('data-bench', 'ready');
      });
      var top = fetchJson('api/top?' + query).then(function (calls) {
        state.top = calls;
        renderTop();
        updated();
        document.body.setAttribute('data-top', 'ready');
      });
      return Promise.all([bench, top]);
    }).catch(function (error) {
      // HTTP 400 means the server cannot read the range or zone, so show the message by the controls and keep the last views.
      if (error.status === 400) {
        document.body.setAttribute('data-state', state.summary ? 'ready' : 'invalid');
        setStatus('Not applied: ' + error.message);
        return;
      }
      showError(error.message);
    });
  }

  // Reload when the store's record count or newest record changes, and after an error so the page recovers.
  function poll() {
    fetchJson('api/changes').then(function (mark) {
      var changed = !state.mark || mark.records !== state.mark.records || mark.newestAt !== state.mark.newestAt;
      if (changed || state.error) return load();
    }, function (error) {
      showError(error.message);
    }).then(function () {
      setTimeout(poll, config.refreshSeconds * 1000);
    });
  }

  function applyPreset() {
    var preset = form.elements.range.value;
    if (preset === 'custom') return;
    var bounds = preset === 'all' ? ['', ''] : [preset, 'now'];
    form.elements.from.value = bounds[0];
    form.elements.to.value = bounds[1];
  }

  form.elements.from.value = config.range.from || '';
  form.elements.to.value = config.range.to || '';
  form.elements.tz.value = config.range.tz || '';
  form.elements.bucket.value = config.range.bucket || 'auto';
  form.elements.range.value = config.range.preset || 'custom';

  if (config.mode === 'static') {
    var snapshot = config.snapshot;
    state.summary = snapshot.summary;
    state.storage = snapshot.storage;
    state.bench = snapshot.bench;
    state.top = snapshot.top;
    state.records = snapshot.records || {};
    // A file cannot ask for another range; only the grouping, which needs no new data, stays active.
    ['range', 'from', 'to', 'tz', 'bucket', 'apply'].forEach(function (name) { form.elements[name].disabled = true; });
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    form.elements.group.addEventListener('change', renderSummary);
    render();
    document.body.setAttribute('data-bench', 'ready');
    document.body.setAttribute('data-top', 'ready');
    setStatus('Written ' + snapshot.generatedAt + '.');
    return;
  }

  form.elements.range.addEventListener('change', function () {
    applyPreset();
    load();
  });
  ['from', 'to'].forEach(function (name) {
    form.elements[name].addEventListener('input', function () { form.elements.range.value = 'custom'; });
  });
  form.elements.bucket.addEventListener('change', load);
  form.elements.group.addEventListener('change', function () {
    if (state.summary) views.renderCost(state.summary, form.elements.group.value);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    load();
  });
  load().then(function () { setTimeout(poll, config.refreshSeconds * 1000); });
  void charts;
})();
