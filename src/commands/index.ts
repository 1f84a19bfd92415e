import type { CommandClass } from 'clipanion';
import type { MfaEnvContext } from './base.js';
import { ClearCommand } from './clear.js';
import { CompleteCommand } from './complete.js';
import { InitCommand } from './init.js';
import { LoginCommand } from './login.js';
import { PolicyCommand } from './policy.js';
import { PromptCommand } from './prompt.js';
import { SetupCommand } from './setup.js';

/** Every command of the CLI; one file each under src/commands/. */
export const COMMANDS: Array<CommandClass<MfaEnvContext>> = [LoginCommand, ClearCommand, SetupCommand, PolicyCommand, CompleteCommand, InitCommand, PromptCommand];
