/** grouping.yaml: optional; absent or invalid, intake groups with the defaults (invalid is reported). */
import { GroupingFile } from '../../contract/catalog';
import { parseStructured, type SourceFile, type Violate } from './source';

export function readGrouping(source: SourceFile | null, violate: Violate): GroupingFile {
  const defaults = GroupingFile.parse({ version: 1 });
  const data = source ? parseStructured(source, violate) : undefined;
  if (!source || data === undefined) {
    return defaults;
  }
  const parsed = GroupingFile.safeParse(data);
  if (parsed.success) {
    return parsed.data;
  }
  for (const issue of parsed.error.issues) {
    violate({
      path: source.path,
      line: null,
      rule: 'catalog-schema',
      message: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    });
  }
  return defaults;
}
