import { posixEmitter } from './posix.js';
import type { Shell } from './shell.js';

/** POSIX sh and its relatives: `login --shell sh` output only, no integration script. */
export const sh: Shell = {
  name: 'sh',
  ...posixEmitter('\\'),
  processNames: ['sh', 'dash', 'ash', 'ksh', 'mksh'],
};
