/**
 * Entity tags and the two preconditions that compare them (RFC 9110 §8.8.3, §13.1.1, §13.1.2), for
 * routes that answer `ETag` and honour `If-Match` / `If-None-Match`. Pure: no Express.
 */

export interface EntityTag {
  weak: boolean;
  /** Between the quotes. */
  opaque: string;
}

/** A field value that lists entity tags, or `*` (any current representation). */
export type EntityTagList = { any: true } | { any: false; tags: EntityTag[] };

// etagc = %x21 / %x23-7E / obs-text; sticky, so each member is read where the last one ended.
const MEMBER = /[ \t]*(W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"[ \t]*(?:,|$)/y;

/**
 * Reads `If-Match` / `If-None-Match`. A member that is not a well-formed entity tag is dropped, so
 * it matches nothing: a malformed `If-Match` fails (412) rather than being ignored, which would
 * turn a conditional write into an unconditional one. `*` counts only as the whole value.
 */
export function parseEntityTagList(value: string): EntityTagList {
  if (value.trim() === '*') return { any: true };
  const tags: EntityTag[] = [];
  let at = 0;
  while (at < value.length) {
    MEMBER.lastIndex = at;
    const member = MEMBER.exec(value);
    if (member) {
      tags.push({ weak: member[1] !== undefined, opaque: member[2]! });
      at = MEMBER.lastIndex;
      continue;
    }
    // Not an entity tag: skip to the next comma (or the end) and read on from there.
    const comma = value.indexOf(',', at);
    at = comma < 0 ? value.length : comma + 1;
  }
  return { any: false, tags };
}

/** `"<opaque>"`, the strong entity tag of a representation. */
export function strongEntityTag(opaque: string): string {
  if (!/^[\x21\x23-\x7E]*$/.test(opaque)) throw new Error(`not an entity tag's text: ${opaque}`);
  return `"${opaque}"`;
}

function current(etag: string): EntityTag {
  const list = parseEntityTagList(etag);
  if (list.any || list.tags.length !== 1) throw new Error(`not one entity tag: ${etag}`);
  return list.tags[0]!;
}

/**
 * `If-Match` on a resource that exists, whose current entity tag is `etag`: absent passes, `*`
 * passes, otherwise a listed tag must match strongly (both strong, same text).
 */
export function ifMatchPasses(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const list = parseEntityTagList(header);
  if (list.any) return true;
  const mine = current(etag);
  return !mine.weak && list.tags.some((tag) => !tag.weak && tag.opaque === mine.opaque);
}

/**
 * Whether `If-None-Match` names the current representation of a resource that exists (weak
 * comparison: `W/"1"` matches `"1"`; `*` matches): a GET then answers 304.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const list = parseEntityTagList(header);
  if (list.any) return true;
  const mine = current(etag);
  return list.tags.some((tag) => tag.opaque === mine.opaque);
}
