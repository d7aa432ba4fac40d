import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";

/**
 * The Docker provider of a stack whose containers run on `host`, at the
 * provider `version` of the configuration: the prebuilt binding pins 3.6.2,
 * an air-gapped mirror may hold another build.
 */
export function dockerProvider(stack: TerraformStack, host: string, version: string): DockerProvider {
  const provider = new DockerProvider(stack, "docker", { host });
  stack.addOverride("terraform.required_providers.docker.version", version);
  return provider;
}
