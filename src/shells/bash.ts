import { join } from 'node:path';
import { posixEmitter, posixGuardedInitLine, posixInitLine } from './posix.js';
import type { Shell } from './shell.js';

export const bash: Shell = {
  name: 'bash',
  ...posixEmitter('\\builtin '),
  processNames: ['bash'],
  integration: {
    script: 'mfa-env.bash',
    initLine: (command) => posixInitLine('bash', command),
    guardedInitLine: (command) => posixGuardedInitLine('bash', command),
    // A login shell (macOS Terminal) reads ~/.bash_profile instead.
    rcFiles: ({ home }) => [join(home, '.bashrc'), join(home, '.bash_profile')],
  },
};
