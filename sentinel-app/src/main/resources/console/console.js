// Sentinel's console: a hand-written page over the JSON API, no framework. The API key lives in
// sessionStorage and goes with every call; the server decides what each role may do, the page
// only hides what would be refused anyway.
'use strict';

const state = { key: sessionStorage.getItem('sentinel.key'), session: null, refresh: null, skew: 0 };
const main = document.getElementById('main');
const PAGE = 25;
const ACTIONS = ['incident.opened', 'incident.merged', 'incident.resolved', 'incident.acknowledged',
  'incident.assigned', 'incident.noted', 'incident.severity_changed', 'incident.taken_over',
  'incident.handed_back', 'analysis.completed',
  'plan.proposed', 'approval.requested', 'approval.granted', 'approval.rejected', 'approval.refused',
  'action.executed', 'action.refused', 'action.failed', 'action.rolled_back', 'escalated',
  'notification.delivered', 'notification.failed', 'api.key_created', 'api.key_revoked', 'audit.pruned',
  'audit.keyed'];

// h('td', {class: 'x'}, 'text', child): builds DOM without innerHTML, so no text is ever markup.
function h(tag, attrs, ...children) {
  const svg = ['svg', 'path', 'circle', 'line', 'text', 'polygon', 'g', 'title', 'rect'].includes(tag);
  const node = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function api(path, options = {}) {
  const headers = { Authorization: 'Bearer ' + state.key, ...(options.headers || {}) };
  const response = await fetch(path, { ...options, headers });
  // Ages count from the server's clock, not this machine's, which may be set wrong.
  const said = Date.parse(response.headers.get('Date') || '');
  if (Number.isFinite(said)) state.skew = said - Date.now();
  // A refused key mid-session (revoked, say) sends the user back to the login; at the login itself
  // the form says why.
  if (response.status === 401 && state.session) { logout(); throw new Error('the key was refused'); }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { error: text }; }
  if (!response.ok) {
    const error = new Error((body && body.error) || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return body;
}

const now = () => Date.now() + state.skew;

// How long ago: from the server's clock (the Date header has whole seconds: under 2 s reads 0 s).
function age(iso) {
  const seconds = Math.max(0, (now() - Date.parse(iso)) / 1000);
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
  return Math.round(seconds / 86400) + ' d';
}

const badge = (cls, text) => h('span', { class: 'badge ' + cls }, text);
const mayDecide = () => state.session && ['operator', 'admin'].includes(state.session.role);

function show(...nodes) { main.replaceChildren(...nodes.filter(node => node !== null && node !== undefined)); }

// ---- login ----
function login(message) {
  document.getElementById('nav').hidden = true;
  const input = h('input', { id: 'key', type: 'password', placeholder: 'snt_…', autocomplete: 'off' });
  const note = h('p', { id: 'login-error', class: 'error' }, message || '');
  show(h('form', {
    class: 'card login', onsubmit: async (event) => {
      event.preventDefault();
      state.key = input.value.trim();
      try {
        state.session = await api('/api/v1/session');
        sessionStorage.setItem('sentinel.key', state.key);
        location.hash = '#/incidents';
        route();
      } catch (e) {
        state.key = null;
        note.textContent = e.status === 403 ? 'This key may not read incidents (role ingest).' : 'Login failed: ' + e.message;
      }
    }
  }, h('h1', {}, 'Sign in'), h('label', { for: 'key' }, 'API key (viewer, operator or admin)'), input,
    h('button', { id: 'login', class: 'primary', type: 'submit' }, 'Sign in'), note));
  input.focus();
}

function logout() {
  sessionStorage.removeItem('sentinel.key');
  state.key = null; state.session = null;
  if (state.stream) state.stream.abort();
  location.hash = '#/login';
}

// ---- incident list ----
async function incidents(params) {
  const status = params.get('status') || '';
  const service = params.get('service') || '';
  const severity = params.get('severity') || '';
  const before = params.get('before') || '';
  const query = new URLSearchParams({ limit: PAGE });
  for (const [name, value] of [['status', status], ['service', service], ['severity', severity], ['before', before]]) {
    if (value) query.set(name, value);
  }
  const body = await api('/api/v1/incidents?' + query);
  // The filters as a query string, without the page: what "Newest" and "Older" start from.
  const filters = new URLSearchParams();
  for (const [name, value] of [['status', status], ['service', service], ['severity', severity]]) {
    if (value) filters.set(name, value);
  }
  const form = h('form', {
    class: 'filters', id: 'incident-filters', onsubmit: event => {
      event.preventDefault();
      const chosen = new URLSearchParams();
      for (const [name, value] of new FormData(form)) if (value) chosen.set(name, value);
      location.hash = '#/incidents?' + chosen;
    }
  },
  h('select', { id: 'status-filter', name: 'status' },
    ['', 'open', 'awaiting_approval', 'remediating', 'escalated', 'resolved'].map(value =>
      h('option', { value, selected: value === status }, value || 'all statuses'))),
  h('select', { id: 'severity-filter', name: 'severity' },
    ['', 'critical', 'high', 'medium', 'low'].map(value =>
      h('option', { value, selected: value === severity }, value || 'all severities'))),
  h('input', { id: 'service-filter', name: 'service', placeholder: 'service', value: service }),
  h('button', { type: 'submit' }, 'Filter'));
  const rows = body.incidents.map(incident => h('tr', { 'data-id': incident.id },
    h('td', { class: 'title' }, h('a', { class: 'incident-link', href: '#/incidents/' + encodeURIComponent(incident.id) },
      incident.title || incident.id), h('div', { class: 'muted small' }, incident.id)),
    h('td', {}, badge('status-' + incident.status, incident.status.replace('_', ' '))),
    h('td', {}, badge('sev-' + incident.severity, incident.severity)),
    h('td', {}, incident.service || h('span', { class: 'muted' }, JSON.stringify(incident.group))),
    h('td', { class: 'age', title: 'opened ' + new Date(incident.openedAt).toLocaleString() }, age(incident.openedAt)),
    h('td', {}, incident.anomalyCount),
    h('td', { class: 'muted' }, incident.resolution || '')));
  const last = body.incidents[body.incidents.length - 1];
  const pager = h('div', { class: 'pager' },
    before ? h('button', { id: 'newest', onclick: () => { location.hash = '#/incidents?' + filters; } }, 'Newest') : null,
    body.incidents.length === PAGE && last
      ? h('button', { id: 'older', onclick: () => {
        const next = new URLSearchParams(filters); next.set('before', last.openedAt); location.hash = '#/incidents?' + next;
      } }, 'Older')
      : null);
  show(h('h1', {}, 'Incidents'),
    h('p', { class: 'muted', id: 'totals' }, body.totals.anomalies + ' anomalies grouped into ' + body.totals.incidents +
      ' incidents; ' + body.totals.open + ' open'),
    form,
    h('div', { class: 'scroll' }, h('table', { id: 'incidents', class: 'list', 'data-query': query.toString() },
      h('thead', {}, h('tr', {}, ['Incident', 'Status', 'Severity', 'Service', 'Age', 'Anomalies', 'Resolution'].map(t => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No incidents.'))))),
    pager);
}

// ---- one incident ----
async function incident(id) {
  const detail = await api('/api/v1/incidents/' + encodeURIComponent(id));
  const summary = detail.incident;
  const workflow = detail.workflow || {};
  const chartBox = state.chartBox && state.chartBox.dataset.incident === summary.id ? state.chartBox
    : h('section', { id: 'chart-box', 'data-incident': summary.id }, h('h2', {}, 'Series'), h('p', { class: 'muted' }, 'Loading the chart…'));
  state.chartBox = chartBox;
  show(
    h('h1', {}, h('span', { id: 'incident-title' }, summary.title || 'Incident'), ' ',
      h('span', { id: 'status', class: 'badge status-' + summary.status }, summary.status.replace('_', ' ')), ' ',
      badge('sev-' + summary.severity, summary.severity)),
    h('p', { class: 'muted' }, h('span', { id: 'incident-id' }, summary.id), ' · ',
      (summary.service || JSON.stringify(summary.group)) + ' · opened ' + age(summary.openedAt) + ' ago · ' +
      summary.anomalyCount + ' anomalies' + (summary.resolution ? ' · ' + summary.resolution : '')),
    decision(summary, workflow),
    controls(summary),
    chartBox,
    h('div', { class: 'grid' },
      h('div', {}, analysis(workflow.analysis), plan(workflow.plan, workflow.steps), actions(detail.timeline, workflow)),
      h('section', {}, h('h2', {}, 'Timeline'), h('ul', { id: 'timeline', class: 'timeline' },
        detail.timeline.map(event => h('li', {}, h('span', { class: 'kind' }, event.kind), ' ', event.summary,
          h('div', { class: 'muted' }, new Date(event.time).toLocaleTimeString() + ' · ' + event.actor)))))));
  chart(chartBox, detail);
}

function decision(summary, workflow) {
  if (summary.status !== 'awaiting_approval') return null;
  const box = h('section', { id: 'decision' }, h('h2', {}, 'Waiting for a decision'),
    h('p', {}, workflow.decision && workflow.decision.reason ? workflow.decision.reason : 'The plan needs a human.'));
  if (!mayDecide()) {
    box.append(h('p', { class: 'muted', id: 'read-only' }, 'Your key (' + state.session.role + ') may not decide; an operator can.'));
    return box;
  }
  const reason = h('input', { id: 'reason', placeholder: 'reason (optional)', size: 40 });
  const result = h('span', { id: 'decision-result' });
  const decide = verb => async () => {
    try {
      await api('/api/v1/incidents/' + encodeURIComponent(summary.id) + '/' + verb, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: reason.value })
      });
      result.className = 'ok'; result.textContent = verb === 'approve' ? 'Approved.' : 'Rejected.';
    } catch (e) {
      result.className = 'error'; result.textContent = e.message;
    }
  };
  box.append(h('div', { class: 'filters' }, reason,
    h('button', { id: 'approve', class: 'primary', onclick: decide('approve') }, 'Approve'),
    h('button', { id: 'reject', class: 'danger', onclick: decide('reject') }, 'Reject'), result));
  return box;
}

// What a person can do with the incident (summary.controls lists what applies now); each control
// is a POST answered with the incident as it is after it, and the page is drawn again.
function controls(summary) {
  const box = h('section', { id: 'controls' }, h('h2', {}, 'Handling'),
    h('p', { id: 'handling' }, 'Owner: ', h('strong', { id: 'owner' }, summary.owner),
      summary.acknowledgedBy ? ' · acknowledged by ' + summary.acknowledgedBy : ' · not acknowledged',
      summary.assignee ? ' · assigned to ' + summary.assignee : ''));
  if (!mayDecide()) return box;
  const text = h('input', { id: 'control-text', placeholder: 'reason, note or assignee', size: 32 });
  const level = h('select', { id: 'control-severity' }, ['low', 'medium', 'high', 'critical'].map(value =>
    h('option', value === summary.severity ? { value, selected: 'selected' } : { value }, value)));
  const result = h('span', { id: 'control-result' });
  const bodies = {
    acknowledge: () => ({ note: text.value }),
    assign: () => ({ assignee: text.value }),
    note: () => ({ text: text.value }),
    severity: () => ({ severity: level.value, reason: text.value }),
  };
  const labels = { acknowledge: 'Acknowledge', assign: 'Assign', note: 'Add note', severity: 'Set severity',
    'take-over': 'Take over', 'hand-back': 'Hand back to Sentinel', resolve: 'Resolve' };
  const act = control => async () => {
    try {
      await api('/api/v1/incidents/' + encodeURIComponent(summary.id) + '/' + control, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify((bodies[control] || (() => ({ reason: text.value })))())
      });
      await incident(summary.id);
    } catch (e) {
      result.className = 'error'; result.textContent = e.message;
    }
  };
  box.append(h('div', { class: 'filters' }, text, (summary.controls || []).includes('severity') ? level : null,
    (summary.controls || []).map(control => h('button', {
      id: 'control-' + control, class: control === 'resolve' || control === 'take-over' ? 'danger' : '',
      onclick: act(control) }, labels[control] || control)), result));
  return box;
}

// The runbooks the analysis cited: evidence lines "runbook: 'Title' (file.md, similarity 0.83)".
function runbooks(found) {
  const cited = [];
  for (const hypothesis of (found && found.hypotheses) || []) {
    for (const line of hypothesis.evidence || []) {
      const match = /^runbook: '(.*)' \(([^,]+),/.exec(line);
      if (match && !cited.some(c => c.file === match[2] && c.title === match[1])) cited.push({ title: match[1], file: match[2] });
    }
  }
  return cited;
}

function runbookLink(cited) {
  const template = state.session && state.session.runbookUrl;
  if (!template) return h('span', { class: 'runbook' }, cited.title + ' (' + cited.file + ')');
  const href = template.replaceAll('{file}', encodeURIComponent(cited.file))
    .replaceAll('{title}', encodeURIComponent(cited.title));
  return h('a', { class: 'runbook', href, target: '_blank', rel: 'noopener' }, cited.title + ' (' + cited.file + ')');
}

function analysis(found) {
  if (!found) return h('section', { id: 'analysis' }, h('h2', {}, 'Analysis'), h('p', { class: 'muted' }, 'Not analysed yet.'));
  const cited = runbooks(found);
  return h('section', { id: 'analysis' }, h('h2', {}, 'Analysis'), h('p', {}, found.summary),
    found.firstMover ? h('p', { class: 'muted' }, 'First to move: ' + found.firstMover) : null,
    (found.hypotheses || []).map(hypothesis => h('div', {},
      h('strong', {}, hypothesis.cause), ' on ', hypothesis.service || '?', ' — confidence ',
      Math.round((hypothesis.confidence || 0) * 100) + '%',
      h('ul', { class: 'evidence' }, (hypothesis.evidence || []).map(line => h('li', {}, line))))),
    cited.length ? h('p', { id: 'runbooks' }, 'Runbooks: ', cited.map((c, i) => [i ? ' · ' : '', runbookLink(c)])) : null);
}

// The plan's steps run in order as a saga; each one taken says how it went (taken[i] is step i+1).
function plan(found, taken) {
  if (!found) return h('section', { id: 'plan' }, h('h2', {}, 'Plan'), h('p', { class: 'muted' }, 'No plan yet.'));
  return h('section', { id: 'plan' }, h('h2', {}, 'Plan'), h('p', {}, found.summary),
    h('ol', { class: 'steps' }, (found.steps || []).map((step, i) => h('li', { class: 'step' },
      h('strong', {}, step.action.operation + ' ' + [step.action.target.platform, step.action.target.resource].join(':')), ' ',
      badge('risk-' + step.risk, step.risk), ' ',
      h('span', { class: 'muted' }, '~' + step.estimatedDowntimeSeconds + ' s downtime · ' + step.blastRadius),
      progress((taken || [])[i]),
      h('div', { class: 'muted' }, step.rationale)))));
}

function progress(taken) {
  if (!taken) return null;
  const said = taken.rollback ? 'rolled back' + (taken.rollback === 'verified' ? '' : ' (NOT verified)')
    : taken.recovery || taken.result;
  return h('span', { class: 'step-outcome' }, ' · step ' + taken.number + ' of ' + taken.of + ': ' + said);
}

function actions(timeline, workflow) {
  const done = timeline.filter(event => ['action', 'rollback', 'verification'].includes(event.kind));
  return h('section', { id: 'actions' }, h('h2', {}, 'Actions and rollbacks'),
    done.length ? h('ul', { class: 'timeline' }, done.map(event => h('li', {}, h('span', { class: 'kind' }, event.kind), ' ',
      event.summary, event.details.result ? h('span', { class: 'muted' }, ' (' + event.details.result + ')') : null)))
      : h('p', { class: 'muted' }, 'Nothing done yet.'),
    workflow.outcome ? h('p', {}, 'Outcome: ', h('strong', {}, workflow.outcome)) : null);
}

// The incident's series on one chart, each against its expected range: a line is the telemetry
// store's per-step mean, a band joins the detectors' expected ranges at that series' anomalies,
// dots are the anomalies; vertical marks are the opening and the actions and rollbacks taken.
// With more than one series, each is scaled to its own span (the legend gives it), so their shapes
// line up. The range picker and zoom (buttons, or drag across the chart) choose the window.
// Colours go in as SVG attributes: the console's content policy refuses inline style.
const COLOURS = ['#2f5fd0', '#d0612f', '#7b3fc4', '#1f8a8a', '#b7791f', '#c43f7b'];
const MAX_SERIES = COLOURS.length;
const RANGES = [['incident', 'the incident'], ['15m', 'last 15 min'], ['1h', 'last hour'], ['6h', 'last 6 h'], ['24h', 'last 24 h']];

function timeWindow(box, detail) {
  if (box.dataset.from && box.dataset.to) return [Number(box.dataset.from), Number(box.dataset.to)];
  const range = box.dataset.range || 'incident';
  const end = detail.incident.resolvedAt ? Date.parse(detail.incident.resolvedAt) + 120000 : now();
  if (range === 'incident') return [Date.parse(detail.incident.openedAt) - 10 * 60000, Math.max(end, Date.parse(detail.incident.openedAt) + 60000)];
  const span = { '15m': 15, '1h': 60, '6h': 360, '24h': 1440 }[range] * 60000;
  return [now() - span, now()];
}

function grafana(series, from, to) {
  const template = state.session && state.session.grafanaUrl;
  if (!template) return null;
  return template.replaceAll('{series}', encodeURIComponent(series))
    .replaceAll('{from}', String(Math.round(from))).replaceAll('{to}', String(Math.round(to)));
}

async function chart(box, detail) {
  // A new drawing ends any drag on the old one (its pointerup will never come).
  state.dragging = false;
  const all = detail.series.length ? detail.series : [...new Set(detail.anomalies.map(a => a.series))];
  if (!all.length) { box.replaceChildren(h('h2', {}, 'Series'), h('p', { class: 'muted' }, 'No series.')); return; }
  // The series with anomalies first: those are what the incident is about.
  const ranked = all.slice().sort((a, b) => detail.anomalies.filter(x => x.series === b).length - detail.anomalies.filter(x => x.series === a).length);
  const shown = ranked.slice(0, MAX_SERIES);
  const hidden = new Set(JSON.parse(box.dataset.hidden || '[]'));
  const [from, to] = timeWindow(box, detail);
  // A later drawing (a zoom, a live update) wins over one still waiting for its data.
  const drawing = String(Number(box.dataset.drawing || 0) + 1);
  box.dataset.drawing = drawing;
  const step = Math.max(1, Math.round((to - from) / 1000 / 150));
  const lines = await Promise.all(shown.map(async (series, i) => {
    let points = [];
    try {
      const history = await api('/api/v1/series/history?' + new URLSearchParams({ series, since: Math.round(from), until: Math.round(to), step: step + 's' }));
      points = history.buckets.map(b => ({ t: b.t, v: b.mean })).filter(p => Number.isFinite(p.v));
    } catch (e) { /* no telemetry store: the anomalies alone are drawn */ }
    const anomalies = detail.anomalies.filter(a => a.series === series && a.timestampMillis >= from && a.timestampMillis <= to)
      .map(a => ({ t: a.timestampMillis, v: a.value, low: a.expected.low, high: a.expected.high }))
      .sort((a, b) => a.t - b.t);
    const values = points.map(p => p.v).concat(anomalies.flatMap(a => [a.v, a.low, a.high])).filter(Number.isFinite);
    let v0 = values.length ? Math.min(...values) : 0, v1 = values.length ? Math.max(...values) : 1;
    if (!(v1 > v0)) { v0 -= 1; v1 += 1; }
    return { series, colour: COLOURS[i], points, anomalies, v0, v1, on: !hidden.has(series) };
  }));
  if (box.dataset.drawing !== drawing) return;
  const visible = lines.filter(line => line.on);
  // One series keeps its own axis; several share one 0..1 scale, each from its own span.
  const single = visible.length === 1;
  const W = 720, H = 240, L = single ? 56 : 14, R = 10, T = 10, B = 24;
  const x = t => L + (W - L - R) * (t - from) / Math.max(1, to - from);
  const scale = line => v => T + (H - T - B) * (1 - (v - line.v0) / (line.v1 - line.v0));
  const svg = h('svg', { id: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'chart of ' + visible.map(l => l.series).join(', '),
    'data-from': Math.round(from), 'data-to': Math.round(to) });
  for (const line of visible) {
    const y = scale(line);
    const band = line.anomalies.filter(a => Number.isFinite(a.low) && Number.isFinite(a.high));
    if (band.length) {
      const upper = [{ t: from, v: band[0].high }, ...band.map(a => ({ t: a.t, v: a.high })), { t: to, v: band[band.length - 1].high }];
      const lower = [{ t: from, v: band[0].low }, ...band.map(a => ({ t: a.t, v: a.low })), { t: to, v: band[band.length - 1].low }];
      svg.append(h('polygon', { class: 'expected', 'data-series': line.series, fill: line.colour, stroke: line.colour,
        points: upper.concat(lower.reverse()).map(p => x(p.t).toFixed(1) + ',' + y(p.v).toFixed(1)).join(' ') },
      h('title', {}, 'expected range of ' + line.series)));
    }
  }
  for (const line of visible) {
    const y = scale(line);
    if (line.points.length) {
      svg.append(h('path', { class: 'series', 'data-series': line.series, stroke: line.colour,
        d: line.points.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ',' + y(p.v).toFixed(1)).join(' ') }, h('title', {}, line.series)));
    }
    for (const a of line.anomalies) {
      svg.append(h('circle', { class: 'anomaly', 'data-series': line.series, stroke: line.colour, cx: x(a.t).toFixed(1), cy: y(a.v).toFixed(1), r: 4 },
        h('title', {}, `${line.series}: anomaly ${Number(a.v.toPrecision(4))} at ${new Date(a.t).toLocaleTimeString()} (expected ${Number(a.low.toPrecision(4))}..${Number(a.high.toPrecision(4))})`)));
    }
  }
  const mark = (t, cls, label) => {
    if (t < from || t > to) return;
    svg.append(h('g', { class: 'marker ' + cls }, h('line', { x1: x(t), x2: x(t), y1: T, y2: H - B }),
      h('text', { x: x(t) + 3, y: T + 10 }, cls === 'rollback' ? '↺' : cls === 'action' ? '▶' : ''), h('title', {}, label)));
  };
  mark(Date.parse(detail.incident.openedAt), 'opened', 'opened ' + new Date(detail.incident.openedAt).toLocaleTimeString());
  for (const event of detail.timeline.filter(e => e.kind === 'action' || e.kind === 'rollback')) {
    mark(Date.parse(event.time), event.kind, event.kind + ' at ' + new Date(event.time).toLocaleTimeString() + ': ' + event.summary);
  }
  if (single) {
    const y = scale(visible[0]);
    for (const v of [visible[0].v0, (visible[0].v0 + visible[0].v1) / 2, visible[0].v1]) svg.append(h('text', { class: 'axis', x: 4, y: y(v) + 4 }, Number(v.toPrecision(3))));
  }
  svg.append(h('text', { class: 'axis', x: L, y: H - 6 }, new Date(from).toLocaleTimeString()));
  svg.append(h('text', { class: 'axis', x: W - R, y: H - 6, 'text-anchor': 'end' }, new Date(to).toLocaleTimeString()));
  const zoomTo = (a, b) => {
    if (!(b - a >= 5000)) return;
    box.dataset.from = Math.round(a); box.dataset.to = Math.round(b);
    chart(box, detail);
  };
  // Drag across the chart to zoom into that stretch.
  const selection = h('rect', { class: 'selection', y: T, height: H - T - B, x: 0, width: 0, visibility: 'hidden' });
  svg.append(selection);
  const toTime = event => {
    const rect = svg.getBoundingClientRect();
    const px = (event.clientX - rect.left) * W / rect.width;
    return from + (to - from) * Math.min(1, Math.max(0, (px - L) / (W - L - R)));
  };
  let dragFrom = null;
  // While a drag is under way, live updates wait (see changed()): a redraw would drop it.
  svg.addEventListener('pointerdown', event => { dragFrom = toTime(event); state.dragging = true; svg.setPointerCapture(event.pointerId); });
  svg.addEventListener('pointercancel', () => { dragFrom = null; state.dragging = false; selection.setAttribute('visibility', 'hidden'); });
  svg.addEventListener('pointermove', event => {
    if (dragFrom === null) return;
    const a = Math.min(dragFrom, toTime(event)), b = Math.max(dragFrom, toTime(event));
    selection.setAttribute('x', x(a)); selection.setAttribute('width', Math.max(0, x(b) - x(a))); selection.setAttribute('visibility', 'visible');
  });
  svg.addEventListener('pointerup', event => {
    if (dragFrom === null) return;
    const a = Math.min(dragFrom, toTime(event)), b = Math.max(dragFrom, toTime(event));
    dragFrom = null; state.dragging = false; selection.setAttribute('visibility', 'hidden');
    if (x(b) - x(a) > 8) zoomTo(a, b);
  });
  const range = h('select', { id: 'range', 'aria-label': 'time range', onchange: () => {
    box.dataset.range = range.value; delete box.dataset.from; delete box.dataset.to; chart(box, detail);
  } }, RANGES.map(([value, label]) => h('option', { value, selected: value === (box.dataset.range || 'incident') }, label)));
  const middle = (from + to) / 2, half = (to - from) / 2;
  const tools = h('div', { class: 'filters chart-tools' }, range,
    h('button', { id: 'zoom-in', type: 'button', title: 'zoom in', onclick: () => zoomTo(middle - half / 2, middle + half / 2) }, '+'),
    h('button', { id: 'zoom-out', type: 'button', title: 'zoom out', onclick: () => zoomTo(middle - half * 2, Math.min(now(), middle + half * 2)) }, '−'),
    box.dataset.from ? h('button', { id: 'zoom-reset', type: 'button', onclick: () => { delete box.dataset.from; delete box.dataset.to; chart(box, detail); } }, 'Reset zoom') : null);
  const legend = h('ul', { id: 'legend', class: 'legend' }, lines.map(line => h('li', { 'data-series': line.series },
    h('label', {}, h('input', { type: 'checkbox', checked: line.on, onchange: event => {
      if (event.target.checked) hidden.delete(line.series); else hidden.add(line.series);
      box.dataset.hidden = JSON.stringify([...hidden]); chart(box, detail);
    } }), h('svg', { class: 'swatch', viewBox: '0 0 12 12', 'aria-hidden': 'true' }, h('rect', { width: 12, height: 12, rx: 2, fill: line.colour })), ' ', line.series),
    h('span', { class: 'muted' }, ' ' + Number(line.v0.toPrecision(3)) + '..' + Number(line.v1.toPrecision(3)) + ' · ' + line.anomalies.length + ' anomalies · '),
    grafana(line.series, from, to) ? h('a', { class: 'grafana', href: grafana(line.series, from, to), target: '_blank', rel: 'noopener' }, 'Grafana') : null)));
  const points = visible.reduce((n, line) => n + line.points.length, 0);
  const marks = svg.querySelectorAll('.marker.action, .marker.rollback').length;
  box.replaceChildren(h('h2', {}, 'Series'), tools, svg, legend,
    h('p', { class: 'muted' }, points + ' points · ' + visible.reduce((n, l) => n + l.anomalies.length, 0) + ' anomalies (dots) against expected ranges (bands) · ' +
      marks + ' actions and rollbacks (▶ ↺); the dashed red line is the opening. Drag across the chart to zoom.'),
    all.length > MAX_SERIES ? h('p', { class: 'muted' }, (all.length - MAX_SERIES) + ' more series not drawn.') : '');
}

// ---- audit ----
async function audit(params) {
  const query = new URLSearchParams({ limit: 50 });
  for (const name of ['actor', 'action', 'incident', 'from', 'after']) if (params.get(name)) query.set(name, params.get(name));
  const body = await api('/api/v1/audit?' + query);
  const entries = body.entries || [];
  const field = (name, placeholder) => h('input', { name, placeholder, value: params.get(name) || '' });
  const form = h('form', {
    class: 'filters', id: 'audit-filters', onsubmit: event => {
      event.preventDefault();
      const chosen = new URLSearchParams();
      for (const [name, value] of new FormData(form)) if (value) chosen.set(name, value);
      location.hash = '#/audit?' + chosen;
    }
  }, field('actor', 'actor'), h('select', { name: 'action' }, h('option', { value: '' }, 'any action'),
    ACTIONS.map(a => h('option', { value: a, selected: a === params.get('action') }, a))),
    field('incident', 'incident id'), field('from', 'from (e.g. 2h)'), h('button', { type: 'submit' }, 'Filter'));
  const last = entries[entries.length - 1];
  const next = new URLSearchParams(params); if (last) next.set('after', last.sequence);
  show(h('h1', {}, 'Audit trail'), form,
    h('table', { id: 'audit', 'data-query': query.toString() }, h('thead', {}, h('tr', {}, ['#', 'Time', 'Actor', 'Action', 'Incident', 'Details'].map(t => h('th', {}, t)))),
      h('tbody', {}, entries.map(e => h('tr', {}, h('td', {}, e.sequence), h('td', {}, new Date(e.time || e.atMillis).toLocaleString()),
        h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.incident || e.incidentId || ''),
        h('td', { class: 'muted' }, Object.entries(e.details || {}).map(([k, v]) => k + '=' + v).join(' · ')))))),
    entries.length === 50 ? h('div', { class: 'pager' }, h('button', { id: 'audit-next', onclick: () => { location.hash = '#/audit?' + next; } }, 'Next')) : null);
}

// ---- health ----
async function health() {
  // Open route, but its messages and details are shown only to a caller with a key.
  const response = await fetch('/health/detailed', { headers: { Authorization: 'Bearer ' + state.key } });
  const body = await response.json();
  show(h('h1', {}, 'Health ', badge(body.status === 'UP' ? 'status-resolved' : 'status-awaiting_approval', body.status)),
    h('table', { id: 'health' }, h('thead', {}, h('tr', {}, ['Component', 'Status', 'Message', 'Details'].map(t => h('th', {}, t)))),
      h('tbody', {}, Object.entries(body.components).map(([name, c]) => h('tr', {}, h('td', {}, name),
        h('td', {}, badge(c.status === 'UP' ? 'status-resolved' : 'status-awaiting_approval', c.status)), h('td', {}, c.message || ''),
        h('td', { class: 'muted' }, JSON.stringify(c.details)))))));
}

// ---- live updates: server-sent events read with fetch, which (unlike EventSource) sends the key ----
async function live() {
  const indicator = document.getElementById('live');
  while (state.key) {
    try {
      state.stream = new AbortController();
      const response = await fetch('/api/v1/incidents/stream', {
        headers: { Authorization: 'Bearer ' + state.key, Accept: 'text/event-stream' }, signal: state.stream.signal
      });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      indicator.className = 'live on';
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let split;
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          if (/^event: ?incident/m.test(block)) changed();
        }
      }
    } catch (e) { /* reconnect below */ }
    indicator.className = 'live off';
    if (state.key) await new Promise(resolve => setTimeout(resolve, 3000));
  }
  state.living = false;
}

// One stream per signed-in page: started once a session exists, ended by logging out.
function startLive() {
  if (!state.living) { state.living = true; live(); }
}

// Many changes arrive in bursts (a workflow step records several): redraw once per burst.
function changed() {
  clearTimeout(state.refresh);
  state.refresh = setTimeout(() => {
    if (state.dragging) { changed(); return; }
    const hash = location.hash;
    if (hash.startsWith('#/incidents') && !document.activeElement.matches('input, select')) route(true);
  }, 400);
}

async function route() {
  if (!state.key) { login(); return; }
  if (!state.session) {
    try { state.session = await api('/api/v1/session'); } catch (e) { login('Please sign in again.'); return; }
  }
  document.getElementById('nav').hidden = false;
  startLive();
  document.getElementById('who').textContent = state.session.name + ' (' + state.session.role + ')';
  const [path, queryText] = (location.hash.slice(1) || '/incidents').split('?');
  const params = new URLSearchParams(queryText || '');
  try {
    if (path.startsWith('/incidents/')) await incident(decodeURIComponent(path.slice('/incidents/'.length)));
    else if (path === '/audit') await audit(params);
    else if (path === '/health') await health();
    else if (path === '/login') login();
    else await incidents(params);
  } catch (e) {
    show(h('p', { class: 'error', id: 'page-error' }, e.message));
  }
}

document.getElementById('logout').addEventListener('click', logout);
window.addEventListener('hashchange', () => route());
route();
// Changes made on other instances are not streamed here: re-read the list now and then.
setInterval(() => { if (location.hash.startsWith('#/incidents') && !location.hash.startsWith('#/incidents/')) changed(); }, 30000);
