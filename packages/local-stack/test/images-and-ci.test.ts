import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { REPO_ROOT } from '../src/index.js';

/**
 * The Dockerfile, the workflows and `.ci/run` must agree with each other and with what the
 * services are (directory, port), so they cannot drift. Needs nothing but the files (and bash);
 * the rendered Kubernetes manifests are checked by `pnpm check:manifests` (test/manifests), which
 * installs kustomize first.
 */
/**
 * One Dockerfile per kind of service: the Node services share one, chosen by build argument; the
 * web app's static files are served by nginx from an image of their own.
 */
const NODE_DOCKERFILE = 'infra/docker/Dockerfile';
const WEB_DOCKERFILE = 'infra/docker/web.Dockerfile';
const SERVICES = [
  { dir: 'task-api', port: 8080, dockerfile: NODE_DOCKERFILE },
  { dir: 'recurrence-engine', port: 8081, dockerfile: NODE_DOCKERFILE },
  { dir: 'web', port: 8080, dockerfile: WEB_DOCKERFILE },
];
/**
 * Services whose image is not built yet, each with the work that adds it (none now: a new
 * service without an image fails the test until it is built or named here).
 */
const IMAGE_PENDING: string[] = [];

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

type Step = {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
};
type Job = {
  needs?: string | string[];
  outputs?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
};
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job> };

const WORKFLOWS_DIR = '.github/workflows';
const workflowFiles = () => readdirSync(join(REPO_ROOT, WORKFLOWS_DIR));
const workflow = (file: string) => parse(read(join(WORKFLOWS_DIR, file))) as Workflow;
const ci = () => workflow('ci.yml');

describe('the images', () => {
  const dockerfile = read(NODE_DOCKERFILE);
  const webDockerfile = read(WEB_DOCKERFILE);
  const at = (text: string, file = dockerfile) => {
    const index = file.indexOf(text);
    expect({ text, found: index >= 0 }).toEqual({ text, found: true });
    return index;
  };
  const ignored = (path: string) =>
    read(path)
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));

  it('are built from one Dockerfile per kind: the Node services’ (chosen by build argument) and the web app’s', () => {
    expect(
      readdirSync(join(REPO_ROOT, 'infra/docker')).filter((f) => /dockerfile/i.test(f)),
    ).toEqual([
      'Dockerfile',
      'Dockerfile.dockerignore',
      'web.Dockerfile',
      'web.Dockerfile.dockerignore',
    ]);
    // The same build context, so the same files left out of it.
    expect(ignored('infra/docker/web.Dockerfile.dockerignore')).toEqual(
      ignored('infra/docker/Dockerfile.dockerignore'),
    );
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
    expect(dockerfile).toContain('bash infra/docker/prune.sh "$SERVICE" /pruned');
    expect(dockerfile).toContain('bash infra/docker/build-bundle.sh "$SERVICE" /bundle');
    expect(dockerfile).toMatch(/^EXPOSE \$\{PORT\}$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('install from the pruned manifests before the sources arrive (the cached layer)', () => {
    for (const [file, build] of [
      [dockerfile, 'build-bundle.sh'],
      [webDockerfile, 'build-static.sh'],
    ] as const) {
      const manifests = at('COPY --from=prune /pruned/json/ ./', file);
      const install = file.indexOf('RUN pnpm install --frozen-lockfile', manifests);
      const sources = at('COPY --from=prune /pruned/full/ ./', file);
      expect(install).toBeGreaterThan(manifests);
      expect(sources).toBeGreaterThan(install);
      expect(at(`bash infra/docker/${build} "$SERVICE"`, file)).toBeGreaterThan(sources);
    }
  });

  it('serve the web app’s build with its nginx.conf, as a numeric non-root user, on the port nginx.conf listens on', () => {
    expect(webDockerfile).toContain('bash infra/docker/prune.sh "$SERVICE" /pruned');
    const runtime = webDockerfile.slice(at('FROM ${NGINX_IMAGE} AS runtime\n', webDockerfile));
    expect(webDockerfile).toMatch(/^ARG NGINX_IMAGE=nginxinc\/nginx-unprivileged:[\d.]+-alpine/m);
    expect(runtime).toContain(
      'COPY --from=build /repo/services/${SERVICE}/nginx.conf /etc/nginx/nginx.conf',
    );
    const root = /^\s*root (\S+);/m.exec(read('services/web/nginx.conf'))?.[1];
    expect(runtime).toContain(`COPY --from=build /static ${root}`);
    const user = Number(/^USER (\d+)$/m.exec(runtime)?.[1]);
    expect(user).toBeGreaterThan(0);
    expect(runtime).toMatch(/^EXPOSE \$\{PORT\}$/m);
    const web = SERVICES.find(({ dir }) => dir === 'web')!;
    expect(read('services/web/nginx.conf')).toMatch(new RegExp(`^\\s*listen ${web.port};`, 'm'));
    expect(webDockerfile).toMatch(new RegExp(`^ARG PORT=${web.port}$`, 'm'));
  });

  it('prune with turbo, and check-bundles.sh builds through the same scripts in the same order', () => {
    expect(read('infra/docker/prune.sh')).toMatch(/turbo prune "@todo\/\$service" --docker/);
    const check = read('infra/scripts/check-bundles.sh');
    const prune = check.indexOf('bash infra/docker/prune.sh');
    const install = check.indexOf('pnpm install --frozen-lockfile', prune);
    const build = check.indexOf('bash "infra/docker/$2" "$1" "$3"', install);
    expect([prune, install, build].every((i) => i >= 0)).toBe(true);
    expect(check.slice(prune, install)).toContain('/json/.');
    expect(check.slice(install, build)).toContain('/full/.');
    // Every service's bundle, each with its kind's build script, and nginx.conf for the web app.
    expect(check).toMatch(/build_in_pruned_workspace "\$service" build-bundle\.sh /);
    expect(check).toMatch(/build_in_pruned_workspace web build-static\.sh /);
    expect(check).toContain('services/web/nginx.conf >"$1"');
  });
});

describe('the workflows run what .ci/run runs', () => {
  const listed = execFileSync('bash', [join(REPO_ROOT, '.ci/run'), '--list'], { encoding: 'utf8' })
    .trim()
    .split('\n');

  it('.ci/run lists every step it defines, and nothing else', () => {
    const defined = [...read('.ci/run').matchAll(/^step_([a-z0-9_-]+)\(\)/gm)].map((m) => m[1]);
    expect(listed).toEqual(defined);
    // The README's test command and the suites the README says CI runs.
    for (const command of [
      'pnpm test',
      'pnpm test:e2e',
      'pnpm test:faults',
      'pnpm test:browser',
      'pnpm fuzz:api',
      'pnpm lint',
      'pnpm typecheck',
      'pnpm format:check',
      'pnpm check:manifests',
    ]) {
      expect(read('.ci/run')).toMatch(new RegExp(`^ *(\\S+=\\S+ )?${command}\\b`, 'm'));
    }
  });

  it('gives the browser step a browser: Debian’s chromium by apt-get, or the one CHROMIUM names', () => {
    const run = read('.ci/run');
    expect(run).toContain('export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"');
    expect(run).toMatch(/DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium\b/);
    expect(run.indexOf('ensure_chromium\n  pnpm test:browser')).toBeGreaterThan(0);
    // turbo passes only the variables it is told of to a task.
    const turbo = JSON.parse(read('turbo.json')) as {
      tasks: Record<string, { passThroughEnv?: string[] }>;
    };
    expect(turbo.tasks['test:browser']!.passThroughEnv).toContain('CHROMIUM');
    // GitHub's Ubuntu runners have no chromium package (a snap only), but Google Chrome.
    const toolchain = parse(read('.github/actions/toolchain/action.yml')).runs.steps as Step[];
    expect(toolchain.map((s) => s.run)).toContain(
      'echo "CHROMIUM=$(command -v google-chrome)" >> "$GITHUB_ENV"',
    );
  });

  it('ci.yml runs one job per step, its list read from .ci/run --list', () => {
    const { jobs } = ci();
    const listJob = Object.keys(jobs).find((name) =>
      jobs[name]!.steps.some((s) => s.run?.includes('bash .ci/run --list')),
    )!;
    const [listOutput] = Object.keys(jobs[listJob]!.outputs!);
    const runners = Object.values(jobs).filter((job) =>
      job.steps.some((s) => /^bash \.ci\/run "\$STEP"$/.test(s.run ?? '')),
    );
    expect(runners).toHaveLength(1);
    const [runner] = runners;
    expect(runner!.needs).toBe(listJob);
    expect(runner!.strategy!.matrix).toEqual({
      step: `\${{ fromJSON(needs.${listJob}.outputs.${listOutput}) }}`,
    });
    expect(runner!.steps.find((s) => s.run?.includes('.ci/run'))!.env).toEqual({
      STEP: '${{ matrix.step }}',
    });
  });

  it('every job that runs a command runs it through .ci/run, on every change', () => {
    for (const file of workflowFiles()) {
      const { on, jobs } = workflow(file);
      expect({ file, triggers: Object.keys(on).sort() }).toEqual({
        file,
        triggers: ['pull_request', 'push'],
      });
      expect(JSON.stringify(on)).not.toMatch(/paths/);
      for (const [name, job] of Object.entries(jobs))
        for (const step of job.steps.filter((s) => s.run !== undefined))
          expect({ file, job: name, run: step.run }).toEqual({
            file,
            job: name,
            run: expect.stringMatching(/^(echo "[a-z]+=\$\()?bash \.ci\/run /),
          });
    }
  });

  it('builds the image of every service under services/, with its port, from its kind’s Dockerfile', () => {
    const image = Object.values(ci().jobs).find((job) =>
      job.steps.some((s) => s.uses?.startsWith('docker/build-push-action')),
    )!;
    expect(image.needs).toBe(
      Object.keys(ci().jobs).find((name) => ci().jobs[name]!.strategy?.matrix.step),
    );
    expect(image.strategy!.matrix.include).toEqual(
      SERVICES.map(({ dir, port, dockerfile }) => ({ service: dir, port, dockerfile })),
    );
    expect(readdirSync(join(REPO_ROOT, 'services')).sort()).toEqual(
      [...SERVICES.map(({ dir }) => dir), ...IMAGE_PENDING].sort(),
    );
    const build = image.steps.find((s) => s.uses?.startsWith('docker/build-push-action'))!.with!;
    expect(build.file).toBe('${{ matrix.dockerfile }}');
    expect(build['build-args']).toBe('SERVICE=${{ matrix.service }}\nPORT=${{ matrix.port }}\n');
    expect(build.tags).toBe(
      'ghcr.io/${{ github.repository_owner }}/todo-${{ matrix.service }}:${{ github.sha }}',
    );
  });
});

describe('the pnpm version', () => {
  const declared = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager;

  it('is declared once, in package.json’s packageManager', () => {
    expect(declared).toMatch(/^pnpm@\d+\.\d+\.\d+$/);
    const version = declared.split('@')[1]!;
    const places = [
      '.ci/run',
      NODE_DOCKERFILE,
      WEB_DOCKERFILE,
      '.github/actions/toolchain/action.yml',
      'README.md',
      'infra/README.md',
      ...workflowFiles().map((file) => join(WORKFLOWS_DIR, file)),
    ];
    for (const path of places)
      expect({ path, restates: read(path).includes(version) }).toEqual({ path, restates: false });
  });

  it('is what the Dockerfile, the workflows and .ci/run install', () => {
    expect(read('.ci/run')).toContain(`require('./package.json').packageManager`);
    for (const file of [NODE_DOCKERFILE, WEB_DOCKERFILE])
      expect(read(file)).toContain(`require('/tmp/package.json').packageManager`);
    const setups = [
      ...parse(read('.github/actions/toolchain/action.yml')).runs.steps,
      ...workflowFiles().flatMap((file) =>
        Object.values(workflow(file).jobs).flatMap((j) => j.steps),
      ),
    ].filter((s: Step) => s.uses?.startsWith('pnpm/action-setup'));
    expect(setups.length).toBeGreaterThan(0);
    for (const setup of setups) expect(setup.with?.version).toBeUndefined();
  });
});
