import { LoomError } from '../../core/errors/index.js';
import { COLUMN_TAGS, type ColumnTag } from '../../core/frame/column.js';

/** Tags per column name, as given by `--tag` or the library options. */
export type ColumnTagMap = Readonly<Record<string, readonly ColumnTag[]>>;

/**
 * Parses `--tag` text: `col=pii,col2=sensitive,col=id` (a column may repeat to get several tags).
 * @throws LOOM_ERR_DATA_INVALID_TAG naming the column and the bad tag
 */
export function parseTagOption(text: string): ColumnTagMap {
  const out = new Map<string, ColumnTag[]>();
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const at = part.lastIndexOf('=');
    const column = at > 0 ? part.slice(0, at).trim() : part;
    const tag = at > 0 ? part.slice(at + 1).trim() : '';
    checkTag(column, tag);
    const list = out.get(column) ?? [];
    if (!list.includes(tag as ColumnTag)) list.push(tag as ColumnTag);
    out.set(column, list);
  }
  return Object.fromEntries(out);
}

/** Validates a tag map given through the library. @throws LOOM_ERR_DATA_INVALID_TAG */
export function checkTagMap(tags: ColumnTagMap): ColumnTagMap {
  for (const [column, list] of Object.entries(tags)) for (const tag of list) checkTag(column, tag);
  return tags;
}

/**
 * The tags `tags` gives column `name`: its own entry only, so a column named like a member of Object.prototype
 * (`valueOf`, `constructor`) has none unless the map names it.
 */
export function tagsOf(tags: ColumnTagMap, name: string): readonly ColumnTag[] {
  return Object.hasOwn(tags, name) ? tags[name] : [];
}

function checkTag(column: string, tag: string): void {
  if (column === '' || !(COLUMN_TAGS as readonly string[]).includes(tag)) {
    throw new LoomError('DATA_INVALID_TAG', { tag, column, known: COLUMN_TAGS.join(', ') }, { details: { field: 'tag', column } });
  }
}
