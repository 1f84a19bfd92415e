import { randomBytes } from 'node:crypto';

export type IniProfiles = Record<string, Record<string, string | undefined>>;

/**
 * What the SDK's own loader makes of `content`, as a credentials file (`[NAME]`) or a config
 * file (`[default]`, `[profile NAME]`). The text is handed to the loader through its public
 * file interceptor under a name no real file has, so what we check under our lock is exactly
 * the bytes we are about to edit, and no home-made parser decides what a profile holds.
 */
export async function parseWithSdk(content: string, kind: 'credentials' | 'config'): Promise<IniProfiles> {
  const { externalDataInterceptor, loadSharedConfigFiles } = await import('@smithy/core/config');
  const id = randomBytes(8).toString('hex');
  const path = `/nonexistent/mfa-env-in-memory-${id}`;
  const empty = `${path}-empty`;
  const record = externalDataInterceptor.getFileRecord() as Record<string, unknown>;
  externalDataInterceptor.interceptFile(path, content);
  externalDataInterceptor.interceptFile(empty, '');
  try {
    const files = await loadSharedConfigFiles(
      kind === 'credentials' ? { filepath: path, configFilepath: empty } : { filepath: empty, configFilepath: path },
    );
    return (kind === 'credentials' ? files.credentialsFile : files.configFile) as IniProfiles;
  } finally {
    delete record[path];
    delete record[empty];
  }
}
