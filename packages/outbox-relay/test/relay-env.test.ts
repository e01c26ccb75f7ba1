import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  eventTransportEnvFields,
  OUTBOX_PUBLISHERS_DEFAULT,
  publishersProblem,
} from '../src/index.js';

const parse = (env: Record<string, string>) => z.object(eventTransportEnvFields).safeParse(env);

describe('OUTBOX_PUBLISHERS', () => {
  it('defaults, and reads a number of lanes from 1 to 16', () => {
    expect(parse({}).data?.OUTBOX_PUBLISHERS).toBe(OUTBOX_PUBLISHERS_DEFAULT);
    expect(parse({ OUTBOX_PUBLISHERS: '1' }).data?.OUTBOX_PUBLISHERS).toBe(1);
    expect(parse({ OUTBOX_PUBLISHERS: '16' }).data?.OUTBOX_PUBLISHERS).toBe(16);
  });

  it.each(['0', '17', '2.5', 'two'])('refuses %s, naming the variable', (value) => {
    const result = parse({ OUTBOX_PUBLISHERS: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['OUTBOX_PUBLISHERS']]);
  });

  it('must leave the pool at least one connection the lanes do not hold', () => {
    expect(publishersProblem({ OUTBOX_PUBLISHERS: 4, DATABASE_POOL_MAX: 5 })).toBeUndefined();
    expect(publishersProblem({ OUTBOX_PUBLISHERS: 5, DATABASE_POOL_MAX: 5 })).toBe(
      'OUTBOX_PUBLISHERS (5) must be below DATABASE_POOL_MAX (5)',
    );
  });
});
