/**
 * Keeps secrets out of anything that leaves the gateway: error messages, logs, telemetry, metrics.
 * Known secrets (configured API keys) are replaced wherever they appear, and anything shaped like a
 * bearer token or `key=` parameter is masked too.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string | undefined> = []) {
    this.secrets = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  }

  /** Add a secret to mask from now on. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4 && !this.secrets.includes(secret)) this.secrets.push(secret);
  }

  /** `text` with every known secret and token-like string masked. */
  text(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    return out
      .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]')
      .replace(/((?:api[_-]?key|x-api-key|x-goog-api-key|key)\s*[=:]\s*["']?)[A-Za-z0-9._~+/-]{8,}/gi, '$1[redacted]')
      .replace(/\bsk-[A-Za-z0-9_-]{8,}/g, '[redacted]');
  }
}
