/**
 * The Assuan protocol pinentry speaks on its stdin/stdout (GnuPG's "Assuan" manual): one
 * command per line; the server answers with `D` data lines, `S` status and `#` comment lines,
 * then `OK` or `ERR <code> <text>`. Data and arguments escape `%`, CR and LF as `%XX`.
 */

/** An answer to one command: its data (decoded), or the error the server gave. */
export interface AssuanReply {
  ok: boolean;
  data: string;
  /** `ERR` lines: the numeric gpg-error code and its text. */
  errorCode?: number;
  errorText?: string;
}

/** GPG_ERR_CANCELED from the pinentry source: the user pressed Cancel or Escape. */
export const ASSUAN_CANCELLED = 83886179;
const GPG_ERR_CODE_MASK = 0xffff;
const GPG_ERR_CANCELED = 99;
const GPG_ERR_TIMEOUT = 62;

export function isCancelled(reply: AssuanReply): boolean {
  return ((reply.errorCode ?? 0) & GPG_ERR_CODE_MASK) === GPG_ERR_CANCELED;
}

export function isTimeout(reply: AssuanReply): boolean {
  return ((reply.errorCode ?? 0) & GPG_ERR_CODE_MASK) === GPG_ERR_TIMEOUT;
}

/** `%`, CR and LF as `%25`, `%0D`, `%0A`: what may not appear raw in a command's argument. */
export function assuanEscape(text: string): string {
  return text.replace(/[%\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `%XX` back to the bytes they stand for (UTF-8). */
export function assuanDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Collects the lines of one reply; `push` returns the reply once its `OK`/`ERR` line arrives,
 * else undefined. Lines it does not know (INQUIRE, status, comments) are skipped: pinentry's
 * GETPIN never inquires.
 */
export class AssuanReplyReader {
  private data = '';

  push(line: string): AssuanReply | undefined {
    if (line === 'OK' || line.startsWith('OK ')) return this.finish({ ok: true, data: this.data });
    if (line.startsWith('ERR ')) {
      const match = /^ERR (\d+)\s*(.*)$/.exec(line);
      return this.finish({ ok: false, data: this.data, errorCode: match ? Number(match[1]) : undefined, errorText: match?.[2] ?? line.slice(4) });
    }
    if (line.startsWith('D ')) this.data += assuanDecode(line.slice(2));
    return undefined;
  }

  private finish(reply: AssuanReply): AssuanReply {
    this.data = '';
    return reply;
  }
}
