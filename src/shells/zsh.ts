import { join } from 'node:path';
import { posixEmitter, posixGuardedInitLine, posixInitLine } from './posix.js';
import type { Shell } from './shell.js';

export const zsh: Shell = {
  name: 'zsh',
  ...posixEmitter('\\builtin '),
  processNames: ['zsh'],
  integration: {
    script: 'mfa-env.zsh',
    initLine: (command) => posixInitLine('zsh', command),
    guardedInitLine: (command) => posixGuardedInitLine('zsh', command),
    rcFiles: ({ zdotdir }) => [join(zdotdir, '.zshrc')],
  },
};
