import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { REPO_ROOT } from '../src/index.js';

/**
 * The Dockerfiles and workflows must name what the services are (directory, port), so they
 * cannot drift. Needs nothing but the files; the rendered Kubernetes manifests are checked by
 * `pnpm check:manifests` (test/manifests), which installs kustomize first.
 */
const SERVICES = [
  { dir: 'task-api', port: 8080 },
  { dir: 'recurrence-engine', port: 8081 },
];

describe('images and CI', () => {
  it.each(SERVICES)(
    '$dir has a Dockerfile exposing its port and a workflow running its pipeline',
    ({ dir, port }) => {
      const dockerfile = readFileSync(join(REPO_ROOT, `infra/docker/${dir}.Dockerfile`), 'utf8');
      expect(dockerfile).toContain(`build-bundle.sh ${dir} `);
      expect(dockerfile).toContain(`EXPOSE ${port}`);
      expect(dockerfile).toMatch(/^USER node$/m);
      const workflow = parse(readFileSync(join(REPO_ROOT, `.github/workflows/${dir}.yml`), 'utf8'));
      expect(workflow.jobs.pipeline.with.service).toBe(dir);
      expect(workflow.on.push.paths).toContain(`services/${dir}/**`);
    },
  );

  it('every workspace package a service depends on triggers that service’s workflow', () => {
    for (const { dir } of SERVICES) {
      const manifest = JSON.parse(
        readFileSync(join(REPO_ROOT, 'services', dir, 'package.json'), 'utf8'),
      );
      const workspaceDeps = Object.keys({
        ...manifest.dependencies,
        ...manifest.devDependencies,
      }).filter((name) => name.startsWith('@todo/'));
      const paths: string[] = parse(
        readFileSync(join(REPO_ROOT, `.github/workflows/${dir}.yml`), 'utf8'),
      ).on.push.paths;
      for (const dep of workspaceDeps) {
        const location = existsSync(join(REPO_ROOT, 'packages', dep.slice(6)))
          ? `packages/${dep.slice(6)}/**`
          : `services/${dep.slice(6)}/**`;
        expect({ dep, triggers: paths.includes(location) }).toEqual({ dep, triggers: true });
      }
    }
  });

  it('has a workflow per service plus the end-to-end one', () => {
    const workflows = readdirSync(join(REPO_ROOT, '.github/workflows'));
    expect(workflows).toEqual(
      expect.arrayContaining(['task-api.yml', 'recurrence-engine.yml', 'e2e.yml', 'service.yml']),
    );
  });
});
