// Magma keys: the system administrator's view of every key (with enable/disable and assertion
// keys) and a tenant administrator's view of its tenant's realm keys. Both share the table and
// the create form.

import { request, seg, fetchAll } from './api.js';
import {
  el, field, selectField, rightsGroup, card, screenHeading, button, submitButton, form, announce, confirmAction,
  formatDate, formatRights, enabledText, endOfDayIso, pagedList, dataTable, secretPanel, showSecret,
  openPanel, ALL_RIGHTS, SCREEN_TITLE_ID,
} from './ui.js';

function statusCell(key) {
  return el('span', { class: key.enabled ? 'state state-on' : 'state state-off', text: enabledText(key.enabled) });
}

/**
 * The create form. `withTenant` adds the Tenant select (system administrator only): "None", or one
 * of the tenants, filled by the returned `loadTenants`. `rights` are the rights offered.
 */
function createMagmaKeyCard({ base, withTenant, rights, secretSlot, onCreated }) {
  const name = field('Name', { id: 'magma-name', autocomplete: 'off', required: true });
  const rightsBoxes = rightsGroup({ rights });
  const noTenant = { value: '', text: 'None (a key of no tenant)' };
  const tenant = withTenant ? selectField('Tenant', [noTenant], { id: 'magma-tenant' }) : null;
  const expires = field('Expires', { id: 'magma-expires', type: 'date' }, { hint: 'Optional: the key stops working after this day (UTC).' });

  const f = form(
    [
      el('div', { class: 'field-grid' }, name.element, tenant?.element, expires.element),
      rightsBoxes.element,
      submitButton('Create magma key'),
    ],
    async () => {
      const body = { name: name.input.value.trim(), rights: rightsBoxes.values() };
      const tenantId = tenant?.input.value.trim();
      if (tenantId) body.tenantId = tenantId;
      const expiresAt = endOfDayIso(expires.input.value);
      if (expiresAt) body.expiresAt = expiresAt;
      const { body: created } = await request('POST', base, body);
      f.reset();
      showSecret(secretSlot, secretPanel({
        owner: `Secret of magma key '${created.name ?? body.name}'`,
        label: 'New magma key secret',
        secret: created.secret,
        noun: 'secret',
      }));
      announce(`Magma key ${created.name ?? body.name} created.`);
      await onCreated();
    },
  );
  async function loadTenants() {
    if (!tenant) return;
    const tenants = await fetchAll('/admin/tenants');
    tenant.input.replaceChildren(...[noTenant, ...tenants.map((t) => ({ value: t.id, text: `${t.name ?? t.id} (${t.id})` }))]
      .map((o) => el('option', { value: o.value, text: o.text })));
  }
  return { element: card('Create magma key', f), loadTenants };
}

function deleteButton(base, key, list) {
  return button('Delete', async () => {
    if (!confirmAction(`Delete magma key ${key.name}? Whatever uses it stops working.`)) return;
    await request('DELETE', `${base}/${seg(key.name)}`);
    announce(`Magma key ${key.name} deleted.`);
    await list.refresh();
  }, { ariaLabel: `Delete magma key ${key.name}`, kind: 'danger' });
}

// ---------------------------------------------------------------------------------------------
// System administrator

export function adminMagmaKeysScreen(container) {
  const base = '/admin/magma-keys';
  const assertionSlot = el('div');
  const secretSlot = el('div', { class: 'secret-slot' });

  const list = pagedList({
    labelledBy: SCREEN_TITLE_ID,
    columns: ['Name', 'Rights', 'Tenant', 'Expires', 'Status', 'Actions'],
    path: base,
    empty: 'No magma keys yet.',
    row: (key) => [
      key.name,
      formatRights(key.rights),
      key.tenantId || '—',
      formatDate(key.expiresAt),
      statusCell(key),
      [
        button(key.enabled ? 'Disable' : 'Enable', async () => {
          await request('PATCH', `${base}/${seg(key.name)}`, { enabled: !key.enabled });
          announce(`Magma key ${key.name} ${key.enabled ? 'disabled' : 'enabled'}.`);
          await list.refresh();
        }, { ariaLabel: `${key.enabled ? 'Disable' : 'Enable'} magma key ${key.name}` }),
        button('Assertion keys', () => showAssertionKeys(key.name), { ariaLabel: `Assertion keys of magma key ${key.name}` }),
        deleteButton(base, key, list),
      ],
    ],
  });

  async function showAssertionKeys(name) {
    const panel = assertionKeysPanel(base, name, () => assertionSlot.replaceChildren());
    openPanel(assertionSlot, panel.element);
    await panel.load();
    panel.element.querySelector('h3')?.focus();
  }

  const create = createMagmaKeyCard({ base, withTenant: true, rights: ALL_RIGHTS, secretSlot, onCreated: () => list.refresh() });
  container.append(screenHeading('Magma keys'), list.element, assertionSlot, secretSlot, create.element);
  return Promise.all([list.reload(), create.loadTenants()]);
}

/** Lists a magma key's assertion keys (public JWKs) with Remove, and adds one by key id. */
function assertionKeysPanel(base, name, close) {
  const keyPath = `${base}/${seg(name)}`;
  const headingId = 'assertion-keys-title';
  const tableSlot = el('div', { class: 'table-wrap' });

  async function load() {
    const { body } = await request('GET', keyPath);
    const keys = Array.isArray(body?.assertionKeys) ? body.assertionKeys : [];
    tableSlot.replaceChildren(dataTable({
      labelledBy: headingId,
      columns: ['Key id', 'Created', 'Actions'],
      items: keys,
      empty: 'No assertion keys.',
      row: (k) => [
        el('code', { text: k.kid }),
        formatDate(k.createdAt),
        button('Remove', async () => {
          if (!confirmAction(`Remove assertion key ${k.kid} of ${name}?`)) return;
          await request('DELETE', `${keyPath}/assertion-keys/${seg(k.kid)}`);
          announce(`Assertion key ${k.kid} removed.`);
          await load();
        }, { ariaLabel: `Remove assertion key ${k.kid}`, kind: 'danger' }),
      ],
    }));
  }

  const kid = field('Key id', { id: 'assertion-kid', autocomplete: 'off', required: true });
  const jwk = field('Public key (JWK)', { id: 'assertion-jwk', rows: '6', required: true, spellcheck: 'false' }, {
    tag: 'textarea',
    hint: 'The public key as a JSON Web Key, e.g. {"kty":"EC","crv":"P-256","x":"…","y":"…"}.',
  });
  const addForm = form(
    [kid.element, jwk.element, submitButton('Add assertion key')],
    async (f) => {
      const text = jwk.input.value.trim();
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error('The public key is not valid JSON.');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('The public key must be a JSON object (a JWK).');
      }
      const keyId = kid.input.value.trim();
      await request('PUT', `${keyPath}/assertion-keys/${seg(keyId)}`, text);
      f.reset();
      announce(`Assertion key ${keyId} added to ${name}.`);
      await load();
    },
  );

  const element = el(
    'section',
    { class: 'card', 'aria-labelledby': headingId },
    el('div', { class: 'card-head' },
      el('h3', { id: headingId, tabindex: '-1', text: `Assertion keys of ${name}` }),
      button('Close assertion keys', close)),
    tableSlot,
    el('h4', { text: 'Add assertion key' }),
    addForm,
  );
  return { element, load };
}

// ---------------------------------------------------------------------------------------------
// Tenant administrator

export function tenantMagmaKeysScreen(container, ctx) {
  const tenant = ctx.tenant;
  const base = `/tenants/${seg(tenant.id)}/magma-keys`;
  const secretSlot = el('div', { class: 'secret-slot' });

  const list = pagedList({
    caption: `Magma keys of ${tenant.name}`,
    columns: ['Name', 'Rights', 'Expires', 'Status', 'Actions'],
    path: base,
    empty: 'This tenant has no magma keys yet.',
    row: (key) => [
      key.name,
      formatRights(key.rights),
      formatDate(key.expiresAt),
      statusCell(key),
      deleteButton(base, key, list),
    ],
  });

  container.append(
    screenHeading('Magma keys'),
    ctx.tenantPicker(),
    list.element,
    secretSlot,
    // A tenant administrator hands out at most its own rights, and never "administration".
    createMagmaKeyCard({
      base,
      withTenant: false,
      rights: ALL_RIGHTS.filter((r) => r !== 'administration' && ctx.session.rights.includes(r)),
      secretSlot,
      onCreated: () => list.refresh(),
    }).element,
  );
  return list.reload();
}
