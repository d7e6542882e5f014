#!/usr/bin/env node
// Baseline (c) of scripts/bench: ruff's WebAssembly build linting the code
// cells of every notebook with the F (Pyflakes) rules, in one node process.
//
// Usage: node scripts/ruff/lint.js [--modules DIR] [--per-cell] LISTFILE
//
// LISTFILE holds one notebook path a line. Each notebook is read and
// JSON.parse'd here; its code cells (nbformat 4 `cells`, nbformat 3
// `worksheets[].cells[].input`) have their IPython lines blanked the way
// scripts/floor does (lines starting with %, ! or ?, lines ending with ?,
// `x = !cmd` / `x = %magic`, replaced by `pass` at the same indentation to
// keep line numbers; cells starting with a cell magic other than
// %%time/%%timeit/%%capture/%%prun are skipped). By default the cells of a
// notebook are joined and checked in one call, as ruff lints an .ipynb
// (undefined names are resolved across cells); --per-cell checks each cell
// separately. --modules is the node_modules directory holding
// @astral-sh/ruff-wasm-nodejs (default: next to this script).
'use strict';

const fs = require('fs');
const path = require('path');

function usage() {
  process.stderr.write('usage: node lint.js [--modules DIR] [--per-cell] LISTFILE\n');
  process.exit(2);
}

let modules = path.join(__dirname, 'node_modules');
let perCell = false;
let list = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--modules') {
    if (++i >= argv.length) usage();
    modules = argv[i];
  } else if (a === '--per-cell') {
    perCell = true;
  } else if (a.startsWith('-')) {
    usage();
  } else if (list === null) {
    list = a;
  } else {
    usage();
  }
}
if (list === null) usage();

const t0 = process.hrtime.bigint();
const ruff = require(path.join(path.resolve(modules), '@astral-sh', 'ruff-wasm-nodejs'));
const workspace = new ruff.Workspace({ lint: { select: ['F'] } }, ruff.PositionEncoding.Utf16);

const pythonBodyMagics = new Set(['time', 'prun', 'capture', 'timeit']);
const targetList = /^[\s\w.,\u0080-\uffff]+$/;

function isMagicLine(t) {
  if (t === '') return false;
  const c = t[0];
  if (c === '%' || c === '!' || c === '?') return true;
  if (c === '#') return false;
  if (/\?[ \t]*$/.test(t)) return true;
  const eq = t.indexOf('=');
  if (eq > 0) {
    const rhs = t.slice(eq + 1).replace(/^[ \t]+/, '');
    if (rhs !== '' && (rhs[0] === '!' || rhs[0] === '%') && targetList.test(t.slice(0, eq)) &&
        t.slice(0, eq).trim() !== '') {
      return true;
    }
  }
  return false;
}

// blank returns the cell source with IPython lines replaced, or null for a
// cell that is not Python (a cell magic).
function blank(src) {
  let prefix = '';
  if (src.startsWith('%%')) {
    const m = /^%%([^\s]*)/.exec(src);
    if (!pythonBodyMagics.has(m[1])) return null;
    const nl = src.indexOf('\n');
    if (nl < 0) return '';
    prefix = '\n';
    src = src.slice(nl + 1);
  }
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let body = lines[i];
    let cr = '';
    if (body.endsWith('\r')) {
      body = body.slice(0, -1);
      cr = '\r';
    }
    const trimmed = body.replace(/^[ \t]+/, '');
    if (isMagicLine(trimmed)) {
      lines[i] = body.slice(0, body.length - trimmed.length) + 'pass' + cr;
    }
  }
  return prefix + lines.join('\n');
}

function sourceOf(v) {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join('');
  return '';
}

function codeCells(nb) {
  let cells = [];
  if (Array.isArray(nb.cells)) {
    cells = nb.cells;
  } else if (Array.isArray(nb.worksheets)) {
    for (const ws of nb.worksheets) {
      if (ws && Array.isArray(ws.cells)) cells = cells.concat(ws.cells);
    }
  }
  const out = [];
  for (const c of cells) {
    if (!c || c.cell_type !== 'code') continue;
    out.push(sourceOf(c.source !== undefined ? c.source : c.input));
  }
  return out;
}

const files = fs.readFileSync(list, 'utf8').split('\n').filter((l) => l !== '');
let notebooks = 0;
let unreadable = 0;
let cells = 0;
let skipped = 0;
let checks = 0;
let diagnostics = 0;
let failures = 0;
let firstDone = null; // time when the first check returned (ruff's start-up cost is paid there)
const seconds = (a, b) => (Number(b - a) / 1e9).toFixed(2);

function check(src) {
  checks++;
  try {
    diagnostics += workspace.check(src).length;
  } catch (e) {
    failures++;
  }
  if (firstDone === null) firstDone = process.hrtime.bigint();
}

for (const file of files) {
  notebooks++;
  let nb;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    unreadable++;
    continue;
  }
  const parts = [];
  for (const src of codeCells(nb)) {
    const b = blank(src);
    if (b === null) {
      skipped++;
      continue;
    }
    cells++;
    if (perCell) {
      check(b);
    } else {
      parts.push(b.endsWith('\n') ? b : b + '\n');
    }
  }
  if (!perCell && parts.length > 0) check(parts.join(''));
}

process.stdout.write(`ruff ${ruff.Workspace.version()} (wasm, F rules, ${perCell ? 'per cell' : 'per notebook'}): ` +
  `${notebooks} notebooks (${unreadable} unreadable), ${cells} code cells (${skipped} skipped: cell magic), ` +
  `${checks} checks, ${diagnostics} diagnostics, ${failures} failed checks; ` +
  (firstDone === null ? 'no check made\n' :
    `${seconds(t0, firstDone)} s to load and make the first check, ${seconds(firstDone, process.hrtime.bigint())} s for the other ${checks - 1}\n`));
