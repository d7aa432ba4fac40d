/**
 * A minimal valid configuration of each target. (A module of its own:
 * importing a test file's constant would run that file's tests too.)
 */
export { TARGET_CONFIGS } from "../scripts/lib/variants";
