/**
 * The shell's view of config/providers.ts (the providers, their builds, the selection rule):
 *
 *   node dist/scripts/provider-versions.js env      # `export BRIDGE_<P>_PROVIDER_VERSION='…'` for each
 *                                                   # selectable provider whose variable is unset and
 *                                                   # whose build the mirror holds: scripts/env.sh evals it
 *   node dist/scripts/provider-versions.js mirror   # the mirror directory
 *   node dist/scripts/provider-versions.js hosts    # the registry hostnames the mirror serves, one a line
 *   node dist/scripts/provider-versions.js builds   # what scripts/providers.sh builds, one build a line, in
 *                                                   # order of preference:
 *                                                   # key|namespace|type|version|require|goVersion|replace|extraReplace
 */
import { PROVIDERS, ProviderSpec, REGISTRY_HOSTS, cacheDir, mirrorDir, mirrorVersionEnv } from "../config/providers";

/** The CLI's output lines for `argv`, or a usage problem. */
export function providerVersionsCli(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const mirror = mirrorDir(cacheDir(env));
  switch (argv.join(" ")) {
    case "env":
      // Versions match config/providers.ts's SEMVER, nothing a shell would expand; quoted all the same.
      return env.BRIDGE_PROVIDERS === "registry" ? [] : Object.entries(mirrorVersionEnv(env, mirror)).map(([k, v]) => `export ${k}='${v}'`);
    case "mirror":
      return [mirror];
    case "hosts":
      return [...REGISTRY_HOSTS];
    case "builds":
      return Object.entries(PROVIDERS as Record<string, ProviderSpec>).flatMap(([key, p]) => {
        const { require, replace = "", extraReplace = "" } = p.module;
        return p.builds.map((b) => [key, ...p.source.split("/"), b.version, require, b.goVersion, replace, extraReplace].join("|"));
      });
    default:
      throw new Error(`unknown arguments "${argv.join(" ")}" (usage: provider-versions.js env|mirror|hosts|builds)`);
  }
}

if (require.main === module) {
  try {
    for (const line of providerVersionsCli(process.argv.slice(2), process.env)) console.log(line);
  } catch (e) {
    console.error(`provider-versions: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
