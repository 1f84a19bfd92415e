/**
 * Masking for anything that may hold a secret before it reaches a terminal or a log.
 * STS validation errors echo submitted values back ("Value '12345' at 'tokenCode' …").
 */

/** `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`: enough to recognise a key, not to use it. */
export function maskKey(value: string): string {
  if (value.length <= 8) return '****';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** Removes every known secret and every value STS echoes back from `text`. */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('****');
  }
  return (
    result
      // "Value 'xxx' at 'tokenCode'" and similar echoes of request parameters.
      .replace(/Value '[^']*' at/g, "Value '****' at")
      .replace(/Value "[^"]*" at/g, 'Value "****" at')
      // Any stray access key id or long base64 run (secret keys are 40, tokens hundreds of chars).
      .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, (key) => maskKey(key))
      .replace(/[A-Za-z0-9/+=]{40,}/g, '****')
  );
}
