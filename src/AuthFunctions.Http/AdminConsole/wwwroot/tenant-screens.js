// A tenant administrator's screens (Tenants and Plugins; Magma keys is in magma-screens.js).
// Each works on `ctx.tenant`, the administered tenant picked with the "Tenant" select.

import { request, seg } from './api.js';
import {
  el, field, card, screenHeading, submitButton, form, announce, run, confirmAction, formatDate,
  pagedList, secretPanel, showSecret, detailLine,
} from './ui.js';

export function tenantTenantsScreen(container, ctx) {
  const tenant = ctx.tenant;

  const tenants = pagedList({
    caption: 'Your tenants',
    columns: ['Id', 'Name', 'Role'],
    path: '/tenants',
    empty: 'You belong to no tenant.',
    row: (t) => [t.id, t.name ?? '', t.role ?? ''],
  });

  const headingId = 'tenant-members-title';
  const members = pagedList({
    caption: `Members of ${tenant.name}`,
    columns: ['Username', 'Name', 'Role', 'Added'],
    path: `/tenants/${seg(tenant.id)}/members`,
    empty: 'This tenant has no members.',
    row: (m) => [m.username || m.userId, m.name || '—', m.role, formatDate(m.addedAt)],
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

  // One "Plugin id" field serves both buttons, so the label stays unique on the screen.
  const pluginId = field('Plugin id', { id: 'plugin-id', autocomplete: 'off', required: true });

  const uninstall = el('button', { type: 'button', class: 'btn btn-danger', text: 'Uninstall plugin' });
  uninstall.addEventListener('click', () => run(async () => {
    const id = pluginId.input.value.trim();
    if (!id) {
      pluginId.input.reportValidity();
      return;
    }
    if (!confirmAction(`Uninstall plugin ${id} from ${tenant.name}? Its connection token stops working.`)) return;
    await request('DELETE', `${base}/${seg(id)}`);
    pluginId.input.value = '';
    announce(`Plugin ${id} uninstalled from ${tenant.name}.`);
  }, uninstall));

  const pluginForm = form(
    [pluginId.element, el('div', { class: 'form-actions' }, submitButton('Install plugin'), uninstall)],
    async () => {
      const id = pluginId.input.value.trim();
      const { body } = await request('PUT', `${base}/${seg(id)}`);
      pluginId.input.value = '';
      showSecret(secretSlot, secretPanel({
        label: 'New connection token',
        secret: body.pluginConnectionToken,
        extras: [detailLine('Connection id', body.pluginConnectionId)],
      }));
      announce(`Plugin ${id} installed in ${tenant.name}.`);
    },
  );

  container.append(
    screenHeading('Plugins'),
    ctx.tenantPicker(),
    el('p', { class: 'lead', text: `Install a plugin in ${tenant.name} by its id; installing gives the plugin a connection token for this tenant.` }),
    card('Install or uninstall a plugin', pluginForm),
    secretSlot,
  );
  return Promise.resolve();
}
