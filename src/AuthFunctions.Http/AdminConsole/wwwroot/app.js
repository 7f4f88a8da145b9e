// Entry module: sign-in, the console shell (header, navigation) and hash routing (#users, ...).
//
// Only one of the two views is in the document at a time: the other is detached, so labels such
// as "Username" and "Password" are never found twice, and leaving the console drops every node it
// built (including any secret still on screen).

import * as api from './api.js';
import { el, selectField, useMessageRegions, announce, showError, clearMessages, closeSecretPanel } from './ui.js';
import { usersScreen, apiTokensScreen, adminTenantsScreen, adminPluginsScreen, signingKeysScreen } from './screens.js';
import { adminMagmaKeysScreen, tenantMagmaKeysScreen } from './magma-screens.js';
import { tenantTenantsScreen, tenantPluginsScreen } from './tenant-screens.js';

const PRODUCT = 'AuthFunctions console';

/** The screens in navigation order; `superUser`/`tenantAdmin` render them for that kind of caller. */
const SCREENS = [
  { key: 'users', title: 'Users', superUser: usersScreen },
  { key: 'api-tokens', title: 'API tokens', superUser: apiTokensScreen },
  { key: 'magma-keys', title: 'Magma keys', superUser: adminMagmaKeysScreen, tenantAdmin: tenantMagmaKeysScreen },
  { key: 'tenants', title: 'Tenants', superUser: adminTenantsScreen, tenantAdmin: tenantTenantsScreen },
  { key: 'plugins', title: 'Plugins', superUser: adminPluginsScreen, tenantAdmin: tenantPluginsScreen },
  { key: 'signing-keys', title: 'Signing keys', superUser: signingKeysScreen },
];

const byId = (id) => document.getElementById(id);

const signinView = byId('signin-view');
const signinForm = byId('signin-form');
const usernameInput = byId('username');
const passwordInput = byId('password');
const signinButton = byId('signin-button');
const signinStatus = byId('signin-status');
const signinError = byId('signin-error');

const consoleView = byId('console-view');
const whoName = byId('who-name');
const signOutButton = byId('sign-out');
const nav = byId('screens-nav');
const navList = byId('nav-list');
const consoleStatus = byId('console-status');
const consoleError = byId('console-error');
const screenHost = byId('screen-host');

let signingIn = false;
let currentKey = null;
let pendingParams = null; // handed to the next screen rendered (e.g. the user for API tokens)
let selectedTenantId = null;
let renderGeneration = 0;

// ---------------------------------------------------------------------------------------------
// Views

function showSigninView(message) {
  closeSecretPanel();
  screenHost.replaceChildren();
  navList.replaceChildren();
  whoName.textContent = '';
  consoleView.remove();
  if (!signinView.isConnected) document.body.prepend(signinView);
  signinView.hidden = false;
  useMessageRegions(signinStatus, signinError);
  clearMessages();
  if (message) announce(message);
  passwordInput.value = '';
  document.title = PRODUCT;
  usernameInput.focus();
}

function showConsoleView(session) {
  signinView.remove();
  if (!consoleView.isConnected) document.body.prepend(consoleView);
  consoleView.hidden = false;
  useMessageRegions(consoleStatus, consoleError);
  clearMessages();
  whoName.textContent = session.name || session.sub;
  selectedTenantId = session.adminTenants[0]?.id ?? null;
  buildNav(session);

  const screens = allowedScreens(session);
  if (screens.length === 0) {
    nav.hidden = true;
    currentKey = null;
    screenHost.replaceChildren(
      el('div', { class: 'screen' },
        el('h2', { text: 'Nothing to administer', tabindex: '-1' }),
        el('p', { class: 'lead', text: 'This account administers nothing here.' })),
    );
    screenHost.querySelector('h2').focus();
    return;
  }
  nav.hidden = false;
  showScreen(keyFromHash());
}

// ---------------------------------------------------------------------------------------------
// Navigation

function allowedScreens(session) {
  if (session.superUser) return SCREENS;
  if (session.adminTenants.length === 0) return [];
  return SCREENS.filter((s) => s.tenantAdmin);
}

function buildNav(session) {
  navList.replaceChildren(
    ...allowedScreens(session).map((s) =>
      el('li', {}, el('a', { href: `#${s.key}`, 'data-key': s.key, text: s.title }))),
  );
}

function keyFromHash() {
  // A malformed fragment (say "#%E0") is no screen: the first one is shown instead.
  try {
    return decodeURIComponent(location.hash.replace(/^#/, ''));
  } catch {
    return '';
  }
}

/** Shows a screen from code (e.g. Users → API tokens), passing `params` to it. */
function navigate(key, params) {
  pendingParams = params ?? null;
  if (keyFromHash() === key) showScreen(key);
  else location.hash = key; // the hashchange listener renders it
}

function showScreen(requestedKey, { focusTenantPicker = false } = {}) {
  const session = api.session();
  if (!session) return;
  const screens = allowedScreens(session);
  if (screens.length === 0) return;
  const screen = screens.find((s) => s.key === requestedKey) ?? screens[0];
  if (screen.key !== requestedKey) {
    // Unknown or not allowed: show the first allowed screen without adding a history entry.
    history.replaceState(null, '', `#${screen.key}`);
  }
  currentKey = screen.key;
  const params = pendingParams;
  pendingParams = null;

  for (const link of navList.querySelectorAll('a')) {
    if (link.dataset.key === screen.key) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${screen.title} – ${PRODUCT}`;
  clearMessages();

  const container = el('div', { class: 'screen', 'data-screen': screen.key });
  closeSecretPanel(); // a secret never outlives its screen, even detached
  screenHost.replaceChildren(container);
  const render = session.superUser ? screen.superUser : screen.tenantAdmin;
  const ctx = {
    session,
    params,
    navigate,
    tenant: session.adminTenants.find((t) => t.id === selectedTenantId) ?? session.adminTenants[0] ?? null,
    tenantPicker: () => tenantPicker(session),
  };

  // Screens build their DOM synchronously and return the promise of their first data load.
  const generation = ++renderGeneration;
  let loading;
  try {
    loading = render(container, ctx);
  } catch (error) {
    loading = Promise.reject(error);
  }
  Promise.resolve(loading).catch((error) => {
    // A screen left before its data arrived has nothing to report.
    if (generation === renderGeneration) showError(error);
  });

  if (focusTenantPicker) byId('tenant-select')?.focus();
  else container.querySelector('h2')?.focus();
}

/** The "Tenant" select for a tenant administrator of several tenants (plain text for one). */
function tenantPicker(session) {
  const tenants = session.adminTenants;
  if (tenants.length <= 1) {
    return el('p', { class: 'tenant-line' }, 'Tenant: ', el('strong', { text: tenants[0]?.name ?? '' }));
  }
  const picker = selectField('Tenant', tenants.map((t) => ({ value: t.id, text: t.name })), { id: 'tenant-select' });
  picker.input.value = selectedTenantId;
  picker.input.addEventListener('change', () => {
    selectedTenantId = picker.input.value;
    showScreen(currentKey, { focusTenantPicker: true });
  });
  picker.element.classList.add('tenant-picker');
  return picker.element;
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sign-out

signinForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (signingIn) return;
  clearMessages();
  const username = usernameInput.value;
  const password = passwordInput.value;
  passwordInput.value = ''; // cleared after every attempt, successful or not
  signingIn = true;
  signinButton.disabled = true;
  try {
    const session = await api.signIn(username, password);
    showConsoleView(session);
  } catch (error) {
    // Shown directly: a 401 here means wrong credentials, not an ended session.
    signinError.textContent = error?.detail || error?.message || 'Sign-in failed.';
    passwordInput.focus();
  } finally {
    signingIn = false;
    signinButton.disabled = false;
  }
});

signOutButton.addEventListener('click', () => {
  api.signOut();
  showSigninView('You have signed out.');
});

api.onSessionEnded(() => {
  if (signingIn) return; // signIn reports its own failure
  showSigninView('Your session has ended; sign in again.');
});

window.addEventListener('hashchange', () => {
  if (api.isSignedIn() && api.session()) showScreen(keyFromHash());
});

// Start signed out: the token is never persisted, so a reload always asks again.
consoleView.remove();
consoleView.hidden = false;
useMessageRegions(signinStatus, signinError);
usernameInput.focus();
