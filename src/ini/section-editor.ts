/**
 * Sets keys in one section of an AWS INI file and leaves every other byte as it was: comments,
 * blank lines, odd spacing, tabs, CRLF line ends, key order, other sections.
 *
 * This module only *edits*; what a profile means is still decided by the SDK's own loader
 * (src/aws/profiles.ts, src/ini/sdk-parse.ts). To find the section and its keys it follows the
 * SDK's line rules (shared-ini-file-loader parseIni): a comment starts at `#` or `;` at the
 * start of a line or after whitespace; a header is a line that, without its comment and
 * trimmed, starts with `[` and ends with `]`; lines split on `\n` or `\r\n`.
 */

export interface SectionEdit {
  /** Which headers are the target: the text between the brackets, exactly as the SDK reads it. */
  matches: (sectionName: string) => boolean;
  /** The text between the brackets of the header written when no section matches. */
  newHeader: string;
  /** Keys to set, in the order new keys are written. */
  set: ReadonlyArray<readonly [key: string, value: string]>;
  /** Keys that are updated where they already exist but never added (e.g. aws_security_token). */
  updateOnly?: ReadonlyArray<readonly [key: string, value: string]>;
}

interface Line {
  /** The line without its end. */
  text: string;
  /** `\n`, `\r\n`, or '' for a last line without one. */
  eol: string;
}

function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\n]*?)(\r?\n|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(content)) !== null) {
    if (match[0] === '') break;
    lines.push({ text: match[1]!, eol: match[2]! });
  }
  return lines;
}

/** The line as the SDK sees it: comment removed, trimmed. */
function significant(text: string): string {
  return text.split(/(^|\s)[;#]/)[0]!.trim();
}

/** The text between the brackets when `text` is a section header, else undefined. */
export function headerName(text: string): string | undefined {
  const line = significant(text);
  return line.startsWith('[') && line.endsWith(']') && line.length >= 2 ? line.slice(1, -1) : undefined;
}

/** Every section name in the file, in order (duplicates included). */
export function sectionNames(content: string): string[] {
  return splitLines(content)
    .map((line) => headerName(line.text))
    .filter((name): name is string => name !== undefined);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `key = value` with the key's own spelling and spacing kept. Case-insensitive and `:` as well
 * as `=`: botocore's configparser lowercases keys and accepts both, and refuses a file in which
 * a key appears twice, so an existing `AWS_Session_Token: x` must be replaced, not duplicated.
 */
function keyPattern(key: string): RegExp {
  return new RegExp(`^([ \\t]*${escapeRegExp(key)}[ \\t]*[=:][ \\t]*)`, 'i');
}

function assertValue(key: string, value: string): void {
  // A line break would end the value and start a line the SDK reads as something else.
  if (/[\r\n]/.test(value) || /[\r\n=:[\]]/.test(key) || key.trim() !== key || key === '') {
    throw new Error(`refusing to write ${JSON.stringify(key)}: key or value holds a line break or delimiter`);
  }
}

/** Returns `content` with the edit applied; the rest of the text is byte-identical. */
export function editSection(content: string, edit: SectionEdit): string {
  const all = [...edit.set, ...(edit.updateOnly ?? [])];
  for (const [key, value] of all) assertValue(key, value);

  const lines = splitLines(content);
  // New lines end like the file's first line does, so a CRLF file stays CRLF.
  const eol = lines.find((line) => line.eol !== '')?.eol ?? '\n';
  const targets = sectionSpans(lines).filter(([start]) => edit.matches(headerName(lines[start]!.text)!));
  const found = setInPlace(lines, targets, all);

  const missing = edit.set.filter(([key]) => !found.has(key.toLowerCase())).map(([key, value]) => `${key} = ${value}`);
  if (missing.length === 0) return join(lines);
  const last = targets[targets.length - 1];
  if (last) return join(insertAfterLastKey(lines, last, missing, eol));
  return appendSection(join(lines), edit.newHeader, missing, eol);
}

/** Sections as [header index, end index (exclusive)]. */
function sectionSpans(lines: Line[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let current: number | undefined;
  lines.forEach((line, index) => {
    if (headerName(line.text) === undefined) return;
    if (current !== undefined) spans.push([current, index]);
    current = index;
  });
  if (current !== undefined) spans.push([current, lines.length]);
  return spans;
}

/** Sets the keys that already exist in the target sections; returns the keys found (lower case). */
function setInPlace(lines: Line[], targets: Array<[number, number]>, all: SectionEdit['set']): Set<string> {
  const found = new Set<string>();
  for (const [start, end] of targets) {
    for (let index = start + 1; index < end; index++) {
      const line = lines[index]!;
      for (const [key, value] of all) {
        const match = keyPattern(key).exec(line.text);
        if (!match) continue;
        // The old value goes with anything after it on the line (an inline comment would be
        // read by botocore as part of the new value).
        line.text = `${match[1]}${value}`;
        found.add(key.toLowerCase());
        break;
      }
    }
  }
  return found;
}

/**
 * After the section's last key line, so comments and blank lines that introduce the next
 * section stay where they are.
 */
function insertAfterLastKey(lines: Line[], [start, end]: [number, number], missing: string[], eol: string): Line[] {
  let after = start;
  for (let index = start + 1; index < end; index++) {
    if (significant(lines[index]!.text) !== '') after = index;
  }
  if (lines[after]!.eol === '') lines[after]!.eol = eol;
  lines.splice(after + 1, 0, ...missing.map((text) => ({ text, eol })));
  return lines;
}

/** No such section: append one, separated from the text before by a blank line. */
function appendSection(prefix: string, header: string, missing: string[], eol: string): string {
  if (prefix !== '') {
    if (!/\n$/.test(prefix)) prefix += eol;
    if (!/\n[ \t]*\r?\n$/.test(prefix) && !/^[ \t]*\r?\n$/.test(prefix)) prefix += eol;
  }
  return `${prefix}[${header}]${eol}${missing.join(eol)}${eol}`;
}

function join(lines: Line[]): string {
  return lines.map((line) => line.text + line.eol).join('');
}

/**
 * Returns `content` without the lines that set any of `keys` in the sections `matches` picks
 * (case-insensitive keys, `=` or `:`, as in editSection); every other byte stays, line ends
 * included. `removed` counts the lines taken out.
 */
export function removeKeys(content: string, matches: (sectionName: string) => boolean, keys: readonly string[]): { content: string; removed: number } {
  const patterns = keys.map(keyPattern);
  let inTarget = false;
  let removed = 0;
  const kept = splitLines(content).filter((line) => {
    const name = headerName(line.text);
    if (name !== undefined) {
      inTarget = matches(name);
      return true;
    }
    const drop = inTarget && patterns.some((pattern) => pattern.test(line.text));
    if (drop) removed++;
    return !drop;
  });
  return { content: join(kept), removed };
}

/** A section's settings with lower-case keys: botocore reads `AWS_Access_Key_Id` as aws_access_key_id. */
export function lowerCaseKeys(section: Record<string, string | undefined> | undefined): Record<string, string | undefined> {
  const lower: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(section ?? {})) lower[key.toLowerCase()] = value;
  return lower;
}
