// Sentinel's console: a hand-written page over the JSON API, no framework. The API key lives in
// sessionStorage and goes with every call; the server decides what each role may do, the page
// only hides what would be refused anyway.
'use strict';

const state = { key: sessionStorage.getItem('sentinel.key'), session: null, refresh: null };
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
  const svg = ['svg', 'path', 'circle', 'line', 'text', 'polygon', 'g', 'title'].includes(tag);
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

function age(iso) {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
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
    h('td', {}, h('a', { class: 'incident-link', href: '#/incidents/' + encodeURIComponent(incident.id) }, incident.id)),
    h('td', {}, badge('status-' + incident.status, incident.status.replace('_', ' '))),
    h('td', {}, badge('sev-' + incident.severity, incident.severity)),
    h('td', {}, incident.service || h('span', { class: 'muted' }, JSON.stringify(incident.group))),
    h('td', { title: incident.openedAt }, age(incident.openedAt)),
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
    h('table', { id: 'incidents', 'data-query': query.toString() }, h('thead', {}, h('tr', {}, ['Incident', 'Status', 'Severity', 'Service', 'Age', 'Anomalies', 'Resolution'].map(t => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No incidents.')))),
    pager);
}

// ---- one incident ----
async function incident(id) {
  const detail = await api('/api/v1/incidents/' + encodeURIComponent(id));
  const summary = detail.incident;
  const workflow = detail.workflow || {};
  const chartBox = h('section', { id: 'chart-box' }, h('h2', {}, 'Series'), h('p', { class: 'muted' }, 'Loading the chart…'));
  show(
    h('h1', {}, 'Incident ', h('span', { id: 'incident-id' }, summary.id), ' ',
      h('span', { id: 'status', class: 'badge status-' + summary.status }, summary.status.replace('_', ' ')), ' ',
      badge('sev-' + summary.severity, summary.severity)),
    h('p', { class: 'muted' }, (summary.service || JSON.stringify(summary.group)) + ' · opened ' + age(summary.openedAt) + ' ago · ' +
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

function analysis(found) {
  if (!found) return h('section', { id: 'analysis' }, h('h2', {}, 'Analysis'), h('p', { class: 'muted' }, 'Not analysed yet.'));
  return h('section', { id: 'analysis' }, h('h2', {}, 'Analysis'), h('p', {}, found.summary),
    found.firstMover ? h('p', { class: 'muted' }, 'First to move: ' + found.firstMover) : null,
    (found.hypotheses || []).map(hypothesis => h('div', {},
      h('strong', {}, hypothesis.cause), ' on ', hypothesis.service || '?', ' — confidence ',
      Math.round((hypothesis.confidence || 0) * 100) + '%',
      h('ul', { class: 'evidence' }, (hypothesis.evidence || []).map(line => h('li', {}, line))))));
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

// The incident's series against its expected range: the line is the telemetry store's per-step
// mean; the green band joins the detectors' expected ranges at the anomalies; red dots are them.
async function chart(box, detail) {
  const seriesList = detail.series.length ? detail.series : detail.anomalies.map(a => a.series);
  if (!seriesList.length) { box.replaceChildren(h('h2', {}, 'Series'), h('p', { class: 'muted' }, 'No series.')); return; }
  const picked = box.dataset.series || (detail.anomalies[0] || {}).series || seriesList[0];
  const opened = Date.parse(detail.incident.openedAt);
  const end = detail.incident.resolvedAt ? Date.parse(detail.incident.resolvedAt) + 120000 : Date.now();
  const from = opened - 10 * 60000;
  const step = Math.max(1, Math.round((end - from) / 1000 / 120));
  let points = [];
  try {
    const history = await api('/api/v1/series/history?' + new URLSearchParams({ series: picked, since: from, until: end, step: step + 's' }));
    points = history.buckets.map(b => ({ t: b.t, v: b.mean }));
  } catch (e) { /* no telemetry store: the anomalies alone are drawn */ }
  const anomalies = detail.anomalies.filter(a => a.series === picked).map(a => ({ t: a.timestampMillis, v: a.value, low: a.expected.low, high: a.expected.high }));
  const all = points.concat(anomalies);
  const W = 720, H = 220, L = 56, R = 10, T = 10, B = 24;
  const ts = all.map(p => p.t).concat([from, end]);
  const vs = all.map(p => p.v).concat(anomalies.flatMap(a => [a.low, a.high])).filter(Number.isFinite);
  const t0 = Math.min(...ts), t1 = Math.max(...ts);
  let v0 = Math.min(...vs), v1 = Math.max(...vs);
  if (!(v1 > v0)) { v0 -= 1; v1 += 1; }
  const x = t => L + (W - L - R) * (t - t0) / Math.max(1, t1 - t0);
  const y = v => T + (H - T - B) * (1 - (v - v0) / (v1 - v0));
  const svg = h('svg', { id: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'chart of ' + picked });
  if (anomalies.length) {
    const sorted = anomalies.slice().sort((a, b) => a.t - b.t);
    const upper = [{ t: t0, v: sorted[0].high }, ...sorted.map(a => ({ t: a.t, v: a.high })), { t: t1, v: sorted[sorted.length - 1].high }];
    const lower = [{ t: t0, v: sorted[0].low }, ...sorted.map(a => ({ t: a.t, v: a.low })), { t: t1, v: sorted[sorted.length - 1].low }];
    svg.append(h('polygon', { class: 'expected', points: upper.concat(lower.reverse()).map(p => x(p.t) + ',' + y(p.v)).join(' ') },
      h('title', {}, 'expected range')));
  }
  if (points.length) {
    svg.append(h('path', { class: 'series', d: points.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ',' + y(p.v).toFixed(1)).join(' ') }));
  }
  svg.append(h('line', { class: 'opened', x1: x(opened), x2: x(opened), y1: T, y2: H - B }));
  for (const a of anomalies) {
    svg.append(h('circle', { class: 'anomaly', cx: x(a.t), cy: y(a.v), r: 4 }, h('title', {}, `anomaly ${a.v} (expected ${a.low.toFixed(3)}..${a.high.toFixed(3)})`)));
  }
  for (const v of [v0, (v0 + v1) / 2, v1]) svg.append(h('text', { class: 'axis', x: 4, y: y(v) + 4 }, Number(v.toPrecision(3))));
  svg.append(h('text', { class: 'axis', x: L, y: H - 6 }, new Date(t0).toLocaleTimeString()));
  svg.append(h('text', { class: 'axis', x: W - 70, y: H - 6 }, new Date(t1).toLocaleTimeString()));
  const select = h('select', { id: 'series', onchange: () => { box.dataset.series = select.value; chart(box, detail); } },
    seriesList.map(s => h('option', { value: s, selected: s === picked }, s)));
  box.replaceChildren(h('h2', {}, 'Series'), select, svg,
    h('p', { class: 'muted' }, points.length + ' points · ' + anomalies.length + ' anomalies (red) against the expected range (green); the dashed line is the opening.'));
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
