import type { CommandClass } from 'clipanion';
import type { MfaEnvContext } from './base.js';
import { ClearCommand } from './clear.js';
import { CompleteCommand } from './complete.js';
import { ConsoleCommand } from './console.js';
import { CredentialProcessCommand } from './credential-process.js';
import { DoctorCommand } from './doctor.js';
import { ExecCommand } from './exec.js';
import { InitCommand } from './init.js';
import { ListCommand } from './list.js';
import { KeysAddCommand } from './keys-add.js';
import { KeysCommand } from './keys-help.js';
import { KeysListCommand } from './keys-list.js';
import { KeysMigrateCommand } from './keys-migrate.js';
import { KeysRemoveCommand } from './keys-remove.js';
import { KeysRotateCommand } from './keys-rotate.js';
import { LoginCommand } from './login.js';
import { PolicyCommand } from './policy.js';
import { PromptCommand } from './prompt.js';
import { RenewCommand } from './renew.js';
import { SetupCommand } from './setup.js';
import { StatusCommand } from './status.js';

/** Every command of the CLI; one file each under src/commands/. */
export const COMMANDS: Array<CommandClass<MfaEnvContext>> = [LoginCommand, ClearCommand, StatusCommand, ExecCommand, CredentialProcessCommand, ListCommand, ConsoleCommand, DoctorCommand, SetupCommand, PolicyCommand, InitCommand, PromptCommand, CompleteCommand, KeysCommand, KeysAddCommand, KeysListCommand, KeysRemoveCommand, KeysMigrateCommand, KeysRotateCommand, RenewCommand];
