/**
 * The console's own stylesheet and script, kept as modules so the compiled server (dist/, without
 * src/) serves them too. No framework: a small stylesheet that works from 360 px up, and a script
 * for what HTML cannot do alone (copy buttons, select-all). Served from this origin: the CSP allows
 * no inline script or style.
 */
export const consoleCss = String.raw`/* Rollcall console: one small stylesheet, no framework. Works from 360 px up. */
:root { --fg: #1b1f24; --muted: #555e68; --line: #d0d7de; --bg: #fff; --soft: #f5f7f9; --accent: #0b5cad; --bad: #a4161a; --good: #146c2e; --warn: #7a4b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; padding: 8px 16px; border-bottom: 1px solid var(--line); background: var(--soft); }
header.top .who { color: var(--muted); font-size: 14px; }
header.top form { display: inline; }
nav.main ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 0; padding: 8px 16px; border-bottom: 1px solid var(--line); }
nav.main a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--fg); }
main { padding: 16px; max-width: 1100px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 12px; }
h2 { font-size: 1.2rem; margin: 24px 0 8px; }
h3 { font-size: 1rem; margin: 16px 0 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px; background: #fff; }
.card h2, .card h3 { margin-top: 0; }
.muted { color: var(--muted); }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 14px; border: 1px solid currentColor; }
.status.ok { color: var(--good); } .status.bad { color: var(--bad); } .status.warn { color: var(--warn); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); }
form.stack { display: grid; gap: 10px; max-width: 560px; }
form.stack.wide { max-width: none; }
form.stack.wide td input[type=text] { min-width: 14em; }
form.inline { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; }
label { font-weight: 600; display: block; }
.field { display: grid; gap: 2px; }
input[type=text], input[type=password], input[type=url], input[type=number], input[type=search], select, textarea { font: inherit; padding: 6px 8px; border: 1px solid #8c959f; border-radius: 4px; width: 100%; max-width: 100%; background: #fff; color: var(--fg); }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
legend { font-weight: 600; }
label.inline-label { display: inline; font-weight: 400; }
button, .button { font: inherit; padding: 6px 14px; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.error { border: 1px solid var(--bad); color: var(--bad); background: #fff5f5; padding: 8px 12px; border-radius: 6px; }
.notice { border: 1px solid var(--good); background: #f3fbf5; padding: 8px 12px; border-radius: 6px; }
.secret { font-family: ui-monospace, monospace; word-break: break-all; background: var(--soft); padding: 6px 8px; border-radius: 4px; display: block; }
code { font-family: ui-monospace, monospace; word-break: break-all; }
ol.steps li { margin-bottom: 8px; }
.org ul { list-style: none; padding-left: 20px; border-left: 2px solid var(--line); }
.org > ul { padding-left: 0; border-left: 0; }
.org li { margin: 6px 0; }
.pager { display: flex; gap: 12px; align-items: center; margin-top: 8px; flex-wrap: wrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
@media (max-width: 600px) { main { padding: 10px; } th, td { padding: 4px; font-size: 14px; } }
`;

export const consoleJs = String.raw`// Rollcall console enhancements (served from this origin; the CSP allows no inline script).
// Copy buttons: <button data-copy="#id">Copy</button> copies the text of the element it names.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (!button) return;
  const source = document.querySelector(button.getAttribute('data-copy'));
  if (!source) return;
  const text = source.textContent.trim();
  const done = () => {
    button.textContent = 'Copied';
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => select(source));
  else select(source);
  function select(node) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = 'Selected: press Ctrl+C';
  }
});
// "Select all" checkboxes: <input type=checkbox data-select-all="name"> toggles every box of that name;
// unticking one of those boxes unticks "Select all" (which may mean more than the boxes shown).
document.addEventListener('change', (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox') return;
  if (box.dataset.selectAll) {
    for (const other of document.querySelectorAll('input[type=checkbox][name="' + box.dataset.selectAll + '"]')) other.checked = box.checked;
  } else if (!box.checked && box.name) {
    for (const all of document.querySelectorAll('input[type=checkbox][data-select-all="' + box.name + '"]')) all.checked = false;
  }
});
`;
