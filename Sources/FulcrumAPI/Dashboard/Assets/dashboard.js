// Fulcrum dashboard: the "Load Balancers" panel. Plain JavaScript, no build step, no third-party code.
// It calls the v2 API like any other client, with X-Auth-Token. The token lives in sessionStorage only,
// never in a query string; `#token=…&lb=NAME` in the URL fragment (which browsers never send to the
// server) logs in non-interactively and is removed from the address bar at once.
'use strict';

(function () {
  const TOKEN_KEY = 'fulcrum.dashboard.token';
  const SELECTED_KEY = 'fulcrum.dashboard.selected';
  const STATS_EVERY_MS = 3000;
  const REFRESH_EVERY_MS = 5000;
  const HISTORY_MS = 5 * 60 * 1000;
  const MAX_ERRORS = 5;
  const SVG = 'http://www.w3.org/2000/svg';

  const state = {
    token: null,
    wanted: null, // LB name or id asked for in the fragment (`lb=`)
    selected: null, // id of the LB shown in the detail panel
    lbs: [],
    history: new Map(), // LB id → [{t, active, bytesIn, bytesOut}]
    stops: [],
  };

  // ---- DOM helpers (text is always set as text: names come from users) ----

  const byId = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  function badge(status) {
    return el('span', { class: 'badge', 'data-status': status || 'UNKNOWN', text: status || '—' });
  }

  function short(id) {
    return id ? id.slice(0, 8) : '';
  }

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = Number(n) || 0;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return (unit === 0 ? String(Math.round(value)) : value.toFixed(1)) + ' ' + units[unit];
  }

  // ---- API ----

  class APIError extends Error {
    constructor(status, message, method, path) {
      super(message);
      this.status = status;
      this.method = method;
      this.path = path;
    }
  }

  async function api(method, path, body) {
    const headers = { 'X-Auth-Token': state.token, Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      throw new APIError(0, 'The API could not be reached (' + error.message + ').', method, path);
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (_) {
        json = null;
      }
    }
    if (!response.ok) {
      const fault = json && (json.faultstring || json.description);
      throw new APIError(response.status, fault || text || response.statusText, method, path);
    }
    return json;
  }

  const enc = encodeURIComponent;

  // A 404 for the selected LB means it was deleted since the list was loaded: not an error to show.
  const gone = (error) => error instanceof APIError && error.status === 404;

  // ---- errors ----

  function report(error) {
    if (error instanceof APIError && error.status === 401 && state.token) {
      logout('The API refused the token (401): ' + error.message);
      return;
    }
    const where = error instanceof APIError ? error.method + ' ' + error.path + ' → ' + error.status + ': ' : '';
    const message = where + error.message;
    const box = byId('errors');
    const existing = Array.from(box.children).find((item) => item.dataset.message === message);
    if (existing) {
      const count = Number(existing.dataset.count) + 1;
      existing.dataset.count = String(count);
      existing.querySelector('.count').textContent = ' (×' + count + ')';
      return;
    }
    const item = el(
      'div',
      { class: 'error', 'data-message': message, 'data-count': '1',
        'data-status': error instanceof APIError ? error.status : '' },
      el('span', { class: 'message', text: message }),
      el('span', { class: 'count' }),
      el('button', { type: 'button', class: 'quiet', 'aria-label': 'Dismiss', text: '×',
        onclick: () => item.remove() }),
    );
    box.prepend(item);
    while (box.children.length > MAX_ERRORS) box.lastElementChild.remove();
  }

  // ---- login ----

  function readFragment() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (params.has('token')) {
      sessionStorage.setItem(TOKEN_KEY, params.get('token'));
      params.delete('token');
    }
    if (params.get('lb')) state.wanted = params.get('lb');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '#' + rest : ''));
  }

  function showLogin(message) {
    document.body.dataset.state = 'login';
    byId('panel').hidden = true;
    byId('logout').hidden = true;
    byId('identity').textContent = '';
    byId('login').hidden = false;
    byId('login-error').textContent = message || '';
    byId('login-token').focus();
  }

  function logout(message) {
    for (const stop of state.stops) stop();
    state.stops = [];
    state.token = null;
    state.lbs = [];
    state.selected = null;
    state.history.clear();
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(message);
  }

  async function start() {
    state.token = sessionStorage.getItem(TOKEN_KEY);
    if (!state.token) {
      showLogin();
      return;
    }
    byId('login').hidden = true;
    document.body.dataset.state = 'loading';
    try {
      await refresh();
    } catch (error) {
      if (error instanceof APIError && error.status === 401) {
        logout('The API refused the token (401): ' + error.message);
        return;
      }
      report(error);
    }
    byId('panel').hidden = false;
    byId('logout').hidden = false;
    byId('identity').textContent = 'logged in';
    loadSubnets();
    state.stops.push(every(REFRESH_EVERY_MS, refresh), every(STATS_EVERY_MS, refreshStats));
    if (document.body.dataset.state !== 'ready') document.body.dataset.state = 'error';
  }

  // Runs `task` every `ms` after the previous run finished (never overlapping); returns a stop function.
  function every(ms, task) {
    let timer = null;
    let stopped = false;
    const tick = async () => {
      try {
        await task();
      } catch (error) {
        report(error);
      }
      if (!stopped) timer = setTimeout(tick, ms);
    };
    timer = setTimeout(tick, ms);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  // ---- load balancer list ----

  async function refresh() {
    const data = await api('GET', '/v2/lbaas/loadbalancers');
    state.lbs = (data && data.loadbalancers) || [];
    chooseSelected();
    renderTable();
    await refreshDetail();
    if (state.selected && !state.history.has(state.selected)) await refreshStats();
    document.body.dataset.state = 'ready';
  }

  function chooseSelected() {
    const find = (key) => key && state.lbs.find((lb) => lb.id === key || lb.name === key);
    const wanted = find(state.wanted);
    const current = find(state.selected);
    const remembered = find(sessionStorage.getItem(SELECTED_KEY));
    const lb = wanted || current || remembered || state.lbs[0];
    if (wanted) state.wanted = null;
    state.selected = lb ? lb.id : null;
    if (lb) sessionStorage.setItem(SELECTED_KEY, lb.id);
  }

  function select(id) {
    state.selected = id;
    sessionStorage.setItem(SELECTED_KEY, id);
    renderTable();
    refreshDetail().then(refreshStats).catch(report);
  }

  function renderTable() {
    const rows = state.lbs.map((lb) =>
      el(
        'tr',
        {
          class: 'lb-row', tabindex: '0', 'data-lb-id': lb.id, 'data-lb-name': lb.name,
          'data-provisioning-status': lb.provisioning_status, 'data-operating-status': lb.operating_status,
          'aria-selected': lb.id === state.selected ? 'true' : 'false',
          onclick: () => select(lb.id),
          onkeydown: (event) => { if (event.key === 'Enter') select(lb.id); },
        },
        el('td', { class: 'name', text: lb.name || '(unnamed)' }),
        el('td', { class: 'id mono', title: lb.id, text: lb.id }),
        el('td', { class: 'vip mono', text: lb.vip_address || '' }),
        el('td', {}, badge(lb.provisioning_status)),
        el('td', {}, badge(lb.operating_status)),
      ),
    );
    byId('lb-rows').replaceChildren(...rows);
    byId('lb-empty').hidden = state.lbs.length > 0;
  }

  // ---- detail: status tree, pools, amphorae ----

  function selectedLB() {
    return state.lbs.find((lb) => lb.id === state.selected) || null;
  }

  async function refreshDetail() {
    const lb = selectedLB();
    const detail = byId('lb-detail');
    detail.hidden = !lb;
    if (!lb) return;
    detail.dataset.lbId = lb.id;
    detail.dataset.lbName = lb.name;
    byId('detail-name').textContent = lb.name || lb.id;
    byId('detail-summary').textContent =
      'id ' + lb.id + ' · VIP ' + (lb.vip_address || '—') + ' · subnet ' + (lb.vip_subnet_id || '—') +
      ' · provider ' + (lb.provider || '—');
    const [tree, pools, amphorae] = await Promise.allSettled([
      api('GET', '/v2/lbaas/loadbalancers/' + enc(lb.id) + '/status'),
      api('GET', '/v2/lbaas/pools?loadbalancer_id=' + enc(lb.id)),
      api('GET', '/v2/octavia/amphorae?loadbalancer_id=' + enc(lb.id)),
    ]);
    if (state.selected !== lb.id) return; // the user picked another LB meanwhile
    const poolList = pools.status === 'fulfilled' ? pools.value.pools || [] : [];
    if (pools.status === 'rejected' && !gone(pools.reason)) report(pools.reason);
    renderPoolPicker(poolList);
    if (tree.status === 'fulfilled') {
      const detached = await detachedPools(tree.value.statuses.loadbalancer, poolList);
      if (state.selected !== lb.id) return;
      renderTree(lb, tree.value.statuses.loadbalancer, detached);
    } else if (!gone(tree.reason)) {
      report(tree.reason);
    }
    renderAmphorae(amphorae);
  }

  function node(kind, object, label, extra, children) {
    return el(
      'li',
      Object.assign(
        { class: 'node ' + kind, 'data-operating-status': object.operating_status,
          'data-provisioning-status': object.provisioning_status },
        extra,
      ),
      el(
        'div',
        { class: 'line' },
        el('span', { class: 'kind', text: kind }),
        el('span', { class: 'label', text: label }),
        badge(object.operating_status),
        el('span', { class: 'prov', text: object.provisioning_status }),
        ...(children.actions || []),
      ),
      children.list && children.list.length ? el('ul', {}, children.list) : null,
    );
  }

  function memberNode(pool, member) {
    const remove = el('button', {
      type: 'button', class: 'quiet small', title: 'Remove member', text: 'remove',
      onclick: () => removeMember(pool.id, member),
    });
    const label = member.address + ':' + member.protocol_port + (member.name ? ' (' + member.name + ')' : '');
    return node(
      'member', member, label,
      { 'data-member-id': member.id, 'data-member-address': member.address,
        'data-protocol-port': member.protocol_port },
      { actions: [remove] },
    );
  }

  function poolNode(pool) {
    const monitor = pool.health_monitor
      ? [el('span', { class: 'monitor', text: 'monitor ' + pool.health_monitor.type + ' ' }),
          badge(pool.health_monitor.operating_status)]
      : [el('span', { class: 'monitor muted', text: pool.healthmonitor_id ? 'monitor' : 'no monitor' })];
    return node(
      'pool', pool, pool.name || short(pool.id), { 'data-pool-id': pool.id },
      { actions: monitor, list: (pool.members || []).map((member) => memberNode(pool, member)) },
    );
  }

  function renderTree(lb, root, detached) {
    const listeners = (root.listeners || []).map((listener) =>
      node(
        'listener', listener, listener.name || short(listener.id), { 'data-listener-id': listener.id },
        { list: (listener.pools || []).map(poolNode) },
      ),
    );
    const top = node('loadbalancer', root, root.name || short(root.id), { 'data-lb-id': root.id }, { list: listeners });
    const container = byId('status-tree');
    container.dataset.lbId = lb.id;
    container.dataset.lbName = lb.name;
    container.replaceChildren(el('ul', {}, top));
    if (detached.length) {
      container.append(
        el('p', { class: 'muted', text: 'Pools without a listener:' }),
        el('ul', { class: 'detached' }, detached.map(poolNode)),
      );
    }
  }

  // All the LB's pools are offered in the add-member form (keeping the user's choice across refreshes).
  function renderPoolPicker(pools) {
    const picker = byId('add-member-pool');
    const previous = picker.value;
    picker.replaceChildren(
      ...pools.map((pool) => el('option', { value: pool.id, text: (pool.name || short(pool.id)) + ' · ' + pool.protocol })),
    );
    if (pools.some((pool) => pool.id === previous)) picker.value = previous;
    byId('add-member').hidden = pools.length === 0;
  }

  // Pools that no listener uses are not in Octavia's status tree; they are shown below it, with their members
  // (in the status tree's shape), so that those members can be seen and removed too.
  async function detachedPools(root, pools) {
    const inTree = new Set();
    for (const listener of root.listeners || []) {
      for (const pool of listener.pools || []) inTree.add(pool.id);
    }
    const detached = [];
    for (const pool of pools.filter((p) => !inTree.has(p.id))) {
      try {
        const data = await api('GET', '/v2/lbaas/pools/' + enc(pool.id) + '/members');
        detached.push(Object.assign({}, pool, { members: (data && data.members) || [] }));
      } catch (error) {
        report(error);
      }
    }
    return detached;
  }

  function renderAmphorae(result) {
    const box = byId('amphorae');
    if (result.status === 'rejected') {
      if (result.reason instanceof APIError && result.reason.status === 403) {
        box.replaceChildren(el('p', { class: 'muted', text: 'Amphorae are visible to administrators only.' }));
      } else {
        box.replaceChildren();
        report(result.reason);
      }
      return;
    }
    const amphorae = result.value.amphorae || [];
    if (amphorae.length === 0) {
      box.replaceChildren(el('p', { class: 'muted', text: 'No amphora yet.' }));
      return;
    }
    box.replaceChildren(
      el(
        'table',
        { class: 'amphorae' },
        el('thead', {}, el('tr', {}, ['ID', 'Role', 'Status', 'Management IP', 'VIP (VRRP) IP'].map((h) => el('th', { text: h })))),
        el(
          'tbody',
          {},
          amphorae.map((amphora) =>
            el(
              'tr',
              { class: 'amphora', 'data-amphora-id': amphora.id, 'data-role': amphora.role, 'data-status': amphora.status },
              el('td', { class: 'mono', title: amphora.id, text: short(amphora.id) }),
              el('td', { text: amphora.role || '—' }),
              el('td', {}, badge(amphora.status)),
              el('td', { class: 'mono', text: amphora.lb_network_ip || '—' }),
              el('td', { class: 'mono', text: amphora.vrrp_ip || '—' }),
            ),
          ),
        ),
      ),
    );
  }

  // ---- live statistics ----

  async function refreshStats() {
    const id = state.selected;
    if (!id) return;
    let data;
    try {
      data = await api('GET', '/v2/lbaas/loadbalancers/' + enc(id) + '/stats');
    } catch (error) {
      if (!gone(error)) throw error;
      state.history.delete(id);
      await refresh();
      return;
    }
    const stats = data.stats;
    const now = Date.now();
    const samples = state.history.get(id) || [];
    samples.push({ t: now, active: stats.active_connections, bytesIn: stats.bytes_in, bytesOut: stats.bytes_out });
    while (samples.length && samples[0].t < now - HISTORY_MS) samples.shift();
    state.history.set(id, samples);
    if (state.selected !== id) return;
    renderStats(stats, samples);
  }

  function renderStats(stats, samples) {
    const figures = [
      ['active connections', stats.active_connections],
      ['total connections', stats.total_connections],
      ['bytes in', bytes(stats.bytes_in)],
      ['bytes out', bytes(stats.bytes_out)],
      ['request errors', stats.request_errors],
    ];
    byId('stats').replaceChildren(
      el('dl', { class: 'figures' }, figures.map(([name, value]) =>
        el('div', { 'data-stat': name.replace(/ /g, '_') }, el('dt', { text: name }), el('dd', { text: value })))),
    );
    // Counters are cumulative; the chart shows their rate between polls (a reset, e.g. after failover, shows 0).
    const rates = [];
    for (let i = 1; i < samples.length; i += 1) {
      const seconds = Math.max((samples[i].t - samples[i - 1].t) / 1000, 0.001);
      rates.push({
        t: samples[i].t,
        bytesIn: Math.max(samples[i].bytesIn - samples[i - 1].bytesIn, 0) / seconds,
        bytesOut: Math.max(samples[i].bytesOut - samples[i - 1].bytesOut, 0) / seconds,
      });
    }
    byId('charts').replaceChildren(
      chart('Active connections', samples, [{ key: 'active', class: 'series-a', label: 'active' }], String),
      chart(
        'Throughput (per second)', rates,
        [{ key: 'bytesIn', class: 'series-a', label: 'in' }, { key: 'bytesOut', class: 'series-b', label: 'out' }],
        (value) => bytes(value) + '/s',
      ),
    );
  }

  // A small line chart over the last HISTORY_MS as inline SVG.
  function chart(title, points, series, format) {
    const width = 420;
    const height = 110;
    const pad = { left: 4, right: 4, top: 8, bottom: 14 };
    const now = Date.now();
    const max = Math.max(1, ...points.flatMap((p) => series.map((s) => p[s.key])));
    const x = (t) => pad.left + ((t - (now - HISTORY_MS)) / HISTORY_MS) * (width - pad.left - pad.right);
    const y = (v) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
    const picture = svg(
      'svg',
      { viewBox: '0 0 ' + width + ' ' + height, class: 'chart', role: 'img', 'aria-label': title },
      svg('line', { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), class: 'axis' }),
      svg('line', { x1: pad.left, x2: width - pad.right, y1: y(max), y2: y(max), class: 'grid' }),
      svg('text', { x: width - pad.right, y: height - 2, 'text-anchor': 'end', class: 'tick' }, 'now'),
      svg('text', { x: pad.left, y: height - 2, class: 'tick' }, '−' + HISTORY_MS / 60000 + ' min'),
    );
    for (const s of series) {
      const coordinates = points.map((p) => x(p.t).toFixed(1) + ',' + y(p[s.key]).toFixed(1)).join(' ');
      picture.append(svg('polyline', { points: coordinates, class: 'line ' + s.class }));
    }
    const last = points[points.length - 1];
    const legend = series.map((s) =>
      el('span', { class: 'legend ' + s.class, text: s.label + ' ' + (last ? format(last[s.key]) : '—') }),
    );
    return el(
      'figure',
      { class: 'chart-box', 'data-chart': title },
      el('figcaption', {}, el('span', { text: title }), el('span', { class: 'muted', text: ' max ' + format(max) }), ' ', legend),
      picture,
    );
  }

  // ---- actions ----

  async function act(task, message) {
    try {
      await task();
      if (message) flash(message);
    } catch (error) {
      report(error);
    }
    try {
      await refresh();
    } catch (error) {
      report(error);
    }
  }

  function flash(message) {
    const box = byId('errors');
    const note = el('div', { class: 'notice', text: message });
    box.prepend(note);
    setTimeout(() => note.remove(), 4000);
  }

  async function loadSubnets() {
    try {
      const data = await api('GET', '/v2.0/subnets');
      const subnets = (data && data.subnets) || [];
      byId('subnet-options').replaceChildren(
        ...subnets.map((subnet) => el('option', { value: subnet.id, text: subnet.name + ' ' + subnet.cidr })),
      );
      const input = byId('create-lb-subnet');
      if (!input.value && subnets.length === 1) input.value = subnets[0].id;
    } catch (error) {
      report(error);
    }
  }

  function removeMember(poolID, member) {
    act(
      () => api('DELETE', '/v2/lbaas/pools/' + enc(poolID) + '/members/' + enc(member.id)),
      'Removing member ' + member.address + '.',
    );
  }

  function wireActions() {
    byId('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId('login-token');
      const token = input.value.trim();
      input.value = '';
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      start();
    });
    byId('logout').addEventListener('click', () => logout('Logged out.'));
    byId('create-lb').addEventListener('submit', (event) => {
      event.preventDefault();
      const name = byId('create-lb-name').value.trim();
      const subnet = byId('create-lb-subnet').value.trim();
      act(async () => {
        const created = await api('POST', '/v2/lbaas/loadbalancers', {
          loadbalancer: { name, vip_subnet_id: subnet },
        });
        state.selected = created.loadbalancer.id;
        sessionStorage.setItem(SELECTED_KEY, created.loadbalancer.id);
        byId('create-lb-name').value = '';
      }, 'Creating load balancer ' + name + '.');
    });
    byId('delete-lb').addEventListener('click', () => {
      const lb = selectedLB();
      if (!lb || !window.confirm('Delete load balancer ' + (lb.name || lb.id) + ' and everything under it?')) return;
      act(() => api('DELETE', '/v2/lbaas/loadbalancers/' + enc(lb.id) + '?cascade=true'),
        'Deleting load balancer ' + (lb.name || lb.id) + '.');
    });
    byId('failover-lb').addEventListener('click', () => {
      const lb = selectedLB();
      if (!lb || !window.confirm('Fail over load balancer ' + (lb.name || lb.id) + '?')) return;
      act(() => api('PUT', '/v2/lbaas/loadbalancers/' + enc(lb.id) + '/failover'),
        'Failing over load balancer ' + (lb.name || lb.id) + '.');
    });
    byId('add-member').addEventListener('submit', (event) => {
      event.preventDefault();
      const pool = byId('add-member-pool').value;
      const member = {
        address: byId('add-member-address').value.trim(),
        protocol_port: Number(byId('add-member-port').value),
      };
      const name = byId('add-member-name').value.trim();
      if (name) member.name = name;
      act(async () => {
        await api('POST', '/v2/lbaas/pools/' + enc(pool) + '/members', { member });
        byId('add-member-address').value = '';
        byId('add-member-name').value = '';
      }, 'Adding member ' + member.address + '.');
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    readFragment();
    wireActions();
    start();
  });
})();
