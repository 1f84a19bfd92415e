import { MfaEnvError } from '../errors.js';
import type { MfaDevice } from '../aws/iam.js';
import { NoTerminalError } from '../mfa/prompt.js';

export interface DeviceChoice {
  /** Usable devices (FIDO keys removed), as listed by IAM. */
  devices: MfaDevice[];
  /** --serial, already format-checked. */
  flag?: string;
  /** The profile's mfa_serial today, if any. */
  current?: string;
  who: string;
  /** Asks on the terminal; resolves to the typed answer, rejects with NoTerminalError when there is none. */
  ask?: (question: string) => Promise<string>;
  say: (message: string) => void;
}

const ATTEMPTS = 3;

function listing(devices: MfaDevice[], current?: string): string {
  return devices
    .map((device, index) => `  ${index + 1}) ${device.serial}${device.serial === current ? '  (current mfa_serial)' : ''}`)
    .join('\n');
}

/** The device to save: the one given, the only one, or the one picked on the terminal. */
export async function chooseDevice(choice: DeviceChoice): Promise<string> {
  const { devices, flag, current, who } = choice;
  const serials = devices.map((device) => device.serial);
  if (flag !== undefined) {
    if (serials.includes(flag)) return flag;
    throw new MfaEnvError(
      `--serial ${flag} is not an MFA device of ${who}; it has:\n${listing(devices, current) || '  (none)'}`,
      'Pass one of the serials above, or leave out --serial.',
    );
  }
  if (devices.length === 1) return serials[0]!;

  const hint = `Choose one with --serial, e.g. mfa-env setup --serial ${serials[0]}`;
  const menu = `${who} has ${devices.length} MFA devices:\n${listing(devices, current)}\n`;
  const noTerminal = new MfaEnvError(`${who} has ${devices.length} MFA devices and there is no terminal to choose on:\n${listing(devices, current)}`, hint);
  if (!choice.ask) throw noTerminal;
  const keep = current !== undefined && serials.includes(current) ? current : undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let answer: string;
    try {
      answer = await choice.ask(`${attempt === 1 ? menu : ''}Which one? [1-${devices.length}${keep ? ', Enter keeps the current one' : ''}]: `);
    } catch (error) {
      if (!(error instanceof NoTerminalError)) throw new MfaEnvError('no MFA device was chosen (the terminal closed)', hint);
      // Nothing to ask on (cron, CI, an IDE): keeping a valid current choice is safe; guessing is not.
      if (keep) {
        choice.say(`${who} has ${devices.length} MFA devices and there is no terminal to choose on; keeping the current mfa_serial ${keep}`);
        return keep;
      }
      throw noTerminal;
    }
    if (answer === '' && keep) return keep;
    const number = Number(answer);
    if (/^\d+$/.test(answer) && number >= 1 && number <= devices.length) return serials[number - 1]!;
    if (serials.includes(answer)) return answer;
  }
  throw new MfaEnvError(`no MFA device was chosen after ${ATTEMPTS} tries`, hint);
}
