import { describe, expect, it } from '@jest/globals';
import {
  ifMatchPasses,
  ifNoneMatchMatches,
  parseEntityTagList,
  strongEntityTag,
} from '../src/index.js';

describe('parseEntityTagList', () => {
  it('reads strong and weak tags, a list, and * alone', () => {
    expect(parseEntityTagList('"v1"')).toEqual({
      any: false,
      tags: [{ weak: false, opaque: 'v1' }],
    });
    expect(parseEntityTagList(' W/"a" ,"b,c",""')).toEqual({
      any: false,
      tags: [
        { weak: true, opaque: 'a' },
        { weak: false, opaque: 'b,c' },
        { weak: false, opaque: '' },
      ],
    });
    expect(parseEntityTagList(' * ')).toEqual({ any: true });
  });

  it('drops members that are not entity tags, and keeps reading after them', () => {
    expect(parseEntityTagList('v1')).toEqual({ any: false, tags: [] });
    expect(parseEntityTagList('w/"x", "ok", *, "un"closed", "y')).toEqual({
      any: false,
      tags: [{ weak: false, opaque: 'ok' }],
    });
    expect(parseEntityTagList('"a" "b"')).toEqual({ any: false, tags: [] });
  });
});

describe('ifMatchPasses (strong comparison)', () => {
  const etag = strongEntityTag('v3');

  it('passes without the header, with *, and with the current tag anywhere in a list', () => {
    expect(ifMatchPasses(undefined, etag)).toBe(true);
    expect(ifMatchPasses('*', etag)).toBe(true);
    expect(ifMatchPasses('"v3"', etag)).toBe(true);
    expect(ifMatchPasses('"v1", "v3"', etag)).toBe(true);
  });

  it('fails for another tag, the weak form of the current one, a malformed value, or none', () => {
    expect(ifMatchPasses('"v2"', etag)).toBe(false);
    expect(ifMatchPasses('W/"v3"', etag)).toBe(false);
    expect(ifMatchPasses('v3', etag)).toBe(false);
    expect(ifMatchPasses('"v3', etag)).toBe(false);
    expect(ifMatchPasses('', etag)).toBe(false);
    expect(ifMatchPasses('"v3"', 'W/"v3"')).toBe(false);
  });
});

describe('ifNoneMatchMatches (weak comparison)', () => {
  it('matches the current tag weak or strong, and *', () => {
    expect(ifNoneMatchMatches('W/"v3"', '"v3"')).toBe(true);
    expect(ifNoneMatchMatches('"v1", "v3"', '"v3"')).toBe(true);
    expect(ifNoneMatchMatches('*', '"v3"')).toBe(true);
  });

  it('does not match without the header, another tag, or a malformed value', () => {
    expect(ifNoneMatchMatches(undefined, '"v3"')).toBe(false);
    expect(ifNoneMatchMatches('"v4"', '"v3"')).toBe(false);
    expect(ifNoneMatchMatches('v3', '"v3"')).toBe(false);
  });
});

describe('strongEntityTag', () => {
  it('quotes its text, and refuses text a tag cannot hold', () => {
    expect(strongEntityTag('v7')).toBe('"v7"');
    expect(() => strongEntityTag('a"b')).toThrow(/entity tag/);
    expect(() => strongEntityTag('a b')).toThrow(/entity tag/);
  });
});
