/**
 * Keeps the session a credential server hands out fresh: a role session is renewed (through
 * the `renew` callback) once it has `refreshBeforeMs` or less left. A failed renewal keeps the
 * current session (until it ends), says so once, and is tried again a minute later.
 */
import { formatTimeLeft, timeLeftMs, type Session } from '../session/session.js';

export interface RenewalOptions {
  /** Gets a newer session without asking for a code; absent when the session cannot be renewed. */
  renew?: () => Promise<Session>;
  refreshBeforeMs: number;
  /** One line for the user on stderr (never a secret). */
  say: (message: string) => void;
}

/** No two renewals closer than this: a window as long as the session must not loop on STS. */
export const MIN_RENEWAL_GAP_MS = 5_000;
/** After a failed renewal, the next try comes this much later. */
export const RETRY_AFTER_FAILURE_MS = 60_000;

export interface SessionKeeper {
  /** The session to serve now. */
  current(): Session;
  stop(): void;
}

/** Starts keeping `initial`; the first renewal is scheduled at once. */
export function keepSession(initial: Session, options: RenewalOptions): SessionKeeper {
  let session = initial;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failureSaid = false;

  const schedule = (earliestMs: number) => {
    if (stopped) return;
    // Tries go on after the served session ended: the MFA session it is renewed from may live on.
    const dueIn = Math.max(timeLeftMs(session) - options.refreshBeforeMs, earliestMs);
    // unref: the timer alone never keeps mfa-env alive; the command and the server do.
    timer = setTimeout(attempt, dueIn).unref();
  };

  const attempt = async () => {
    try {
      const renewed = await options.renew!();
      if (Date.parse(renewed.expiration) > Date.parse(session.expiration)) session = renewed;
      failureSaid = false;
      schedule(MIN_RENEWAL_GAP_MS);
    } catch (error) {
      if (!failureSaid) options.say(failureLine(session, error));
      failureSaid = true;
      schedule(RETRY_AFTER_FAILURE_MS);
    }
  };

  if (options.renew) schedule(0);
  else timer = sayOnceNotRenewable(session, options);
  return {
    current: () => session,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

function failureLine(session: Session, error: unknown): string {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `could not renew the role session of profile "${session.profile}" (${reason}); the command keeps the current one, ${formatTimeLeft(timeLeftMs(session))} left`;
}

/** Without a way to renew, one line when the session enters the window, so an ending job is no surprise. */
function sayOnceNotRenewable(session: Session, options: RenewalOptions): NodeJS.Timeout | undefined {
  const dueIn = Math.max(0, timeLeftMs(session) - options.refreshBeforeMs);
  if (timeLeftMs(session) - dueIn <= 0) return undefined;
  return setTimeout(() => {
    options.say(`the session of profile "${session.profile}" cannot be renewed without a code and ends in ${formatTimeLeft(timeLeftMs(session))}; the command's AWS calls fail after that`);
  }, dueIn).unref();
}
