import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = (name: string) => fileURLToPath(new URL(`../scripts/${name}`, import.meta.url));

/**
 * Runs one of the `ensure-*.sh` scripts, which print the path of a tool they found or fetched
 * (cached under ~/.cache/todo-platform). Their progress goes to the caller's stderr: the first run
 * builds daprd from source and takes several minutes.
 */
async function ensure(name: string, log: (line: string) => void): Promise<string> {
  log(
    `checking ${name.replace(/^ensure-|\.sh$/g, '')} (the first run downloads and builds it, which takes minutes)`,
  );
  const child = run('bash', [script(name)], {
    maxBuffer: 10 * 1024 * 1024,
    timeout: 60 * 60 * 1000,
  });
  child.child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) log(line);
  });
  const { stdout } = await child;
  return stdout.trim();
}

export const ensureDaprd = (log: (line: string) => void) => ensure('ensure-daprd.sh', log);
export const ensureKafkaLibs = (log: (line: string) => void) => ensure('ensure-kafka.sh', log);
export const ensureSchemathesis = (log: (line: string) => void) =>
  ensure('ensure-schemathesis.sh', log);
export const ensureJaeger = (log: (line: string) => void) => ensure('ensure-jaeger.sh', log);
