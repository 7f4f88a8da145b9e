// A tenant administrator's screens (Tenants and Plugins; Magma keys is in magma-screens.js).
// Each works on `ctx.tenant`, the administered tenant picked with the "Tenant" select.

import { request, seg, fetchAll } from './api.js';
import {
  el, selectField, card, screenHeading, button, submitButton, form, announce, run, confirmAction, formatDate,
  pagedList, secretPanel, showSecret, detailLine,
} from './ui.js';

export function tenantTenantsScreen(container, ctx) {
  const tenant = ctx.tenant;

  const tenants = pagedList({
    caption: 'Your tenants',
    columns: ['Id', 'Name', 'Role'],
    path: '/tenants',
    empty: 'You belong to no tenant.',
    row: (t) => [t.id, t.name ?? '', el('span', { class: 'word', text: t.role ?? '' })],
  });

  const headingId = 'tenant-members-title';
  const members = pagedList({
    labelledBy: headingId,
    columns: ['Username', 'Name', 'Role', 'Added'],
    path: `/tenants/${seg(tenant.id)}/members`,
    empty: 'This tenant has no members.',
    row: (m) => [m.username || m.userId, m.name || '—', el('span', { class: 'word', text: m.role }), formatDate(m.addedAt)],
  });

  container.append(
    screenHeading('Tenants'),
    ctx.tenantPicker(),
    tenants.element,
    el('section', { class: 'card', 'aria-labelledby': headingId },
      el('h3', { id: headingId, text: `Members of ${tenant.name}` }),
      members.element),
  );
  // Load both; report a failure of either without hiding the other.
  return Promise.all([run(() => tenants.reload()), run(() => members.reload())]);
}

export function tenantPluginsScreen(container, ctx) {
  const tenant = ctx.tenant;
  const base = `/tenants/${seg(tenant.id)}/plugins`;
  const secretSlot = el('div', { class: 'secret-slot' });

  const installed = pagedList({
    caption: `Plugins installed in ${tenant.name}`,
    columns: ['Name', 'Plugin id', 'Connection id', 'Installed', 'Actions'],
    path: base,
    empty: 'No plugin is installed in this tenant.',
    row: (p) => [
      p.name,
      el('code', { text: p.pluginId }),
      el('code', { text: p.connectionId }),
      formatDate(p.installedAt),
      button('Uninstall', async () => {
        if (!confirmAction(`Uninstall plugin ${p.name} from ${tenant.name}? Its connection token stops working.`)) return;
        await request('DELETE', `${base}/${seg(p.pluginId)}`);
        announce(`Plugin ${p.name} uninstalled from ${tenant.name}.`);
        await Promise.all([installed.refresh(), loadCatalog()]);
      }, { ariaLabel: `Uninstall plugin ${p.name}`, kind: 'danger' }),
    ],
  });

  // The catalog (enabled plugins) less what is installed: every page of both, so nothing installed is
  // offered. The select is required, so with nothing chosen (or nothing left) the browser asks first.
  const placeholder = { value: '', text: 'Choose a plugin' };
  const picker = selectField('Plugin', [placeholder], { id: 'plugin-pick', required: true });
  let names = new Map();

  async function loadCatalog() {
    const [catalog, present] = await Promise.all([fetchAll('/plugins'), fetchAll(base)]);
    const installedIds = new Set(present.map((p) => p.pluginId));
    const offered = catalog.filter((p) => !installedIds.has(p.pluginId));
    names = new Map(offered.map((p) => [p.pluginId, p.name]));
    const first = offered.length > 0 ? placeholder : { value: '', text: 'No other plugin to install' };
    picker.input.replaceChildren(...[first, ...offered.map((p) => ({ value: p.pluginId, text: `${p.name} (${p.pluginId})` }))]
      .map((o) => el('option', { value: o.value, text: o.text })));
  }

  const installForm = form(
    [picker.element, el('div', { class: 'form-actions' }, submitButton('Install plugin'))],
    async () => {
      const id = picker.input.value;
      const name = names.get(id) ?? id;
      const { body } = await request('PUT', `${base}/${seg(id)}`);
      showSecret(secretSlot, secretPanel({
        owner: `Connection token of plugin '${name}' in ${tenant.name}`,
        label: 'New connection token',
        secret: body.pluginConnectionToken,
        extras: [detailLine('Connection id', body.pluginConnectionId)],
      }));
      announce(`Plugin ${name} installed in ${tenant.name}.`);
      await Promise.all([installed.refresh(), loadCatalog()]);
    },
  );

  container.append(
    screenHeading('Plugins'),
    ctx.tenantPicker(),
    el('p', { class: 'lead', text: `Installing a plugin gives it a connection token for ${tenant.name}; uninstalling ends that token at once.` }),
    installed.element,
    secretSlot,
    card('Install a plugin', installForm),
  );
  return Promise.all([installed.reload(), loadCatalog()]);
}
