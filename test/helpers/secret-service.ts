import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private D-Bus session bus in a scratch dir, optionally with a real Secret Service on it
 * (Debian's gnome-keyring, unlocked with a password on stdin). The bus config lists no service
 * dirs, so nothing is started by activation: without `secrets`, org.freedesktop.secrets is
 * simply not there, as on a headless box.
 */
export interface SecretService {
  /** Variables for the processes that should see this bus (and only this keyring). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=${socket}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>\n`;
}

export async function startSecretService(options: { secrets: boolean } = { secrets: true }): Promise<SecretService> {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-env-keyring-'));
  const runtime = join(dir, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  writeFileSync(join(dir, 'bus.conf'), busConfig(join(dir, 'bus')));
  const bus = await execa('dbus-daemon', [`--config-file=${join(dir, 'bus.conf')}`, '--fork', '--print-pid=1']);
  const pids = [Number(String(bus.stdout).trim())];
  const env = {
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'bus')}`,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
  };
  if (options.secrets) {
    const daemonEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env };
    await execa('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--daemonize'], { env: daemonEnv, extendEnv: false, input: 'test-password', timeout: 15_000 });
    // The daemon forks; wait until it owns the name, and remember its pid to stop it.
    for (let attempt = 0; ; attempt++) {
      const owner = await execa('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetConnectionUnixProcessID', 'string:org.freedesktop.secrets'], { env: daemonEnv, extendEnv: false, reject: false });
      const pid = /uint32 (\d+)/.exec(String(owner.stdout))?.[1];
      if (pid) {
        pids.push(Number(pid));
        break;
      }
      if (attempt > 100) throw new Error(`gnome-keyring-daemon did not take org.freedesktop.secrets: ${String(owner.stderr)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    env,
    async stop() {
      for (const pid of pids.reverse()) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // gone already
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What `secret-tool` (libsecret, not our addon) finds for service mfa-env, account `profile`. */
export async function secretToolLookup(service: SecretService, profile: string): Promise<string | undefined> {
  const result = await execa('secret-tool', ['lookup', 'service', 'mfa-env', 'username', profile], { env: { PATH: process.env.PATH ?? '', ...service.env }, extendEnv: false, reject: false });
  return result.exitCode === 0 ? String(result.stdout) : undefined;
}

