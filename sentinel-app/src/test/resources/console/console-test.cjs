// Drives the real console in headless Chromium (playwright-core, /usr/bin/chromium), as
// ConsoleBrowserIT asks: a viewer sees the incident but cannot approve (the server refuses, not
// only the page); an operator opens it, sees its chart, approves the step and sees it resolve.
// Along the way: / leads to the console, no menu before sign-in, the list's titles, ages and
// filters, the chart's range picker, zoom, legend, markers and links, and the layout at 390 px.
// Input from the environment; prints one JSON line of findings; exits non-zero on any failure.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { BASE, VIEWER_KEY, OPERATOR_KEY, INCIDENT, SCREENSHOTS } = process.env;
const RESOLVE_MS = Number(process.env.RESOLVE_MS || 150000);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(page, key) {
  await page.goto(BASE + '/console');
  await page.fill('#key', key);
  await page.click('#login');
  await page.waitForSelector('#incidents');
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-console-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: ARGS, viewport: { width: 1280, height: 900 }
  });
  const found = {};
  const page = context.pages()[0] || await context.newPage();
  try {
    page.setDefaultTimeout(30000);

    // The address alone leads to the console, which shows no menu before sign-in.
    await page.goto(BASE + '/');
    await page.waitForSelector('#key');
    found.rootLandsOn = new URL(page.url()).pathname;
    found.menuBeforeSignIn = await page.locator('#nav').isVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-login.png') });

    // A wrong key is refused at the login.
    await page.goto(BASE + '/console');
    await page.fill('#key', 'snt_not_a_key');
    await page.click('#login');
    await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);
    found.badKeyRefused = true;

    // The viewer: sees the incident waiting, opens it, gets no buttons, and the server refuses.
    await signIn(page, VIEWER_KEY);
    const row = page.locator(`#incidents tr[data-id="${INCIDENT}"]`);
    await row.waitFor();
    found.listedStatus = (await row.locator('td').nth(1).innerText()).trim();
    await row.locator('a.incident-link').click();
    await page.waitForSelector('#read-only');
    check(await page.locator('#approve').count() === 0, 'a viewer was offered the approve button');
    found.viewerApproveStatus = await page.evaluate(async ({ id, key }) => {
      const response = await fetch('/api/v1/incidents/' + id + '/approve', {
        method: 'POST', headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' }, body: '{}'
      });
      return response.status;
    }, { id: INCIDENT, key: VIEWER_KEY });
    check(found.viewerApproveStatus === 403, 'the server let a viewer approve: ' + found.viewerApproveStatus);
    await page.click('#logout');

    // The operator: the list (screenshot), the incident with its chart (screenshot), approve.
    await signIn(page, OPERATOR_KEY);
    const listed = page.locator(`#incidents tr[data-id="${INCIDENT}"]`);
    await listed.waitFor();
    found.menuAfterSignIn = await page.locator('#nav').isVisible();
    found.listedTitle = (await listed.locator('a.incident-link').innerText()).trim();
    found.listedAge = (await listed.locator('td.age').innerText()).trim();
    const severity = (await listed.locator('td').nth(2).innerText()).trim();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-incidents.png'), fullPage: true });
    // Filters: another service's list lacks the incident; checkout's has it.
    await page.fill('#service-filter', 'no-such-service');
    await page.click('#incident-filters button[type="submit"]');
    await page.waitForSelector('#incidents[data-query*="service=no-such-service"]');
    found.filteredOut = await page.locator(`#incidents tr[data-id="${INCIDENT}"]`).count() === 0;
    // A severity the incident does not have leaves it out too.
    const other = ['critical', 'high', 'medium', 'low'].find(level => level !== severity);
    await page.fill('#service-filter', '');
    await page.selectOption('#severity-filter', other);
    await page.click('#incident-filters button[type="submit"]');
    await page.waitForSelector(`#incidents[data-query*="severity=${other}"]`);
    found.severityFilteredOut = await page.locator(`#incidents tr[data-id="${INCIDENT}"]`).count() === 0;
    await page.selectOption('#severity-filter', severity);
    await page.fill('#service-filter', 'checkout');
    await page.selectOption('#status-filter', 'awaiting_approval');
    await page.click('#incident-filters button[type="submit"]');
    await page.waitForSelector(`#incidents[data-query*="service=checkout"][data-query*="status=awaiting_approval"][data-query*="severity=${severity}"]`);
    found.filteredIn = await page.locator(`#incidents tr[data-id="${INCIDENT}"]`).count() === 1;
    await page.locator(`#incidents tr[data-id="${INCIDENT}"] a.incident-link`).click();
    await page.waitForSelector('svg#chart circle.anomaly');
    found.anomaliesOnChart = await page.locator('svg#chart circle.anomaly').count();
    found.seriesLine = await page.locator('svg#chart path.series').count();
    found.expectedBand = await page.locator('svg#chart polygon.expected').count();
    found.planSteps = await page.locator('#plan li.step').count();
    found.planRisk = (await page.locator('#plan li.step .badge').first().innerText()).trim();
    found.analysis = (await page.locator('#analysis').innerText()).slice(0, 300);
    found.pageTitle = (await page.locator('#incident-title').innerText()).trim();
    // The chart: every series of the incident in the legend, each with its Grafana link.
    found.legendSeries = await page.locator('#legend li').count();
    found.chartLines = await page.locator('svg#chart path.series').count();
    // Each series in its own colour, as drawn (the content policy would drop inline style).
    found.lineColours = await page.evaluate(() => new Set([...document.querySelectorAll('svg#chart path.series')]
      .map(path => getComputedStyle(path).stroke)).size);
    found.grafanaLink = await page.locator('#legend a.grafana').first().getAttribute('href');
    found.openedMarker = await page.locator('svg#chart g.marker.opened').count();
    const span = async () => page.evaluate(() => {
      const svg = document.querySelector('svg#chart');
      return Number(svg.dataset.to) - Number(svg.dataset.from);
    });
    const before = await span();
    await page.click('#zoom-in');
    await page.waitForFunction(width => {
      const svg = document.querySelector('svg#chart');
      return svg && Number(svg.dataset.to) - Number(svg.dataset.from) < width * 0.6;
    }, before);
    found.zoomInHalves = Math.round(100 * (await span()) / before) / 100;
    await page.click('#zoom-reset');
    await page.waitForFunction(() => !document.querySelector('#zoom-reset'));
    found.zoomResetSpan = Math.round(100 * (await span()) / before) / 100;
    // Dragging across the middle fifth of the chart zooms into it.
    const box = await page.locator('svg#chart').boundingBox();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector('#zoom-reset');
    found.dragZoom = Math.round(100 * (await span()) / before) / 100;
    // The range picker: the last hour.
    await page.selectOption('#range', '1h');
    await page.waitForFunction(() => {
      const svg = document.querySelector('svg#chart');
      return svg && Math.abs(Number(svg.dataset.to) - Number(svg.dataset.from) - 3600000) < 1000;
    });
    found.lastHour = true;
    // Hiding a series in the legend takes its line off the chart.
    const first = await page.locator('#legend li').first().getAttribute('data-series');
    const drawn = name => [...document.querySelectorAll('svg#chart [data-series]')].some(node => node.dataset.series === name);
    found.firstDrawn = await page.evaluate(drawn, first);
    await page.locator('#legend li input[type="checkbox"]').first().uncheck();
    await page.waitForFunction(name => ![...document.querySelectorAll('svg#chart [data-series]')].some(node => node.dataset.series === name), first);
    found.hidFirst = true;
    await page.locator('#legend li input[type="checkbox"]').first().check();
    await page.waitForFunction(name => [...document.querySelectorAll('svg#chart [data-series]')].some(node => node.dataset.series === name), first);
    await page.selectOption('#range', 'incident');
    await page.waitForFunction(() => !document.querySelector('#zoom-reset') && document.querySelector('#range').value === 'incident');
    // A runbook the analysis cited is a link through the configured template.
    found.runbookCited = /runbook: /.test(await page.locator('#analysis').innerText());
    found.runbookLinks = await page.locator('#runbooks a.runbook').count();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-incident.png'), fullPage: true });
    // The incident controls: acknowledge, then a note; the page is drawn again after each.
    await page.fill('#control-text', 'on it from the browser');
    await page.click('#control-acknowledge');
    await page.waitForFunction(() => (document.querySelector('#handling') || {}).textContent.includes('acknowledged by'));
    found.handling = await page.locator('#handling').innerText();
    found.acknowledgeOffered = await page.locator('#control-acknowledge').count();
    await page.fill('#control-text', 'a note from the browser');
    await page.click('#control-note');
    await page.waitForFunction(() => document.querySelector('#timeline').innerText.includes('a note from the browser'));
    found.noted = true;
    await page.fill('#reason', 'approved in the browser test');
    await page.click('#approve');
    await page.waitForFunction(() => document.querySelector('#decision-result').textContent === 'Approved.');
    // No reload: the page follows the incident through the live stream until it resolves.
    await page.waitForFunction(() => {
      const status = document.querySelector('#status');
      return status && status.textContent === 'resolved';
    }, null, { timeout: RESOLVE_MS });
    found.finalStatus = 'resolved';
    found.timeline = (await page.locator('#timeline').innerText()).includes('approved by');
    // Nothing the page meant to leave out shows up as text.
    found.strayNull = /(^|\n)null(\n|$)/.test(await page.locator('main').innerText());
    // The restart shows on the chart as an action marker.
    await page.waitForSelector('svg#chart g.marker.action', { timeout: 60000 });
    found.actionMarkers = await page.locator('svg#chart g.marker.action').count();
    found.actionMarkerTitle = await page.locator('svg#chart g.marker.action title').first().textContent();
    found.resolvedLines = await page.locator('svg#chart path.series').count();
    found.resolvedColours = await page.evaluate(() => new Set([...document.querySelectorAll('svg#chart path.series')]
      .map(path => getComputedStyle(path).stroke)).size);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-incident-resolved.png'), fullPage: true });

    // A phone: 390 px wide, nothing wider than the screen, the list and the incident both.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    found.incidentOverflowAt390 = await overflow();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-incident-390.png'), fullPage: true });
    await page.click('a.brand');
    await page.waitForSelector(`#incidents tr[data-id="${INCIDENT}"]`);
    found.listOverflowAt390 = await overflow();
    found.titleVisibleAt390 = await page.locator(`#incidents tr[data-id="${INCIDENT}"] a.incident-link`).isVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-incidents-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The audit view, filtered to this incident's approval; the health view.
    await page.click('nav a[href="#/audit"]');
    await page.waitForSelector('#audit-filters');
    await page.fill('#audit-filters input[name="incident"]', INCIDENT);
    await page.selectOption('#audit-filters select[name="action"]', 'approval.granted');
    await page.click('#audit-filters button[type="submit"]');
    // The table says which query it shows: wait for the filtered one, not the one before it.
    await page.waitForSelector('#audit[data-query*="action=approval.granted"]');
    found.auditRows = await page.locator('#audit tbody tr').count();
    found.auditText = await page.locator('#audit tbody').innerText();
    await page.click('nav a[href="#/health"]');
    await page.waitForSelector('#health tbody tr');
    found.healthText = await page.locator('#health tbody').innerText();
    console.log(JSON.stringify(found));
  } catch (error) {
    // What the page showed when it failed, for the test's message.
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-failure.png'), fullPage: true }).catch(() => {});
    const shown = await page.evaluate(() => ({ hash: location.hash, status: (document.querySelector('#status') || {}).textContent,
      live: (document.querySelector('#live') || {}).className, error: (document.querySelector('#page-error') || {}).textContent }))
      .catch(() => ({}));
    console.error('page state: ' + JSON.stringify(shown) + ' found so far: ' + JSON.stringify(found));
    throw error;
  } finally {
    await context.close();
  }
})().catch(error => {
  console.error('console test failed: ' + (error && error.stack || error));
  process.exit(1);
});
