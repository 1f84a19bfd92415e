import { pass, fail, type CheckResult } from './check.js';

/** Node.js 20 is the oldest release mfa-env is built and tested for (package.json engines). */
export const MIN_NODE_MAJOR = 20;

export function checkNode(version = process.versions.node): CheckResult {
  const major = Number(version.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return pass('node', `Node.js ${version} (>= ${MIN_NODE_MAJOR})`);
  return fail('node', `Node.js ${version} is older than ${MIN_NODE_MAJOR}`, `install Node.js ${MIN_NODE_MAJOR} or newer (e.g. \`fnm install --lts\`), then run ./install.sh again`);
}
