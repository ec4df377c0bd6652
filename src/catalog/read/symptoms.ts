/**
 * symptoms.catalog.json: the symptoms, validated entry by entry, unique by ID, and checked to name a
 * saved query, runbook and signals that exist (each only when its file was read).
 */
import { Symptom } from '../../contract/catalog';
import type { ReferenceIds } from './manifest';
import { uniqueIn, validEntries, type Entry, type SourceFile, type Violate } from './source';

export function symptomEntries(
  source: SourceFile | null,
  file: Record<string, unknown[]> | null,
  violate: Violate
): Map<string, Entry<Symptom>> {
  if (!source || !file) {
    return new Map();
  }
  const entries = validEntries(source, 'symptoms', file.symptoms, Symptom, 'id', violate);
  return uniqueIn(source, 'symptoms', entries, (s) => s.id, 'symptom', violate);
}

export function checkSymptomReferences(
  source: SourceFile | null,
  symptoms: Map<string, Entry<Symptom>>,
  declared: ReferenceIds,
  read: { queries: boolean; manifest: boolean },
  violate: Violate
): void {
  if (!source) {
    return;
  }
  for (const { value: symptom, index } of symptoms.values()) {
    const missing = [
      read.queries && !declared.queryIds.has(symptom.query_id) ? `saved query ${symptom.query_id}` : null,
      read.manifest && !declared.runbookIds.has(symptom.runbook_id) ? `runbook ${symptom.runbook_id}` : null,
      ...symptom.signals.map((signal) => (read.manifest && !declared.signalKeys.has(signal) ? `signal ${signal}` : null)),
    ].filter((x): x is string => x !== null);
    for (const what of missing) {
      violate({
        path: source.path,
        line: source.line('symptoms', index),
        rule: 'symptom-reference-unknown',
        message: `symptom ${symptom.id}: ${what} does not exist`,
      });
    }
  }
}
