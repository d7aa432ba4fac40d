/**
 * Kafka Connect connectors: `config` and `config_sensitive` diffed key by key,
 * sensitive keys named but never shown.
 */
import { PlanChange } from "./plan-json";
import { deepEqual, isObject, Shown, shown, subMark } from "./masking";

export type ConnectorKeyStatus = "added" | "removed" | "changed";

export interface ConnectorKeyChange {
  readonly key: string;
  readonly status: ConnectorKeyStatus;
  /** Never set for sensitive keys. */
  readonly before?: Shown;
  readonly after?: Shown;
  /** From `config_sensitive`, or marked sensitive in `config`: only the key is named. */
  readonly sensitive: boolean;
}

export interface ConnectorDiff {
  /** Connector name (config.name or the `name` attribute). */
  readonly name?: string;
  readonly keys: ConnectorKeyChange[];
  /** Count of keys that stay the same. */
  readonly unchanged: number;
  /** Whole config unknown until apply. */
  readonly unknown?: boolean;
}

function asStringMap(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {};
}

/**
 * Key-by-key diff of a connector's `config` (values shown, masked where
 * marked) and `config_sensitive` (keys only: values are compared, never shown).
 */
export function diffConnector(change: PlanChange, maxValueLength: number): ConnectorDiff {
  const before = asStringMap(change.before);
  const after = asStringMap(change.after);
  const keys: ConnectorKeyChange[] = [];
  let unchanged = 0;
  const afterUnknown = change.after_unknown;
  const configUnknown = subMark(afterUnknown, "config") === true;

  const plain = (
    attr: "config" | "config_sensitive",
    forceSensitive: boolean,
  ): void => {
    const b = asStringMap(before[attr]);
    const a = asStringMap(after[attr]);
    const bSens = subMark(change.before_sensitive, attr);
    const aSens = subMark(change.after_sensitive, attr);
    const aUnk = subMark(afterUnknown, attr);
    const all = new Set([...Object.keys(b), ...Object.keys(a)]);
    if (isObject(aUnk)) for (const [k, u] of Object.entries(aUnk)) if (u === true) all.add(k);
    for (const key of [...all].sort()) {
      const inB = key in b;
      const keyUnknown = subMark(aUnk, key) === true;
      const inA = key in a || keyUnknown;
      const sensitive = forceSensitive || subMark(bSens, key) === true || subMark(aSens, key) === true;
      let status: ConnectorKeyStatus | undefined;
      if (inB && !inA) status = "removed";
      else if (!inB && inA) status = "added";
      else if (keyUnknown || !deepEqual(b[key], a[key])) status = "changed";
      if (!status) {
        unchanged++;
        continue;
      }
      keys.push({
        key,
        status,
        sensitive,
        before: sensitive || !inB ? undefined : shown(b[key], false, false, maxValueLength),
        after: sensitive || !inA ? undefined : shown(a[key], false, subMark(aUnk, key), maxValueLength),
      });
    }
  };
  if (!configUnknown) plain("config", false);
  plain("config_sensitive", true);
  const cfgName = asStringMap(after.config).name ?? asStringMap(before.config).name ?? after.name ?? before.name;
  return {
    name: typeof cfgName === "string" && subMark(change.after_sensitive, "name") !== true ? cfgName : undefined,
    keys: keys.sort((x, y) => x.key.localeCompare(y.key)),
    unchanged,
    unknown: configUnknown || undefined,
  };
}
