// The system administrator's screens: Users, API tokens, Tenants, Plugins, Signing keys.
// Magma keys live in magma-screens.js, the tenant administrator's screens in tenant-screens.js.
//
// A screen is `render(container, ctx)`: it fills `container` and loads its data. `ctx` holds
// `session` (token-free), `params` (from navigate) and `navigate(screen, params)`.

import { request, seg, withQuery, findUserByName } from './api.js';
import {
  el, field, selectField, checkboxField, rightsGroup, card, screenHeading, button, submitButton, form,
  announce, run, confirmAction, formatDate, formatRights, enabledText, dateInDays, endOfDayIso,
  pagedList, toggleDetailRow, secretPanel, showSecret, closeSecretPanel, detailLine, openPanel, SCREEN_TITLE_ID,
} from './ui.js';

// ---------------------------------------------------------------------------------------------
// Users

export function usersScreen(container, ctx) {
  let prefix = '';

  const search = field('Search by username', { id: 'user-search', type: 'search', autocomplete: 'off' });
  const searchForm = form(
    [search.element, submitButton('Search', 'secondary')],
    async () => {
      prefix = search.input.value.trim();
      await list.reload();
    },
    { class: 'inline-form', role: 'search', 'aria-label': 'Users' },
  );

  const list = pagedList({
    labelledBy: SCREEN_TITLE_ID,
    columns: ['Username', 'Name', 'Email', 'Rights', 'Status', 'Actions'],
    path: () => withQuery('/admin/users', { username: prefix }),
    empty: 'No users found.',
    row: (user, tr) => [
      user.username,
      user.name ?? '',
      user.email || '—',
      [formatRights(user.rights), user.superUser ? el('span', { class: 'badge', text: 'super user' }) : null],
      el('span', { class: user.enabled ? 'state state-on' : 'state state-off', text: enabledText(user.enabled) }),
      userActions(user, tr),
    ],
  });

  function userActions(user, tr) {
    const name = user.username;
    const toggle = button(user.enabled ? 'Disable' : 'Enable', async () => {
      await request('PATCH', `/admin/users/${seg(user.id)}`, { enabled: !user.enabled });
      announce(`User ${name} ${user.enabled ? 'disabled' : 'enabled'}.`);
      await list.refresh();
    }, { ariaLabel: `${user.enabled ? 'Disable' : 'Enable'} user ${name}` });

    const edit = button('Edit', () => {
      toggleDetailRow(tr, 'profile', (close) => profileForm(user, close));
    }, { ariaLabel: `Edit name and email of user ${name}` });

    const reset = button('Reset password', () => {
      toggleDetailRow(tr, 'password', (close) => passwordForm(user, close));
    }, { ariaLabel: `Reset password for user ${name}` });

    const rights = button('Edit rights', () => {
      toggleDetailRow(tr, 'rights', (close) => rightsForm(user, close));
    }, { ariaLabel: `Edit rights of user ${name}` });

    const tokens = button('API tokens', () => {
      ctx.navigate('api-tokens', { user: { id: user.id, username: user.username } });
    }, { ariaLabel: `API tokens of user ${name}` });

    const remove = button('Delete', async () => {
      if (!confirmAction(`Delete user ${name}? This cannot be undone.`)) return;
      await request('DELETE', `/admin/users/${seg(user.id)}`);
      announce(`User ${name} deleted.`);
      await list.refresh();
    }, { ariaLabel: `Delete user ${name}`, kind: 'danger' });

    return [edit, toggle, reset, rights, tokens, remove];
  }

  function profileForm(user, close) {
    const name = field(`Name of ${user.username}`, { autocomplete: 'off', required: true, value: user.name ?? '' });
    const email = field(`Email of ${user.username}`, { type: 'email', autocomplete: 'off', value: user.email ?? '' }, { hint: 'Empty: no email.' });
    return form(
      [el('div', { class: 'field-grid' }, name.element, email.element),
        el('div', { class: 'form-actions' }, submitButton('Save name and email'), button('Cancel', close))],
      async () => {
        // An empty email clears it.
        await request('PATCH', `/admin/users/${seg(user.id)}`, { name: name.input.value.trim(), email: email.input.value.trim() });
        announce(`Name and email of ${user.username} saved.`);
        await list.refresh();
      },
    );
  }

  function passwordForm(user, close) {
    const password = field(`New password for ${user.username}`, { type: 'password', autocomplete: 'new-password', required: true });
    return form(
      [password.element, submitButton('Set password'), button('Cancel', close)],
      async () => {
        await request('PATCH', `/admin/users/${seg(user.id)}`, { password: password.input.value });
        password.input.value = '';
        close();
        announce(`Password of ${user.username} changed; its live tokens have ended.`);
      },
      { class: 'inline-form' },
    );
  }

  function rightsForm(user, close) {
    const group = rightsGroup({ checked: user.rights || [], legend: `Rights of ${user.username}` });
    return form(
      [group.element, el('div', { class: 'form-actions' }, submitButton('Save rights'), button('Cancel', close))],
      async () => {
        await request('PATCH', `/admin/users/${seg(user.id)}`, { rights: group.values() });
        announce(`Rights of ${user.username} saved; if a right was taken away, its live tokens have ended.`);
        await list.refresh();
      },
    );
  }

  container.append(
    screenHeading('Users'),
    searchForm,
    list.element,
    createUserCard(async (username) => {
      announce(`User ${username} created.`);
      await list.refresh();
    }),
  );
  return list.reload();
}

function createUserCard(onCreated) {
  const username = field('Username', { id: 'new-user-username', autocomplete: 'off', required: true });
  const password = field('Password', { id: 'new-user-password', type: 'password', autocomplete: 'new-password', required: true });
  const name = field('Name', { id: 'new-user-name', autocomplete: 'off', required: true });
  const email = field('Email', { id: 'new-user-email', type: 'email', autocomplete: 'off' }, { hint: 'Optional.' });
  const rights = rightsGroup();
  const superUser = checkboxField('Super user', { id: 'new-user-super' });

  const f = form(
    [
      el('div', { class: 'field-grid' }, username.element, password.element, name.element, email.element),
      rights.element,
      superUser.element,
      submitButton('Create user'),
    ],
    async () => {
      const body = {
        username: username.input.value.trim(),
        password: password.input.value,
        name: name.input.value.trim(),
        rights: rights.values(),
        superUser: superUser.input.checked,
      };
      const mail = email.input.value.trim();
      if (mail) body.email = mail;
      try {
        await request('POST', '/admin/users', body);
      } finally {
        password.input.value = ''; // never leave a password sitting in the page
      }
      f.reset();
      await onCreated(body.username);
    },
  );
  return card('Create user', f);
}

// ---------------------------------------------------------------------------------------------
// API tokens

export function apiTokensScreen(container, ctx) {
  let user = ctx.params?.user || null;

  const userField = field('User', { id: 'token-user', autocomplete: 'off', required: true, value: user?.username ?? '' });
  const chooseForm = form(
    [userField.element, submitButton('Show tokens', 'secondary')],
    async () => {
      const found = await findUserByName(userField.input.value);
      await showUser({ id: found.id, username: found.username });
    },
    { class: 'inline-form' },
  );

  const title = el('h3', { text: '' });
  const list = pagedList({
    labelledBy: 'tokens-title',
    columns: ['Description', 'Created', 'Expires', 'Status', 'Actions'],
    path: () => withQuery('/rs/tokens', { userId: user.id }),
    empty: 'This user has no API tokens.',
    row: (token) => {
      const what = token.description || token.id;
      return [
        token.description || '—',
        formatDate(token.createdAt),
        formatDate(token.expiresAt),
        el('span', { class: token.active ? 'state state-on' : 'state state-off', text: token.active ? 'Active' : 'Inactive' }),
        button('Revoke', async () => {
          if (!confirmAction(`Revoke the API token "${what}" of ${user.username}? Whatever uses it stops working.`)) return;
          await request('DELETE', `/rs/tokens/${seg(token.id)}`);
          announce(`Token "${what}" revoked.`);
          await list.refresh();
        }, { ariaLabel: `Revoke token ${what}`, kind: 'danger' }),
      ];
    },
  });

  const secretSlot = el('div', { class: 'secret-slot' });
  const description = field('Description', { id: 'token-description', autocomplete: 'off' });
  const expires = field('Expires', { id: 'token-expires', type: 'date', required: true, value: dateInDays(90) });
  const generateForm = form(
    [el('div', { class: 'field-grid' }, description.element, expires.element), submitButton('Generate token')],
    async () => {
      const { body } = await request('POST', '/rs/tokens', {
        userId: user.id,
        description: description.input.value.trim(),
        expiresAt: endOfDayIso(expires.input.value),
      });
      const what = description.input.value.trim();
      description.input.value = '';
      expires.input.value = dateInDays(90);
      showSecret(secretSlot, secretPanel({
        owner: what ? `API token '${what}' of ${user.username}` : `API token of ${user.username}`,
        label: 'New API token',
        secret: body.accessToken,
      }));
      announce(`Token generated for ${user.username}.`);
      await list.refresh();
    },
  );

  const userSection = el(
    'section',
    { class: 'user-tokens', hidden: true, 'aria-labelledby': 'tokens-title' },
    title,
    list.element,
    secretSlot,
    card('Generate token', generateForm),
  );
  title.id = 'tokens-title';

  async function showUser(chosen) {
    user = chosen;
    userField.input.value = chosen.username;
    title.textContent = `API tokens of ${chosen.username}`;
    closeSecretPanel();
    userSection.hidden = false;
    await list.reload();
  }

  container.append(screenHeading('API tokens'), card('Choose a user', chooseForm), userSection);
  if (user) return run(() => showUser(user));
  return Promise.resolve();
}

// ---------------------------------------------------------------------------------------------
// Tenants (system administrator)

export function adminTenantsScreen(container) {
  const membersSlot = el('div', { class: 'members-slot' });

  const list = pagedList({
    labelledBy: SCREEN_TITLE_ID,
    columns: ['Id', 'Name', 'Created', 'Actions'],
    path: '/admin/tenants',
    empty: 'No tenants yet.',
    row: (tenant) => [
      tenant.id,
      tenant.name ?? '',
      formatDate(tenant.createdAt),
      [
        button('Members', () => showMembers(tenant), { ariaLabel: `Members of tenant ${tenant.name ?? tenant.id}` }),
        button('Delete', async () => {
          const tenantName = tenant.name ?? tenant.id;
          if (!confirmAction(`Delete tenant ${tenantName}? Its members, realm keys and plugin installations go, and every token that reached it stops working.`)) return;
          await request('DELETE', `/admin/tenants/${seg(tenant.id)}`);
          membersSlot.replaceChildren();
          announce(`Tenant ${tenantName} deleted.`);
          await list.refresh();
        }, { ariaLabel: `Delete tenant ${tenant.name ?? tenant.id}`, kind: 'danger' }),
      ],
    ],
  });

  async function showMembers(tenant) {
    const panel = membersPanel(tenant, () => membersSlot.replaceChildren());
    openPanel(membersSlot, panel.element);
    await panel.load();
    panel.element.querySelector('h3')?.focus();
  }

  const id = field('Id', { id: 'tenant-id', autocomplete: 'off', required: true });
  const name = field('Name', { id: 'tenant-name', autocomplete: 'off', required: true });
  const createForm = form(
    [el('div', { class: 'field-grid' }, id.element, name.element), submitButton('Create tenant')],
    async (f) => {
      const body = { id: id.input.value.trim(), name: name.input.value.trim() };
      await request('POST', '/admin/tenants', body);
      f.reset();
      announce(`Tenant ${body.name} created.`);
      await list.refresh();
    },
  );

  container.append(screenHeading('Tenants'), list.element, membersSlot, card('Create tenant', createForm));
  return list.reload();
}

/** The system administrator's members panel of one tenant: list, change role, remove, add. */
function membersPanel(tenant, close) {
  const tenantName = tenant.name ?? tenant.id;
  const base = `/admin/tenants/${seg(tenant.id)}/members`;
  const headingId = `members-title-${tenant.id}`.replace(/[^A-Za-z0-9_-]/g, '_');

  const list = pagedList({
    labelledBy: headingId,
    columns: ['Username', 'Name', 'Role', 'Added', 'Actions'],
    path: base,
    empty: 'This tenant has no members.',
    row: (member) => {
      const who = member.username || member.userId;
      const role = selectField(`Role of ${who}`, ['operator', 'admin'], {}, { hiddenLabel: true });
      role.input.value = member.role;
      return [
        who,
        member.name || '—',
        el('span', { class: 'word', text: member.role }),
        formatDate(member.addedAt),
        [
          role.element,
          button('Change role', async () => {
            await request('PUT', `${base}/${seg(member.userId)}`, { role: role.input.value });
            announce(`${who} is now ${role.input.value} of ${tenantName}.`);
            await list.refresh();
          }, { ariaLabel: `Change role of ${who}` }),
          button('Remove', async () => {
            if (!confirmAction(`Remove ${who} from ${tenantName}?`)) return;
            await request('DELETE', `${base}/${seg(member.userId)}`);
            announce(`${who} removed from ${tenantName}.`);
            await list.refresh();
          }, { ariaLabel: `Remove member ${who}`, kind: 'danger' }),
        ],
      ];
    },
  });

  const username = field('Member username', { id: 'member-username', autocomplete: 'off', required: true });
  const role = selectField('Role', ['operator', 'admin'], { id: 'member-role' });
  const addForm = form(
    [el('div', { class: 'field-grid' }, username.element, role.element), submitButton('Add member')],
    async (f) => {
      const user = await findUserByName(username.input.value);
      const chosenRole = role.input.value;
      await request('PUT', `${base}/${seg(user.id)}`, { role: chosenRole });
      f.reset();
      announce(`${user.username} added to ${tenantName} as ${chosenRole}.`);
      await list.refresh();
    },
  );

  const element = el(
    'section',
    { class: 'card members', 'aria-labelledby': headingId },
    el('div', { class: 'card-head' },
      el('h3', { id: headingId, tabindex: '-1', text: `Members of ${tenantName}` }),
      button('Close members', close)),
    list.element,
    el('h4', { text: 'Add member' }),
    addForm,
  );
  return { element, load: () => list.reload() };
}

// ---------------------------------------------------------------------------------------------
// Plugins (system administrator)

export function adminPluginsScreen(container) {
  const installationsSlot = el('div');
  const secretSlot = el('div', { class: 'secret-slot' });

  const list = pagedList({
    labelledBy: SCREEN_TITLE_ID,
    columns: ['Id', 'Name', 'Created', 'Status', 'Actions'],
    path: '/admin/plugins',
    empty: 'No plugins yet.',
    row: (plugin) => {
      const pluginName = plugin.name ?? plugin.pluginId;
      const path = `/admin/plugins/${seg(plugin.pluginId)}`;
      return [
        plugin.pluginId,
        plugin.name ?? '',
        formatDate(plugin.createdAt),
        el('span', { class: plugin.enabled ? 'state state-on' : 'state state-off', text: enabledText(plugin.enabled) }),
        [
          button('Installations', () => showInstallations(plugin), { ariaLabel: `Installations of plugin ${pluginName}` }),
          button(plugin.enabled ? 'Disable' : 'Enable', async () => {
            await request('PATCH', path, { enabled: !plugin.enabled });
            announce(`Plugin ${pluginName} ${plugin.enabled ? 'disabled' : 'enabled'}.`);
            await list.refresh();
          }, { ariaLabel: `${plugin.enabled ? 'Disable' : 'Enable'} plugin ${pluginName}` }),
          button('Rotate token', async () => {
            if (!confirmAction(`Give plugin ${pluginName} a new token? The old one stops working at once; its connections keep theirs.`)) return;
            const { body } = await request('POST', `${path}/token`);
            showSecret(secretSlot, secretPanel({
              owner: `New token of plugin '${pluginName}'`,
              label: 'New plugin token',
              secret: body.pluginToken,
              extras: [detailLine('Plugin id', body.pluginId)],
            }));
            announce(`Plugin ${pluginName} has a new token.`);
          }, { ariaLabel: `Rotate token of plugin ${pluginName}` }),
          button('Delete', async () => {
            if (!confirmAction(`Delete plugin ${pluginName}? It is uninstalled from every tenant and its token and connections stop working.`)) return;
            await request('DELETE', path);
            installationsSlot.replaceChildren();
            announce(`Plugin ${pluginName} deleted.`);
            await list.refresh();
          }, { ariaLabel: `Delete plugin ${pluginName}`, kind: 'danger' }),
        ],
      ];
    },
  });

  async function showInstallations(plugin) {
    const pluginName = plugin.name ?? plugin.pluginId;
    const headingId = 'installations-title';
    const installations = pagedList({
      labelledBy: headingId,
      columns: ['Connection id', 'Tenant', 'Installed'],
      path: `/admin/plugins/${seg(plugin.pluginId)}/installations`,
      empty: 'No tenant has installed this plugin.',
      row: (i) => [i.connectionId, i.tenantId, formatDate(i.installedAt)],
    });
    const section = el(
      'section',
      { class: 'card', 'aria-labelledby': headingId },
      el('div', { class: 'card-head' },
        el('h3', { id: headingId, tabindex: '-1', text: `Installations of ${pluginName}` }),
        button('Close installations', () => installationsSlot.replaceChildren())),
      installations.element,
    );
    openPanel(installationsSlot, section);
    await installations.reload();
    section.querySelector('h3').focus();
  }

  const name = field('Name', { id: 'plugin-name', autocomplete: 'off', required: true });
  const createForm = form(
    [name.element, submitButton('Create plugin')],
    async (f) => {
      const pluginName = name.input.value.trim();
      const { body } = await request('POST', '/admin/plugins', { name: pluginName });
      f.reset();
      showSecret(secretSlot, secretPanel({
        owner: `Token of plugin '${pluginName}'`,
        label: 'New plugin token',
        secret: body.pluginToken,
        extras: [detailLine('Plugin id', body.pluginId)],
      }));
      announce(`Plugin ${pluginName} created.`);
      await list.refresh();
    },
  );

  container.append(screenHeading('Plugins'), list.element, installationsSlot, secretSlot, card('Create plugin', createForm));
  return list.reload();
}

// ---------------------------------------------------------------------------------------------
// Signing keys

export function signingKeysScreen(container) {
  const list = pagedList({
    labelledBy: SCREEN_TITLE_ID,
    columns: ['Key id', 'Algorithm', 'State', 'Created', 'Signs from', 'Signs until', 'Retires'],
    path: '/admin/signing-keys',
    empty: 'No signing keys.',
    row: (key) => [
      el('code', { text: key.kid }),
      key.algorithm ?? '',
      key.state ?? '',
      formatDate(key.createdAt),
      formatDate(key.signsFrom),
      formatDate(key.signsUntil),
      formatDate(key.retiresAt),
    ],
  });

  const rotate = button('Rotate now', async () => {
    if (!confirmAction('Create a new signing key now? It takes over signing when its time comes.')) return;
    const { body } = await request('POST', '/admin/signing-keys/rotate');
    await list.reload();
    announce(body?.signsFrom
      ? `A new signing key was created; it signs from ${formatDate(body.signsFrom)}.`
      : 'A new signing key was created.');
  }, { kind: 'primary' });

  container.append(
    screenHeading('Signing keys'),
    el('p', { class: 'lead', text: 'Tokens are signed with the active key; newer keys are published before they sign.' }),
    el('div', { class: 'toolbar' }, rotate),
    list.element,
  );
  return list.reload();
}
