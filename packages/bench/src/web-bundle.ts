/**
 * The web app's bundle size: what a browser downloads for its first page (the scripts and styles
 * index.html names) and what it may load later (every other chunk `vite build` emits), raw and
 * gzipped at the level the production server compresses with (services/web/nginx.conf), against
 * the budget below, which services/web/README.md states. Builds the app first, as its image does
 * (`vite build`), into a directory of its own: services/web/dist may be what a browser suite serves.
 *
 * Prints sizes and whether they are within budget; asserts nothing: a budget is for the people
 * who add a dependency, and a test would fail on someone else's unrelated change.
 * `pnpm --filter @todo/bench bench:web-bundle`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '@todo/local-stack';
import { markdownTable, type Row } from './measure.js';

/** Gzipped kB (1,000 bytes, as Vite reports them) a first page load may download. */
export const WEB_BUNDLE_BUDGET_KB = { js: 150, css: 20 } as const;

const WEB_DIR = join(REPO_ROOT, 'services/web');

export interface WebBundleResult {
  rows: Row[];
  gzipLevel: number;
  withinBudget: boolean;
  summary: string;
}

/** The gzip level nginx serves with, so the numbers are what users download. */
function nginxGzipLevel(): number {
  const conf = readFileSync(join(WEB_DIR, 'nginx.conf'), 'utf8');
  const level = /^\s*gzip_comp_level (\d);/m.exec(conf)?.[1];
  if (!level) throw new Error('services/web/nginx.conf sets no gzip_comp_level');
  return Number(level);
}

/** What index.html makes the browser fetch before the app runs: entry script, preloads, styles. */
function initialFiles(indexHtml: string): Set<string> {
  const urls = [
    ...indexHtml.matchAll(/<script[^>]*\ssrc="\/([^"]+)"/g),
    ...indexHtml.matchAll(/<link[^>]*\srel="(?:modulepreload|stylesheet)"[^>]*\shref="\/([^"]+)"/g),
    ...indexHtml.matchAll(/<link[^>]*\shref="\/([^"]+)"[^>]*\srel="(?:modulepreload|stylesheet)"/g),
  ].map((m) => m[1]!);
  return new Set(urls);
}

const kB = (bytes: number) => Math.round(bytes / 100) / 10;

export function webBundleBench(): WebBundleResult {
  const dist = mkdtempSync(join(tmpdir(), 'web-bundle-'));
  try {
    execFileSync('pnpm', ['--filter', '@todo/web', 'exec', 'vite', 'build', '--outDir', dist], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return measure(dist);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}

function measure(dist: string): WebBundleResult {
  const gzipLevel = nginxGzipLevel();
  const initial = initialFiles(readFileSync(join(dist, 'index.html'), 'utf8'));
  const assets = readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  const missing = [...initial].filter((url) => !assets.includes(url.replace(/^assets\//, '')));
  if (missing.length > 0) throw new Error(`index.html names files not in dist/assets: ${missing}`);

  type Group = { files: number; raw: number; gzip: number };
  const groups = new Map<string, Group>();
  for (const file of assets) {
    const kind = file.endsWith('.js') ? 'js' : 'css';
    const key = `${initial.has(`assets/${file}`) ? 'initial' : 'lazy'} ${kind}`;
    const bytes = readFileSync(join(dist, 'assets', file));
    const group = groups.get(key) ?? { files: 0, raw: 0, gzip: 0 };
    group.files += 1;
    group.raw += bytes.length;
    group.gzip += gzipSync(bytes, { level: gzipLevel }).length;
    groups.set(key, group);
  }
  const empty: Group = { files: 0, raw: 0, gzip: 0 };
  const row = (key: string, budget?: number): Row => {
    const group = groups.get(key) ?? empty;
    return {
      files: key,
      count: group.files,
      'raw kB': kB(group.raw),
      [`gzip kB (level ${gzipLevel})`]: kB(group.gzip),
      'budget gzip kB': budget,
      'within budget': budget === undefined ? undefined : kB(group.gzip) <= budget ? 'yes' : 'NO',
    };
  };
  const rows = [
    row('initial js', WEB_BUNDLE_BUDGET_KB.js),
    row('initial css', WEB_BUNDLE_BUDGET_KB.css),
    row('lazy js'),
    row('lazy css'),
  ];
  const withinBudget = rows.every((r) => r['within budget'] !== 'NO');
  const first = (kind: 'js' | 'css') =>
    `${kB((groups.get(`initial ${kind}`) ?? empty).gzip)} of ${WEB_BUNDLE_BUDGET_KB[kind]} kB`;
  const summary =
    `${withinBudget ? 'Within budget' : 'OVER BUDGET (see services/web/README.md)'}: a first page ` +
    `load downloads ${first('js')} of gzipped JavaScript and ${first('css')} of CSS.`;
  process.stdout.write(`[web-bundle] ${summary}\n`);
  return { rows, gzipLevel, withinBudget, summary };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = webBundleBench();
  process.stdout.write(`${markdownTable(result.rows)}\n\n${result.summary}\n`);
}
