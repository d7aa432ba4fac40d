/**
 * `verify`'s per-topic reconciliation, once for `npm run verify` (scripts/verify.ts) and the
 * console's on-demand verdict: for each replicated CDC topic, the table's rows (one consistent
 * snapshot) against the changes of the on-prem topic, the cloud topic and the lake files, retried
 * until in-flight changes have landed or `waitS` passed (duplicates never heal).
 */
import { KafkaConfig } from "kafkajs";
import { reconcile, Reconciliation } from "./reconcile";
import { DbConnection, LakeLocation, readLake, readTableSnapshot, readTopic } from "./sources";

/** How long verify gives in-flight changes to land before judging, unless told (`npm run verify -- --wait S`). */
export const DEFAULT_WAIT_S = 60;

export interface VerifySources {
  readonly onPrem: KafkaConfig;
  readonly cloud: KafkaConfig;
  readonly lake: LakeLocation;
  readonly db: DbConnection;
}

export type TopicVerdict =
  | { readonly topic: string; readonly skipped: string }
  | { readonly topic: string; readonly table: string; readonly files: number; readonly result: Reconciliation };

export async function verifyTopics(src: VerifySources, dc: string, topics: readonly string[], waitS: number, onVerdict: (v: TopicVerdict) => void = () => undefined): Promise<TopicVerdict[]> {
  const prefix = `${dc}_`;
  const out: TopicVerdict[] = [];
  for (const topic of topics) {
    if (!topic.startsWith(prefix)) {
      const v = { topic, skipped: `not a CDC topic of ${dc}` };
      out.push(v);
      onVerdict(v);
      continue;
    }
    const table = topic.slice(prefix.length);
    const { rows, columns, snapshot } = await readTableSnapshot(src.db, table);
    const deadline = Date.now() + waitS * 1000;
    let result: Reconciliation;
    let files = 0;
    for (;;) {
      const [onPremChanges, cloudChanges, landed] = await Promise.all([readTopic(src.onPrem, topic), readTopic(src.cloud, topic), readLake(src.lake, topic)]);
      files = landed.files;
      result = reconcile(rows, [
        { name: "on-prem topic", changes: onPremChanges },
        { name: "cloud topic", changes: cloudChanges },
        { name: "lake files", changes: landed.changes },
      ], { columns, snapshot });
      if (result.ok || result.duplicatedInLake.length > 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 3000));
    }
    const v = { topic, table, files, result };
    out.push(v);
    onVerdict(v);
  }
  return out;
}
