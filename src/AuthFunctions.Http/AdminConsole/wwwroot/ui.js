// Shared DOM helpers. Everything is built with createElement/textContent: no markup strings, no
// inline styles (the CSP forbids them), so visibility is always the `hidden` attribute or a class.

import { requestPage } from './api.js';

export const ALL_RIGHTS = ['data', 'index', 'modify', 'statistics', 'management', 'administration', 'authenticate', 'introspect'];

// ---------------------------------------------------------------------------------------------
// Elements

let idCounter = 0;

/** A document-unique id with a readable prefix. */
export function uid(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

const PROPERTY_KEYS = new Set(['value', 'checked', 'disabled', 'readOnly', 'required', 'selected']);

/**
 * Creates an element. `props`: `class`, `text`, `hidden`, `on` ({event: handler}), properties in
 * PROPERTY_KEYS, and any other key as an attribute (null/undefined/false skip it).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style') throw new Error('Inline styles are blocked by the CSP; use a class.');
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'hidden') node.hidden = Boolean(value);
    else if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (PROPERTY_KEYS.has(key)) node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Removes every child of `node`. */
export function clear(node) {
  node.replaceChildren();
}

/** A labelled input (or textarea/select given `tag`) in a `.field` wrapper. */
export function field(labelText, props = {}, { tag = 'input', hint } = {}) {
  const id = props.id || uid('field');
  const inputProps = { ...props, id };
  if (tag === 'input' && !inputProps.type) inputProps.type = 'text';
  const input = el(tag, inputProps);
  const hintNode = hint ? el('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintNode) input.setAttribute('aria-describedby', hintNode.id);
  const element = el('div', { class: 'field' }, el('label', { for: id, text: labelText }), input, hintNode);
  return { element, input };
}

/** A labelled <select> with string options (or {value, text} objects). */
export function selectField(labelText, options, props = {}, { hiddenLabel = false } = {}) {
  const id = props.id || uid('select');
  const select = el('select', { ...props, id }, options.map(option));
  const label = el('label', { for: id, text: labelText, class: hiddenLabel ? 'visually-hidden' : null });
  const element = el('div', { class: hiddenLabel ? 'field field-inline' : 'field' }, label, select);
  return { element, input: select };
}

function option(o) {
  const value = typeof o === 'string' ? o : o.value;
  const text = typeof o === 'string' ? o : o.text;
  return el('option', { value, text });
}

/** A checkbox with its label after it. */
export function checkboxField(labelText, props = {}) {
  const id = props.id || uid('check');
  const input = el('input', { ...props, id, type: 'checkbox' });
  const element = el('div', { class: 'check' }, input, el('label', { for: id, text: labelText }));
  return { element, input };
}

/** The "Rights" checkbox group: one checkbox per right, labelled with the right's name. */
export function rightsGroup({ rights = ALL_RIGHTS, checked = [], legend = 'Rights' } = {}) {
  const boxes = rights.map((right) => checkboxField(right, { value: right, checked: checked.includes(right) }));
  const element = el(
    'fieldset',
    { class: 'rights' },
    el('legend', { text: legend }),
    el('div', { class: 'check-grid' }, boxes.map((b) => b.element)),
  );
  return { element, values: () => boxes.filter((b) => b.input.checked).map((b) => b.input.value) };
}

/** A card (section) with an <h3> title. */
export function card(title, ...children) {
  const headingId = uid('card');
  return el('section', { class: 'card', 'aria-labelledby': headingId }, el('h3', { id: headingId, text: title }), children);
}

/** The id of every screen's <h2>: a table that the heading already names points at it instead of a caption. */
export const SCREEN_TITLE_ID = 'screen-title';

/** The screen's <h2>, focusable so navigation can move focus to it. */
export function screenHeading(text) {
  return el('h2', { text, tabindex: '-1', class: 'screen-title', id: SCREEN_TITLE_ID });
}

/** A button that is not a submit button. */
export function button(text, onClick, { ariaLabel, kind = 'secondary' } = {}) {
  const b = el('button', { type: 'button', class: `btn btn-${kind}`, text, 'aria-label': ariaLabel });
  b.addEventListener('click', () => run(() => onClick(b), b));
  return b;
}

/** A submit button. */
export function submitButton(text, kind = 'primary') {
  return el('button', { type: 'submit', class: `btn btn-${kind}`, text });
}

/**
 * A form handled by script: the native submission is always prevented (the CSP also forbids it),
 * the submit button is disabled while `onSubmit` runs, and failures go to the error region.
 */
export function form(children, onSubmit, props = {}) {
  const f = el('form', props, children);
  f.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = event.submitter || f.querySelector('button[type="submit"]');
    run(() => onSubmit(f), submitter);
  });
  return f;
}

// ---------------------------------------------------------------------------------------------
// Messages

let statusRegion = null;
let errorRegion = null;

/** Points `announce`/`showError` at the regions of the view now on screen. */
export function useMessageRegions(status, error) {
  statusRegion = status;
  errorRegion = error;
}

// The regions stay in the accessibility tree (never `hidden`) so screen readers announce changes;
// CSS collapses them while empty.

/** A polite status message (replaces the previous one). */
export function announce(text) {
  if (statusRegion) statusRegion.textContent = text || '';
}

/** Shows an error (ApiError, Error or string) in the role="alert" region. */
export function showError(error) {
  if (error && error.sessionEnded) return; // the sign-in screen already says the session ended
  const text = typeof error === 'string' ? error : error?.detail || error?.message || 'Something went wrong.';
  if (errorRegion) errorRegion.textContent = text;
}

export function clearMessages() {
  if (statusRegion) statusRegion.textContent = '';
  clearError();
}

export function clearError() {
  if (errorRegion) errorRegion.textContent = '';
}

/**
 * Runs a user action: clears the previous messages, disables `busyButton` meanwhile, and shows any
 * failure in the error region. Resolves true when the action succeeded.
 */
export async function run(action, busyButton) {
  clearMessages();
  if (busyButton) busyButton.disabled = true;
  try {
    await action();
    return true;
  } catch (error) {
    showError(error);
    return false;
  } finally {
    if (busyButton) busyButton.disabled = false;
  }
}

/** Asks before a destructive action. */
export function confirmAction(message) {
  return window.confirm(message);
}

// ---------------------------------------------------------------------------------------------
// Formatting

function pad(n) {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD HH:MM UTC`, or an em dash for no value. */
export function formatDate(value) {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** The UTC date `days` from today as YYYY-MM-DD (the value format of <input type="date">). */
export function dateInDays(days) {
  const date = new Date(Date.now() + days * 86400000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** A date input's value as the end of that day in UTC, or undefined when empty. */
export function endOfDayIso(dateValue) {
  if (!dateValue) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateValue)) throw new Error('Enter the date as YYYY-MM-DD.');
  return `${dateValue}T23:59:59Z`;
}

export function formatRights(rights) {
  return Array.isArray(rights) && rights.length > 0 ? rights.join(', ') : '—';
}

export function enabledText(enabled) {
  return enabled ? 'Enabled' : 'Disabled';
}

// ---------------------------------------------------------------------------------------------
// Tables

/**
 * A table: `columns` are the header texts; `row(item, tr)` returns the cells (text, nodes or
 * arrays of nodes). The last column named "Actions" gets the `actions` class. It is named by its
 * `caption`, or, when a heading right above it says the same, by that heading (`labelledBy`, its id):
 * a caption repeating the heading would be read twice.
 */
export function dataTable({ caption, labelledBy, columns, items, row, empty = 'Nothing here yet.' }) {
  const thead = el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', text: c }))));
  const tbody = el('tbody');
  if (items.length === 0) {
    tbody.append(el('tr', { class: 'empty' }, el('td', { colspan: String(columns.length), text: empty })));
  }
  for (const item of items) {
    const tr = el('tr');
    const cells = row(item, tr);
    cells.forEach((cell, i) => {
      const isActions = columns[i] === 'Actions';
      tr.append(el('td', { class: isActions ? 'actions' : null }, isActions ? el('div', { class: 'action-row' }, cell) : cell));
    });
    tbody.append(tr);
  }
  return el(
    'table',
    { class: 'data', tabindex: '-1', 'aria-labelledby': caption ? null : labelledBy },
    caption ? el('caption', { text: caption }) : null,
    thead,
    tbody,
  );
}

/**
 * Opens (or, when the same one is open, closes) a detail row under `tr` holding `build()`'s node.
 * Used for per-row inline forms. Returns the detail row or null when it was closed.
 */
export function toggleDetailRow(tr, key, build) {
  closeSecretPanel();
  const existing = tr.nextElementSibling?.classList.contains('detail') ? tr.nextElementSibling : null;
  if (existing) {
    existing.remove();
    if (existing.dataset.key === key) return null;
  }
  const colspan = String(tr.children.length);
  const detail = el('tr', { class: 'detail', 'data-key': key }, el('td', { colspan }, build(() => detail.remove())));
  tr.after(detail);
  detail.querySelector('input, select, textarea, button')?.focus();
  return detail;
}

/**
 * A paged table over a listing endpoint (`path` or a function returning it). "First page" and
 * "Next page" buttons show only when they lead somewhere. Returns `{element, reload, refresh}`:
 * reload shows the first page, refresh re-reads the current page (after a change).
 */
export function pagedList({ caption, labelledBy, columns, path, row, empty, load }) {
  const holder = el('div', { class: 'table-wrap' });
  const firstButton = el('button', { type: 'button', class: 'btn btn-secondary', text: 'First page', hidden: true });
  const nextButton = el('button', { type: 'button', class: 'btn btn-secondary', text: 'Next page', hidden: true });
  const pager = el('div', { class: 'pager' }, firstButton, nextButton);
  const element = el('div', { class: 'paged' }, holder, pager);

  let pageToken = null; // continuation token of the page on screen; null for the first page
  let nextToken = null;
  let generation = 0; // ignores answers that arrive after a newer load started

  const loadPage = load || ((token) => requestPage(typeof path === 'function' ? path() : path, token));

  async function show(token, focusTable = false) {
    const mine = ++generation;
    holder.setAttribute('aria-busy', 'true');
    try {
      const page = await loadPage(token);
      if (mine !== generation) return;
      pageToken = token;
      nextToken = page.next;
      const table = dataTable({ caption, labelledBy, columns, items: page.items, row, empty });
      holder.replaceChildren(table);
      firstButton.hidden = pageToken === null;
      nextButton.hidden = !nextToken;
      // The pressed button may just have been hidden; keep keyboard users in the table.
      if (focusTable) table.focus();
    } finally {
      if (mine === generation) holder.removeAttribute('aria-busy');
    }
  }

  nextButton.addEventListener('click', () => run(() => show(nextToken, true), nextButton));
  firstButton.addEventListener('click', () => run(() => show(null, true), firstButton));

  return {
    element,
    reload: () => show(null),
    refresh: () => show(pageToken),
  };
}

// ---------------------------------------------------------------------------------------------
// Secrets

/**
 * The "secret shown once" panel: a heading naming what the secret belongs to (`owner`, e.g.
 * "Secret of magma key 'billing'"), the secret in a readonly input labelled `label`, a Copy button,
 * the warning, and a Done button that removes the panel (and so the secret) from the DOM.
 * `extras` are nodes shown above the secret (e.g. the new plugin's id).
 */
export function secretPanel({ owner, label, secret, extras = [], noun = 'token' }) {
  const inputId = uid('secret');
  const headingId = uid('secret-title');
  const input = el('input', {
    id: inputId,
    type: 'text',
    class: 'secret-value',
    readOnly: true,
    value: secret,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  input.addEventListener('focus', () => input.select());

  const copyButton = el('button', { type: 'button', class: 'btn btn-primary', text: 'Copy' });
  const doneButton = el('button', { type: 'button', class: 'btn btn-secondary', text: 'Done' });
  const panel = el(
    'section',
    { class: 'card secret-panel', 'aria-labelledby': headingId },
    el('h3', { id: headingId, text: `${owner} — shown once` }),
    extras,
    el('div', { class: 'field' }, el('label', { for: inputId, text: label }), el('div', { class: 'secret-row' }, input, copyButton)),
    el('p', { class: 'warning', text: 'Copy it now: it will not be shown again.' }),
    doneButton,
  );

  copyButton.addEventListener('click', async () => {
    clearError();
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(input.value);
      announce('Copied.');
    } catch {
      input.focus();
      input.select();
      announce(`Select and copy the ${noun}.`);
    }
  });
  doneButton.addEventListener('click', () => {
    const heading = panel.closest('.screen')?.querySelector('h2');
    closeSecretPanel();
    heading?.focus();
  });
  return panel;
}

// The one secret panel on screen, if any: it closes (its secret wiped) when another panel opens.
let openSecretPanel = null;

/** Closes the secret panel on screen, if any, wiping its secret from the page. */
export function closeSecretPanel() {
  const panel = openSecretPanel;
  openSecretPanel = null;
  if (!panel) return;
  const input = panel.querySelector('.secret-value');
  if (input) input.value = '';
  panel.remove();
}

/** Shows `panel` in `slot` (closing any earlier secret panel) and moves focus to its secret. */
export function showSecret(slot, panel) {
  closeSecretPanel();
  slot.replaceChildren(panel);
  openSecretPanel = panel;
  panel.querySelector('.secret-value')?.focus();
}

/**
 * Opens a panel (members, installations, assertion keys…) in `slot`, replacing what was there: any
 * secret panel closes first, so a secret never stays on screen under another task.
 */
export function openPanel(slot, panel) {
  closeSecretPanel();
  slot.replaceChildren(panel);
}

/** A "label: value" line for the secret panel's extras. */
export function detailLine(labelText, value) {
  return el('p', { class: 'detail-line' }, el('span', { class: 'detail-label', text: `${labelText}: ` }), el('code', { text: value }));
}
