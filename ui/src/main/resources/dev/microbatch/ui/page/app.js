// The streaming page: polls the pipeline's JSON API (relative URLs) every second and draws the
// header, four timelines with histograms (uPlot), the batch tables, a batch's details and the
// options. Read-only: it only GETs.
(function () {
  'use strict';
  const REFRESH_MS = 1000;
  const PAGE_SIZE = 20;
  const METRICS = ['inputRate', 'schedulingDelay', 'processingTime', 'totalDelay'];
  const SOURCE_COLORS = ['#109618', '#ff9900', '#990099', '#0099c6', '#dd4477', '#66aa00'];
  const state = { app: null, page: 0, charts: {}, chartKeys: {}, hists: {}, timeline: null, shownBatch: null };
  window.microbatchUiErrors = [];
  window.addEventListener('error', e => window.microbatchUiErrors.push(String(e.message)));

  function api(path) {
    return fetch('api/v1/' + path, { cache: 'no-store' }).then(r => {
      if (!r.ok) { throw new Error(path + ': HTTP ' + r.status); }
      return r.json();
    });
  }

  function text(value) { return value === null || value === undefined ? '-' : String(value); }
  function ms(value) { return value === null || value === undefined ? '-' : value + ' ms'; }
  function duration(millis) {
    const s = Math.floor(millis / 1000);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ' h ' : '') + (h || m ? m + ' min ' : '') + (s % 60) + ' s';
  }
  function time(millis) { return new Date(millis).toISOString().replace('T', ' ').replace('Z', ''); }
  function cell(row, value, cls) {
    const td = row.insertCell();
    td.textContent = value;
    if (cls) { td.className = cls; }
    return td;
  }
  function batchLink(row, batchTime) {
    const a = document.createElement('a');
    a.href = '#batch=' + batchTime;
    a.textContent = time(batchTime);
    a.className = 'batch-link';
    row.insertCell().appendChild(a);
  }

  function renderHeader(stats) {
    document.getElementById('pipeline-name').textContent = stats.name;
    document.getElementById('pipeline-mode').textContent = stats.mode;
    document.title = stats.name + ' - MicroBatchRunner';
    const summary = document.getElementById('summary');
    summary.innerHTML = '';
    const parts = [
      ['Batch interval', stats.batchDuration + ' ms'], ['Parallelism', stats.parallelism],
      ['Uptime', duration(stats.uptime)], ['Batches completed', stats.numTotalCompletedBatches],
      ['Records processed', stats.numProcessedRecords], ['Failed batches', stats.numFailedBatches],
      ['Rate limit', stats.recordLimitPerPartition === null ? 'none' : stats.recordLimitPerPartition + ' records per partition per batch']];
    parts.forEach(([name, value], i) => {
      const span = document.createElement('span');
      span.id = 'summary-' + name.toLowerCase().replace(/ /g, '-');
      span.innerHTML = (i ? ' · ' : '') + name + ': ';
      const b = document.createElement('b');
      b.textContent = value;
      span.appendChild(b);
      summary.appendChild(span);
    });
    document.getElementById('completed-count').textContent = stats.numTotalCompletedBatches;
  }

  function averageOf(values) {
    const known = values.filter(v => v !== null);
    return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
  }

  function histogram(values) {
    const known = values.filter(v => v !== null);
    if (!known.length) { return [[0], [0]]; }
    const min = Math.min(...known), max = Math.max(...known);
    const bins = 10, width = (max - min) / bins || 1;
    const counts = new Array(bins).fill(0);
    known.forEach(v => counts[Math.min(bins - 1, Math.floor((v - min) / width))]++);
    return [counts.map((_, i) => min + (i + 0.5) * width), counts];
  }

  function chartWidth(td) { return Math.max(240, Math.floor(td.getBoundingClientRect().width || 360)); }

  function renderCharts(timeline) {
    state.timeline = timeline;
    const xs = timeline.batchTime.map(t => t / 1000);
    document.getElementById('timeline-note').textContent =
      '(last ' + xs.length + ' finished batches; click a point to open its batch)';
    METRICS.forEach(metric => {
      const row = document.querySelector('tr[data-metric="' + metric + '"]');
      const values = timeline[metric];
      const avg = averageOf(values);
      row.querySelector('.avg').textContent = avg === null ? 'Avg: -' : 'Avg: ' + avg.toFixed(1);
      const data = [xs, values];
      const series = [{}, { label: metric === 'inputRate' ? 'all inputs' : metric, stroke: '#3366cc', width: 1.5, points: { size: 4 } }];
      let key = metric;
      if (metric === 'inputRate') {
        // One line per input besides the total; the chart is rebuilt when the inputs change.
        const sources = timeline.inputRateBySource || [];
        sources.forEach((source, i) => {
          data.push(source.inputRate);
          series.push({ label: source.name, stroke: SOURCE_COLORS[i % SOURCE_COLORS.length], width: 1, points: { size: 3 } });
        });
        key = sources.map(s => s.streamId + ':' + s.name).join('|');
        row.querySelector('.avg-sources').innerHTML = '';
        sources.forEach(source => {
          const avg = averageOf(source.inputRate);
          const div = document.createElement('div');
          div.className = 'avg-source';
          div.textContent = source.name + ': ' + (avg === null ? '-' : avg.toFixed(1));
          row.querySelector('.avg-sources').appendChild(div);
        });
      }
      if (metric === 'processingTime') {
        data.push(xs.map(() => timeline.batchInterval));
        series.push({ label: 'batch interval', stroke: '#cc3333', dash: [6, 4], width: 1, points: { show: false } });
      }
      let chart = state.charts[metric];
      if (chart && state.chartKeys[metric] !== key) {
        chart.destroy();
        chart = null;
      }
      if (!chart) {
        const td = row.querySelector('.chart');
        chart = new uPlot({
          width: chartWidth(td), height: 140, legend: { show: metric === 'inputRate' },
          cursor: { points: { size: 6 } }, series: series,
          axes: [{}, { size: 55 }],
          hooks: { ready: [u => u.over.addEventListener('click', () => openPointOf(u))] }
        }, data, td);
        state.charts[metric] = chart;
        state.chartKeys[metric] = key;
      } else {
        chart.setData(data);
      }
      const bins = histogram(values);
      let hist = state.hists[metric];
      if (!hist) {
        const td = row.querySelector('.hist');
        hist = new uPlot({
          width: Math.min(320, chartWidth(td)), height: 140, legend: { show: false },
          scales: { x: { time: false } },
          series: [{}, { label: 'batches', fill: '#3366cc55', stroke: '#3366cc',
                         paths: uPlot.paths.bars({ size: [0.9] }), points: { show: false } }],
          axes: [{}, { size: 40 }]
        }, bins, td);
        state.hists[metric] = hist;
      } else {
        hist.setData(bins);
      }
    });
  }

  function openPointOf(u) {
    const idx = u.cursor.idx;
    if (idx !== null && idx !== undefined && state.timeline) {
      location.hash = '#batch=' + state.timeline.batchTime[idx];
    }
  }

  function renderTable(tableId, batches, completed) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.innerHTML = '';
    batches.forEach(b => {
      const row = body.insertRow();
      if (b.status === 'FAILED') { row.className = 'failed'; }
      batchLink(row, b.batchId);
      cell(row, b.sequence);
      cell(row, b.status.toLowerCase());
      if (completed) {
        cell(row, b.inputSize);
        cell(row, ms(b.schedulingDelay));
        cell(row, ms(b.processingTime));
        cell(row, ms(b.totalDelay));
      } else {
        cell(row, ms(b.schedulingDelay));
      }
      cell(row, b.attempts);
      cell(row, b.firstFailureReason ? b.firstFailureReason.split('\n')[0] : '-', b.firstFailureReason ? 'error' : '');
    });
  }

  function values(v) {
    return Object.entries(v).map(([k, x]) => (k === 'value' ? '' : k + ' ') + x).join(', ');
  }

  function renderUserMetrics(metrics) {
    document.getElementById('user-metrics-count').textContent = metrics.length;
    const body = document.querySelector('#user-metrics tbody');
    body.innerHTML = '';
    metrics.forEach(m => {
      const row = body.insertRow();
      cell(row, m.step);
      cell(row, m.namespace);
      cell(row, m.name);
      cell(row, m.kind);
      cell(row, values(m.committed));
      cell(row, values(m.attempted));
    });
  }

  function renderStages(s) {
    document.getElementById('stages-note').textContent =
      s.batch === null ? '' : '(last completed batch, ' + time(s.batch) + '; average and busy over the retained batches)';
    const body = document.querySelector('#stages tbody');
    body.innerHTML = '';
    s.stages.forEach(st => {
      const row = body.insertRow();
      cell(row, st.name);
      cell(row, st.kind);
      cell(row, st.duration + ' ms');
      cell(row, st.averageDuration.toFixed(1) + ' ms');
      cell(row, (100 * st.busy).toFixed(1) + '%');
      cell(row, st.inputStreamIds.length === 0 ? '-'
        : st.rateLimit === null ? 'none (no rate limit)' : 'rate limit ' + st.rateLimit + ' per partition',
        st.backpressured ? 'error' : '');
      stageCells(row, st);
    });
  }

  // A stage's records, watermarks and, for a stateful stage, its hold, timers and state.
  function stageCells(row, st) {
    cell(row, st.records);
    cell(row, st.inputWatermark);
    cell(row, st.outputWatermark);
    cell(row, ms(st.watermarkLag));
    cell(row, text(st.watermarkHold));
    cell(row, text(st.timersFired));
    cell(row, text(st.stateKeys));
    cell(row, text(st.stateBytes));
  }

  function renderCheckpoints(c) {
    document.getElementById('checkpoint-summary').textContent =
      c.numCompleted + ' completed, ' + c.numFailed + ' failed' +
      (c.restoredBatch === null ? '; started fresh' : '; restored from the checkpoint of batch ' + c.restoredBatch) +
      (c.lastFailure ? '; last failure: ' + c.lastFailure : '');
    const body = document.querySelector('#checkpoints tbody');
    body.innerHTML = '';
    c.history.slice(0, 10).forEach(k => {
      const row = body.insertRow();
      cell(row, k.batch);
      cell(row, k.completedAt);
      cell(row, k.duration + ' ms');
      cell(row, k.captureDuration + ' ms');
      cell(row, k.bytes);
      cell(row, k.keys);
      cell(row, k.stateFiles);
      cell(row, k.compactedChains ? k.compactedChains + ' (' + k.compactionDuration + ' ms)' : '-');
    });
  }

  function refreshOverview() {
    const app = 'applications/' + state.app + '/';
    return Promise.all([
      api(app + 'streaming/statistics'),
      api(app + 'streaming/timeline'),
      api(app + 'streaming/batches?status=QUEUED'),
      api(app + 'streaming/batches?status=PROCESSING'),
      api(app + 'streaming/batches?status=COMPLETED&offset=' + state.page * PAGE_SIZE + '&length=' + PAGE_SIZE),
      api(app + 'checkpoints'),
      api(app + 'stages'),
      api(app + 'metrics')
    ]).then(([stats, timeline, queued, processing, completed, checkpoints, stages, metrics]) => {
      renderUserMetrics(metrics);
      renderCheckpoints(checkpoints);
      renderStages(stages);
      renderHeader(stats);
      renderCharts(timeline);
      const active = processing.concat(queued);
      document.getElementById('active-count').textContent = active.length;
      renderTable('active-batches', active, false);
      renderTable('completed-batches', completed, true);
      const pages = Math.max(1, Math.ceil(stats.numRetainedCompletedBatches / PAGE_SIZE));
      document.getElementById('page-info').textContent = 'page ' + (state.page + 1) + ' of ' + pages;
      document.getElementById('older').disabled = state.page + 1 >= pages;
      document.getElementById('newer').disabled = state.page === 0;
    });
  }

  function refreshBatch(batchTime) {
    return Promise.all([
      api('applications/' + state.app + '/streaming/statistics'),
      api('applications/' + state.app + '/streaming/batches/' + batchTime)
    ]).then(([stats, b]) => {
      renderHeader(stats);
      // A batch that has not changed keeps its rows, so a selection or a click on them survives the refresh.
      const shown = JSON.stringify(b);
      if (shown === state.shownBatch) { return; }
      state.shownBatch = shown;
      document.getElementById('batch-title').textContent = b.sequence + ' at ' + time(b.batchId);
      const details = document.getElementById('batch-details');
      details.innerHTML = '';
      [['Batch id (batch time, ms)', b.batchId], ['Batch number', b.sequence], ['Status', b.status],
       ['Records in', b.inputSize], ['Records out', b.outputSize],
       ['Scheduling delay', ms(b.schedulingDelay)], ['Processing time', ms(b.processingTime)],
       ['Total delay', ms(b.totalDelay)], ['Attempts', b.attempts],
       ['Rate limit', b.recordLimitPerPartition === null ? 'none' : b.recordLimitPerPartition + ' records per partition'],
       ['First failure', text(b.firstFailureReason)]].forEach(([name, value]) => {
        const dt = document.createElement('dt'); dt.textContent = name;
        const dd = document.createElement('dd'); dd.textContent = value;
        if (name === 'First failure' && b.firstFailureReason) { dd.className = 'error'; }
        dd.dataset.field = name;
        details.appendChild(dt); details.appendChild(dd);
      });
      const inputs = document.querySelector('#batch-inputs tbody');
      inputs.innerHTML = '';
      (b.inputs || []).forEach(input => {
        const row = inputs.insertRow();
        cell(row, input.name);
        cell(row, input.records);
        cell(row, input.positions.map((p, i) => i + ': ' + p).join('\n'), 'position');
      });
      const body = document.querySelector('#batch-stages tbody');
      body.innerHTML = '';
      (b.stages || []).forEach(st => {
        const row = body.insertRow();
        cell(row, st.name);
        cell(row, st.kind);
        cell(row, st.duration + ' ms');
        stageCells(row, st);
      });
    });
  }

  function refreshOptions() {
    return api('applications/' + state.app + '/environment').then(env => {
      const body = document.querySelector('#options tbody');
      body.innerHTML = '';
      Object.entries(env.pipelineOptions).forEach(([name, value]) => {
        const row = body.insertRow();
        cell(row, name);
        cell(row, value);
      });
    });
  }

  function show(page) {
    ['overview-page', 'batch-page', 'options-page'].forEach(id => {
      document.getElementById(id).hidden = id !== page;
    });
  }

  function refresh() {
    const hash = location.hash;
    let work;
    if (hash.startsWith('#batch=')) {
      show('batch-page');
      work = refreshBatch(hash.substring('#batch='.length));
    } else if (hash === '#options') {
      state.shownBatch = null;
      show('options-page');
      work = refreshOptions();
    } else {
      state.shownBatch = null;
      show('overview-page');
      work = refreshOverview();
    }
    return work.then(
      () => { document.getElementById('status-line').textContent = 'Updated ' + new Date().toLocaleTimeString(); },
      e => { document.getElementById('status-line').textContent = 'Not updated: ' + e.message; });
  }

  function loop() {
    refresh().finally(() => setTimeout(loop, REFRESH_MS));
  }

  document.getElementById('older').addEventListener('click', () => { state.page++; refresh(); });
  document.getElementById('newer').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); refresh(); });
  window.addEventListener('hashchange', refresh);
  api('applications').then(apps => { state.app = apps[0].id; loop(); },
    e => { document.getElementById('summary').textContent = 'The pipeline does not answer: ' + e.message; });
}());
